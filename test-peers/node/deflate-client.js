// A node ws client for Duplex's permessage-deflate server tests.
// Usage: node deflate-client.js URL [OPTIONS_JSON]
// OPTIONS_JSON is ws's perMessageDeflate client options, such as
//   {"serverNoContextTakeover":true,"clientMaxWindowBits":10,"threshold":0}
// (threshold 0 by default, so that every message is compressed). The client connects, sends a
// fixed series of messages to an echo endpoint (texts from empty to 256 KiB, the same JSON twice,
// binary noise and zeros, and one compressed message in three fragments), checks each echo, and
// prints one JSON line: {"extensions":"<the response's Sec-WebSocket-Extensions>","echoed":N,"failures":[...],"read":R,"written":W,
// "close":CODE}. It exits by itself within 20 seconds.
'use strict';
const crypto = require('crypto');
const WebSocket = require('ws');

const url = process.argv[2];
const options = Object.assign({ threshold: 0 }, process.argv[3] ? JSON.parse(process.argv[3]) : {});

const json = JSON.stringify({ type: 'chat', room: 'lobby', user: 'ada', text: 'hello there, how are you?' });
const doc = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, name: 'item ' + i, tags: ['a', 'b'] })));
const messages = [
  { data: '', binary: false },
  { data: 'Hello', binary: false },
  { data: json, binary: false },
  { data: json, binary: false },
  { data: doc, binary: false },
  { data: 'x'.repeat(256 * 1024), binary: false },
  { data: 'ünïcödé ✓ '.repeat(500), binary: false },
  { data: crypto.randomBytes(50 * 1024), binary: true },
  { data: Buffer.alloc(1024 * 1024), binary: true },
];
const fragmented = ['first part, ', 'second part, ', 'and the end'];

const failures = [];
let echoed = 0;
let agreed = '';
const ws = new WebSocket(url, { perMessageDeflate: options });
ws.on('upgrade', (res) => { agreed = res.headers['sec-websocket-extensions'] || ''; });
const timer = setTimeout(() => finish(-1), 20000);

function same(a, b) {
  return Buffer.from(a).equals(Buffer.from(b));
}

ws.on('open', () => {
  for (const m of messages) ws.send(m.data, { binary: m.binary, compress: true });
  fragmented.forEach((part, i) => ws.send(part, { binary: false, fin: i === fragmented.length - 1, compress: true }));
});

ws.on('message', (data, isBinary) => {
  const index = echoed++;
  const expected = index < messages.length ? messages[index] : { data: fragmented.join(''), binary: false };
  if (isBinary !== expected.binary || !same(data, expected.data)) {
    failures.push('message ' + index + ' differs (' + data.length + ' bytes)');
  }
  if (echoed === messages.length + 1) ws.close(1000);
});

ws.on('close', (code) => finish(code));
ws.on('error', (e) => failures.push('error: ' + e.message));

function finish(code) {
  clearTimeout(timer);
  const socket = ws._socket;
  process.stdout.write(JSON.stringify({
    extensions: agreed,
    echoed,
    failures,
    read: socket ? socket.bytesRead : -1,
    written: socket ? socket.bytesWritten : -1,
    close: code,
  }) + '\n');
  process.exit(0);
}
