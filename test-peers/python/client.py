"""A scriptable WebSocket client (Python websockets) for Duplex's server tests.

Usage: python3 client.py URL [--protocols a,b] [--ca cert.pem] [--deflate] STEP...

The same steps and the same JSON lines as test-peers/node/client.js, so that one test drives
either peer: open, text, binary, pong and close events; steps text:S, gen-text:N, binary:N,
fragments:N:S, ping:S, recv, close:C:R, wait-close. Every wait is bounded (10 s); a timeout or
an error exits with status 3.
"""

import asyncio
import hashlib
import json
import ssl
import sys

import websockets

WAIT_S = 10


def emit(event):
    sys.stdout.write(json.dumps(event, separators=(",", ":"), ensure_ascii=False) + "\n")
    sys.stdout.flush()


def emit_message(message):
    if isinstance(message, bytes):
        emit({"event": "binary", "length": len(message), "sha256": hashlib.sha256(message).hexdigest()})
    elif len(message) <= 1000:
        emit({"event": "text", "data": message})
    else:
        data = message.encode("utf-8")
        emit({"event": "text", "length": len(message), "sha256": hashlib.sha256(data).hexdigest()})


def emit_close(ws):
    emit({"event": "close", "code": ws.close_code, "reason": ws.close_reason or ""})


async def run(url, protocols, context, deflate, steps):
    async with websockets.connect(
        url,
        subprotocols=protocols or None,
        ssl=context,
        compression="deflate" if deflate else None,
        max_size=None,
        open_timeout=WAIT_S,
        close_timeout=WAIT_S,
    ) as ws:
        emit({"event": "open", "protocol": ws.subprotocol or ""})
        for step in steps:
            name, _, arg = step.partition(":")
            if name == "text":
                await ws.send(arg)
            elif name == "gen-text":
                await ws.send("".join(chr(97 + i % 26) for i in range(int(arg))))
            elif name == "binary":
                await ws.send(bytes(i % 251 for i in range(int(arg))))
            elif name == "fragments":
                count, _, text = arg.partition(":")
                size = -(-len(text) // int(count))
                # An iterable of str goes out as one text message, one frame per element.
                await ws.send([text[i : i + size] for i in range(0, len(text), size)])
            elif name == "ping":
                waiter = await ws.ping(arg)
                await asyncio.wait_for(waiter, WAIT_S)
                emit({"event": "pong", "data": arg})
            elif name == "recv":
                emit_message(await asyncio.wait_for(ws.recv(), WAIT_S))
            elif name == "close":
                code, _, reason = arg.partition(":")
                await asyncio.wait_for(ws.close(int(code), reason), WAIT_S)
                emit_close(ws)
            elif name == "wait-close":
                await asyncio.wait_for(ws.wait_closed(), WAIT_S)
                emit_close(ws)
            else:
                raise ValueError("unknown step " + step)


def main(argv):
    url = argv[0]
    protocols = []
    context = None
    deflate = False
    steps = []
    rest = argv[1:]
    while rest:
        a = rest.pop(0)
        if a == "--protocols":
            protocols = rest.pop(0).split(",")
        elif a == "--ca":
            context = ssl.create_default_context(cafile=rest.pop(0))
        elif a == "--deflate":
            deflate = True
        else:
            steps.append(a)
    try:
        asyncio.run(run(url, protocols, context, deflate, steps))
    except Exception as e:  # noqa: BLE001 - any failure is the test's to report
        sys.stderr.write("client.py: %s: %s\n" % (type(e).__name__, e))
        sys.exit(3)


if __name__ == "__main__":
    main(sys.argv[1:])
