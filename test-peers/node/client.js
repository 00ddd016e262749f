// A scriptable WebSocket client (node ws 8.x) for Duplex's server tests.
// Usage: node client.js URL [--protocols a,b] [--ca cert.pem] [--deflate] STEP...
// Runs the steps in order and prints one JSON line per event on stdout:
//   {"event":"open","protocol":P}          once connected (P is "" when none was agreed)
//   {"event":"text","data":S}              a text message of at most 1000 characters
//   {"event":"text","length":N,"sha256":H} a longer one (H of its UTF-8 bytes)
//   {"event":"binary","length":N,"sha256":H}
//   {"event":"pong","data":S}
//   {"event":"close","code":C,"reason":R}
// Steps:
//   text:S           send S as one text message
//   gen-text:N       send N characters 'a'..'z' repeated
//   binary:N         send N bytes (byte i is i % 251)
//   fragments:N:S    send S as one text message in N frames
//   ping:S           send a ping with payload S and wait for its pong
//   recv             wait for the next message and print it
//   close:C:R        close with code C and reason R, wait for the close and print it
//   wait-close       wait for the server to close and print it
// Every wait is bounded (10 s); a timeout or an error exits with status 3.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const WebSocket = require('ws');

const WAIT_MS = 10000;
const args = process.argv.slice(2);
const url = args.shift();
const options = { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 };
let protocols = [];
const steps = [];
while (args.length > 0) {
  const a = args.shift();
  if (a === '--protocols') protocols = args.shift().split(',');
  else if (a === '--ca') options.ca = fs.readFileSync(args.shift());
  else if (a === '--deflate') options.perMessageDeflate = true;
  else steps.push(a);
}

function print(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function digest(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

function printMessage(data, isBinary) {
  if (isBinary) {
    print({ event: 'binary', length: data.length, sha256: digest(data) });
    return;
  }
  const text = data.toString('utf8');
  if (text.length <= 1000) print({ event: 'text', data: text });
  else print({ event: 'text', length: text.length, sha256: digest(data) });
}

function fail(why) {
  process.stderr.write('client.js: ' + why + '\n');
  process.exit(3);
}

const ws = new WebSocket(url, protocols, options);
const inbox = [];
let waiter = null;
let closed = null;
let closeWaiter = null;
let pongWaiter = null;

ws.on('message', (data, isBinary) => {
  inbox.push([data, isBinary]);
  if (waiter) { const w = waiter; waiter = null; w(); }
});
ws.on('pong', (payload) => {
  if (pongWaiter) { const w = pongWaiter; pongWaiter = null; w(payload); }
});
ws.on('close', (code, reason) => {
  closed = { event: 'close', code, reason: reason.toString('utf8') };
  if (closeWaiter) { const w = closeWaiter; closeWaiter = null; w(); }
  if (waiter) { const w = waiter; waiter = null; w(); }
});
ws.on('error', (e) => fail(e.message));
ws.on('open', () => {
  print({ event: 'open', protocol: ws.protocol });
  run().then(() => process.exit(0), (e) => fail(e.message));
});

function bounded(what, register) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for ' + what)), WAIT_MS);
    register((value) => { clearTimeout(timer); resolve(value); });
  });
}

function nextMessage() {
  if (inbox.length > 0) return Promise.resolve(inbox.shift());
  if (closed) return Promise.reject(new Error('closed before a message: ' + closed.code));
  return bounded('a message', (done) => { waiter = done; }).then(() => {
    if (inbox.length === 0) throw new Error('closed before a message: ' + closed.code);
    return inbox.shift();
  });
}

function awaitClose() {
  if (closed) return Promise.resolve();
  return bounded('the close', (done) => { closeWaiter = done; });
}

function send(data, opts) {
  return new Promise((resolve, reject) => ws.send(data, opts, (e) => (e ? reject(e) : resolve())));
}

async function run() {
  for (const step of steps) {
    const [name, ...rest] = step.split(':');
    const arg = rest.join(':');
    switch (name) {
      case 'text': await send(arg, { binary: false }); break;
      case 'gen-text': {
        const n = Number(arg);
        let s = '';
        for (let i = 0; i < n; i++) s += String.fromCharCode(97 + (i % 26));
        await send(s, { binary: false });
        break;
      }
      case 'binary': {
        const n = Number(arg);
        const buf = Buffer.alloc(n);
        for (let i = 0; i < n; i++) buf[i] = i % 251;
        await send(buf, { binary: true });
        break;
      }
      case 'fragments': {
        const n = Number(rest[0]);
        const body = Buffer.from(rest.slice(1).join(':'), 'utf8');
        const size = Math.ceil(body.length / n);
        for (let i = 0; i < n; i++) {
          await send(body.subarray(i * size, (i + 1) * size), { binary: false, fin: i === n - 1 });
        }
        break;
      }
      case 'ping': {
        const pong = bounded('a pong', (done) => { pongWaiter = done; });
        ws.ping(arg);
        print({ event: 'pong', data: (await pong).toString('utf8') });
        break;
      }
      case 'recv': {
        const [data, isBinary] = await nextMessage();
        printMessage(data, isBinary);
        break;
      }
      case 'close': {
        const code = Number(rest[0]);
        ws.close(code, rest.slice(1).join(':'));
        await awaitClose();
        print(closed);
        break;
      }
      case 'wait-close': await awaitClose(); print(closed); break;
      default: throw new Error('unknown step ' + step);
    }
  }
}
