"""The Python `websockets` peer server of the interoperability tests (websocket-interop).

Runs the Command script of dev.duplex.websocket.interop.Command: echoes every message with its
type, except text starting with '#': close, fragments, ping, bad. Prints "port N" once listening,
then "closed CODE REASON" for each close frame it receives, and exits when stdin closes.
"""
import asyncio
import sys

import websockets


async def script(ws):
    try:
        async for message in ws:
            if isinstance(message, bytes) or not message.startswith("#"):
                await ws.send(message)
                continue
            verb, _, rest = message[1:].partition(" ")
            if verb == "close":
                code, _, reason = rest.partition(" ")
                await ws.close(int(code), reason)
            elif verb == "fragments":
                # send() of an iterable of str sends one text message in fragments; the pieces
                # are whole characters, as the API takes str.
                size, _, text = rest.partition(" ")
                size = int(size)
                await ws.send([text[i:i + size] for i in range(0, len(text), size)])
            elif verb == "ping":
                waiter = await ws.ping(rest.encode("utf-8"))
                await waiter
                await ws.send("pong " + rest)
            elif verb == "bad":
                # A close frame with code 1005 (RFC 6455 §7.4.1 forbids it on the wire), written
                # under the library, which would refuse to send it.
                ws.transport.write(bytes([0x88, 0x02, 0x03, 0xED]))
    except websockets.ConnectionClosed:
        pass
    if ws.close_code is not None:
        print("closed", ws.close_code, ws.close_reason or "", flush=True)


async def main():
    async with websockets.serve(
        script,
        "127.0.0.1",
        0,
        subprotocols=["chat.v1", "chat.v2"],
        compression="deflate",
        max_size=None,
        ping_interval=None,
    ) as server:
        print("port", server.sockets[0].getsockname()[1], flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)


asyncio.run(main())
