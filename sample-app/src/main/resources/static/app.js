'use strict';
// The sample page: plain browser WebSockets against the application's Duplex endpoints.

const wsBase = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
const STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];
const $ = (id) => document.getElementById(id);

/**
 * One browser WebSocket shown in a state badge. After a close it is reopened with backoff when
 * `reconnect(event)` says so (by default: unless the close was normal, 1000). Calls
 * `onMessage(data)` for each message.
 */
function socket(path, badge, { onMessage, onOpen, onClose, reconnect = (e) => e.code !== 1000, binaryType = 'arraybuffer' }) {
  let ws = null;
  let delay = 500;
  let stopped = false;
  const show = (text, cls) => { badge.textContent = text; badge.className = 'state ' + (cls || text); };
  const open = () => {
    ws = new WebSocket(wsBase + path);
    ws.binaryType = binaryType;
    show(STATES[ws.readyState]);
    ws.onopen = () => { delay = 500; show(STATES[ws.readyState]); if (onOpen) onOpen(ws); };
    ws.onmessage = (e) => onMessage && onMessage(e.data, ws);
    ws.onerror = () => show('ERROR');
    ws.onclose = (e) => {
      show('CLOSED ' + e.code, 'CLOSED');
      if (onClose) onClose(e);
      if (!stopped && reconnect(e)) {
        show('RECONNECTING');
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 10000);
      }
    };
  };
  open();
  return {
    send: (data) => ws && ws.readyState === 1 && ws.send(data),
    close: (code, reason) => { stopped = true; if (ws) ws.close(code || 1000, reason || ''); },
    get raw() { return ws; },
  };
}

// A 1008 whose reason says the HTTP session ended (sign-out; Duplex says "The HTTP session ended",
// Tomcat, for sockets of a signed-in session, "…an authenticated HTTP session that has ended."):
// the chat then rejoins, while its other 1008s (a refused name) stay closed.
const SESSION_ENDED = /session\b.*\bended/i;

// --- who am I (login state and CSRF token for the logout form)
let me = { user: null };
async function loadMe() {
  try {
    const r = await fetch('api/me', { cache: 'no-store' });
    me = await r.json();
  } catch (e) { me = { user: null }; }
  $('user').textContent = me.user ? 'signed in as ' + me.user : 'not signed in';
  $('login').hidden = !!me.user;
  $('logout-form').hidden = !me.user;
  if (me.csrf) $('csrf').value = me.csrf;
  if (me.user && !$('name').value) $('name').value = me.user;
}

// --- chat
let chat = null;
function addLine(html, cls) {
  const li = document.createElement('li');
  if (cls) li.className = cls;
  li.innerHTML = html;
  $('messages').appendChild(li);
  $('messages').scrollTop = $('messages').scrollHeight;
}
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

$('join').addEventListener('submit', (e) => {
  e.preventDefault();
  if (chat) chat.close(1000, 'switching room');
  $('messages').innerHTML = '';
  $('chat-error').textContent = '';
  const name = $('name').value.trim();
  const room = $('room').value.trim();
  chat = socket('/chat/' + encodeURIComponent(room) + '?name=' + encodeURIComponent(name), $('chat-state'), {
    reconnect: (e) => e.code !== 1000 && (e.code !== 1008 || SESSION_ENDED.test(e.reason)),
    onClose: (ev) => {
      $('text').disabled = true; $('send').disabled = true;
      if (ev.code !== 1000) $('chat-error').textContent = 'Disconnected (' + ev.code + (ev.reason ? ': ' + ev.reason : '') + ')';
    },
    onOpen: () => {
      $('chat-error').textContent = '';
      $('text').disabled = false; $('send').disabled = false; $('text').focus();
    },
    onMessage: (data) => {
      const m = JSON.parse(data);
      if (m.type === 'presence') $('presence').textContent = m.users.join(', ') || '—';
      else if (m.type === 'message') addLine('<time>' + esc(new Date(m.time).toLocaleTimeString()) + '</time><span class="from">' + esc(m.user) + '</span>' + esc(m.text));
      else if (m.type === 'system') addLine(esc(m.text), 'system');
    },
  });
});
$('say').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text || !chat) return;
  chat.send(JSON.stringify({ type: 'say', text }));
  $('text').value = '';
});

// --- ticks
socket('/ticks', $('ticks-state'), {
  onMessage: (data) => { const t = JSON.parse(data); $('tick').textContent = '#' + t.seq + ' · ' + new Date(t.time).toLocaleTimeString(); },
});

// --- echo: text comes back as text, binary as binary (an ArrayBuffer), compared with what was sent
let lastBinary = null;
const hex = (bytes) => Array.from(bytes).map((b) => b.toString(16).padStart(2, '0')).join(' ');
const echo = socket('/echo', $('echo-state'), {
  onOpen: (ws) => {
    $('echo-card').dataset.extensions = ws.extensions;
    $('echo-extensions').textContent = ws.extensions || 'none';
  },
  onMessage: (data) => {
    if (typeof data === 'string') {
      $('echo-result').textContent = 'text: ' + data;
      return;
    }
    const back = new Uint8Array(data);
    const same = lastBinary !== null && back.length === lastBinary.length && back.every((b, i) => b === lastBinary[i]);
    $('echo-result').textContent = 'binary: ' + hex(back) + (same ? ' (same as sent)' : ' (differs from what was sent)');
  },
});
$('echo').addEventListener('submit', (e) => { e.preventDefault(); echo.send($('echo-text').value); });
$('echo-binary').addEventListener('click', () => {
  lastBinary = new Uint8Array(16);
  crypto.getRandomValues(lastBinary);
  echo.send(lastBinary.buffer);
});

// --- session feed (only when signed in)
let session = null;
function openSessionFeed() {
  if (!me.user || session) return;
  session = socket('/session-feed', $('session-state'), {
    reconnect: () => false,
    onOpen: () => { $('session-close').disabled = false; },
    onMessage: (data) => { $('session-feed').textContent = data; },
    onClose: (e) => {
      $('session-close').disabled = true;
      $('session-feed').textContent = 'Closed with ' + e.code + (e.reason ? ' (' + e.reason + ')' : '');
      session = null;
    },
  });
}
$('session-close').addEventListener('click', () => session && session.close(1000, 'closed from the page'));

// --- outbound client status and metrics, polled
async function poll() {
  try {
    const c = await (await fetch('api/client', { cache: 'no-store' })).json();
    $('client-state').textContent = c.state;
    $('client-url').textContent = c.url;
    $('client-attempts').textContent = c.attempts;
    $('client-rtt').textContent = c.roundTripMillis == null ? '—' : c.roundTripMillis.toFixed(2) + ' ms';
  } catch (e) { $('client-state').textContent = 'unavailable'; }
  try {
    const m = await (await fetch('api/metrics', { cache: 'no-store' })).json();
    $('m-open').textContent = m.openConnections;
    $('m-rate').textContent = m.messagesPerSecond.toFixed(1);
    $('m-buffered').textContent = m.buffered;
    $('m-buffered-max').textContent = m.bufferedMax;
  } catch (e) { $('m-open').textContent = 'unavailable'; }
}

// Sign out without leaving the page, so that it shows the session feed closing with 1008.
$('logout-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await fetch('logout', { method: 'POST', body: new URLSearchParams({ _csrf: $('csrf').value }), redirect: 'manual' });
  } catch (err) { /* shown by loadMe below */ }
  await loadMe();
});

loadMe().then(openSessionFeed);
poll();
setInterval(poll, 1000);
