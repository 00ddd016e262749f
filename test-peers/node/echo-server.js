// An independent echo server (node ws 8.x) for Duplex's client tests.
// Usage: node echo-server.js [--tls keystore.p12 password] [--protocols a,b] [--no-deflate]
//                            [--deflate JSON]
// --deflate takes ws's perMessageDeflate options as JSON, such as
//   {"serverNoContextTakeover":true,"clientMaxWindowBits":10,"threshold":0}
// Prints one JSON line {"port": N} when it listens on 127.0.0.1 (port chosen by the OS).
// Every message is echoed with its type, except text commands starting with "!":
//   !close CODE REASON   close with CODE and REASON
//   !terminate           drop the TCP connection without a close frame
//   !fragments N TEXT    send TEXT as one message in N frames
//   !ping PAYLOAD        send a ping with PAYLOAD
//   !headers             send the request headers as JSON text
//   !protocol            send the agreed subprotocol as text
//   !extensions          send the agreed extensions header as text
//   !binary N            send an N-byte binary message (bytes i % 251)
//   !bytes               send {"read":R,"written":W}, the socket's byte counts so far, as text
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
let tls = null;
let protocols = [];
let deflate = true;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--tls') { tls = { pfx: fs.readFileSync(args[++i]), passphrase: args[++i] }; }
  else if (args[i] === '--protocols') { protocols = args[++i].split(','); }
  else if (args[i] === '--no-deflate') { deflate = false; }
  else if (args[i] === '--deflate') { deflate = JSON.parse(args[++i]); }
  else { console.error('unknown argument ' + args[i]); process.exit(2); }
}

const server = tls ? https.createServer(tls) : http.createServer();
const wss = new WebSocketServer({
  server,
  maxPayload: 64 * 1024 * 1024,
  perMessageDeflate: deflate,
  handleProtocols: (offered) => protocols.find((p) => offered.has(p)) || false,
});

wss.on('connection', (ws, req) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const text = data.toString('utf8');
      if (text.startsWith('!')) { command(ws, req, text); return; }
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('error', () => {});
});

function command(ws, req, text) {
  const [name, ...rest] = text.split(' ');
  switch (name) {
    case '!close': ws.close(Number(rest[0]), rest.slice(1).join(' ')); break;
    case '!terminate': ws.terminate(); break;
    case '!fragments': {
      const n = Number(rest[0]);
      const body = Buffer.from(rest.slice(1).join(' '), 'utf8');
      const size = Math.ceil(body.length / n);
      for (let i = 0; i < n; i++) {
        ws.send(body.subarray(i * size, (i + 1) * size), { binary: false, fin: i === n - 1, compress: false });
      }
      break;
    }
    case '!ping': ws.ping(rest.join(' ')); break;
    case '!headers': ws.send(JSON.stringify(req.headers)); break;
    case '!protocol': ws.send(ws.protocol); break;
    case '!extensions': ws.send(ws.extensions); break;
    case '!binary': {
      const n = Number(rest[0]);
      const buf = Buffer.alloc(n);
      for (let i = 0; i < n; i++) buf[i] = i % 251;
      ws.send(buf, { binary: true });
      break;
    }
    case '!bytes':
      ws.send(JSON.stringify({ read: req.socket.bytesRead, written: req.socket.bytesWritten }));
      break;
    default: ws.send(text);
  }
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
