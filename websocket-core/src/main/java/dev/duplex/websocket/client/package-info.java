/**
 * The WebSocket client: {@link dev.duplex.websocket.client.WebSocketClient}, its options, and
 * reconnection.
 *
 * <h2>Counterparts of the seed clients</h2>
 *
 * Every item of the client seeds, with its Java counterpart.
 *
 * <p>IRIS {@code %Net.WebSocket.Client} (seed 000):
 *
 * <ul>
 *   <li>{@code %New(url, credentials, listener, protocols, request)} and {@code
 *       EstablishConnection()}: {@link dev.duplex.websocket.client.WebSocketClient#connect(
 *       java.net.URI, dev.duplex.websocket.WebSocketListener)} on a client from {@link
 *       dev.duplex.websocket.client.WebSocketClient#builder()};
 *   <li>{@code URL}: {@link dev.duplex.websocket.WebSocket#uri()};
 *   <li>{@code Credentials} (user name, password, SSL configuration): {@link
 *       dev.duplex.websocket.client.WebSocketClient.Builder#basicAuth}, {@link
 *       dev.duplex.websocket.client.WebSocketClient.Builder#bearerToken}, {@link
 *       dev.duplex.websocket.client.WebSocketClient.Builder#sslContext}, {@link
 *       dev.duplex.websocket.client.WebSocketClient.Builder#sslParameters};
 *   <li>{@code EventListener} (open, close, message, error): {@link
 *       dev.duplex.websocket.WebSocketListener};
 *   <li>{@code AcceptedProtocols}: {@link
 *       dev.duplex.websocket.client.WebSocketClient.Builder#subprotocols}, {@link
 *       dev.duplex.websocket.client.ConnectRequest#withSubprotocols}; {@code Protocol} (the one
 *       in use): {@link dev.duplex.websocket.WebSocket#subprotocol()};
 *   <li>{@code Request} (the HTTP request carrying the upgrade): {@link
 *       dev.duplex.websocket.client.ConnectRequest} (headers, cookies), {@link
 *       dev.duplex.websocket.client.WebSocketClient.Builder#header}, {@link
 *       dev.duplex.websocket.client.WebSocketClient.Builder#proxy} (also for {@code wss});
 *   <li>{@code Nonce} (16 random bytes, Base64): the {@code Sec-WebSocket-Key}, fresh for every
 *       connect; {@code ValidateProtocolSwitch()}: the response checks, which fail the connect
 *       with a {@link dev.duplex.websocket.HandshakeException};
 *   <li>{@code Next(timeout)}: {@link
 *       dev.duplex.websocket.client.WebSocketClient#connectPull(java.net.URI)} and {@link
 *       dev.duplex.websocket.WebSocket#receive(java.time.Duration)};
 *   <li>{@code Ping(message, timeout)} with its ping-timeout and pong-invalid errors: {@link
 *       dev.duplex.websocket.WebSocket#ping(java.nio.ByteBuffer, java.time.Duration)}, which
 *       fails with a {@link java.util.concurrent.TimeoutException} or on a pong whose payload
 *       differs; {@code Pong(message)}: {@link
 *       dev.duplex.websocket.WebSocket#pong(java.nio.ByteBuffer)};
 *   <li>{@code Send(content, fragmentSize)} of strings, streams and dynamic objects: {@link
 *       dev.duplex.websocket.WebSocket#sendText(CharSequence, int)}, {@link
 *       dev.duplex.websocket.WebSocket#sendBinary(java.nio.ByteBuffer, int)}, {@link
 *       dev.duplex.websocket.WebSocket#sendText(java.io.Reader, int)}, {@link
 *       dev.duplex.websocket.WebSocket#sendBinary(java.io.InputStream, int)}, {@link
 *       dev.duplex.websocket.WebSocket#sendObject(Object)};
 *   <li>{@code %OnClose()}: {@link dev.duplex.websocket.WebSocket#close(int, String)}, and
 *       {@link dev.duplex.websocket.client.WebSocketClient#close()} for all of a client's
 *       connections.
 * </ul>
 *
 * <p>4D {@code 4D.WebSocket} (seed 003):
 *
 * <ul>
 *   <li>{@code 4D.WebSocket.new(url, connectionHandler)} with {@code ws://} and {@code wss://}
 *       URLs: {@link dev.duplex.websocket.client.WebSocketClient#connect(java.net.URI,
 *       dev.duplex.websocket.WebSocketListener)}; a connection that is not possible fails the
 *       returned future, and the listener gets {@code onError} then {@code onClose} (4D returns
 *       null and raises an error);
 *   <li>the handler's {@code onOpen}, {@code onMessage}, {@code onError}, {@code onTerminate}
 *       (code, reason, wasClean) and their order: {@link dev.duplex.websocket.WebSocketListener};
 *       {@code .handler}: the listener object the caller passed to {@code connect} (the caller
 *       keeps it; per-connection state goes in {@link
 *       dev.duplex.websocket.WebSocket#attributes()});
 *   <li>the handler's {@code headers} (a collection for a repeated name) and {@code Cookie}:
 *       {@link dev.duplex.websocket.client.ConnectRequest#withHeader}, {@link
 *       dev.duplex.websocket.client.ConnectRequest#withCookie}, and the builder's defaults;
 *   <li>{@code dataType} ("text", "blob", "object"): {@link
 *       dev.duplex.websocket.WebSocketListener#onText}, {@link
 *       dev.duplex.websocket.WebSocketListener#onBinary}, and JSON through a {@link
 *       dev.duplex.websocket.JsonCodec};
 *   <li>{@code .send(Text | Blob | Object)}: {@code sendText}, {@code sendBinary}, {@code
 *       sendObject} of {@link dev.duplex.websocket.WebSocket};
 *   <li>{@code .id}, {@code .url}, {@code .status}: {@link dev.duplex.websocket.WebSocket#id()},
 *       {@link dev.duplex.websocket.WebSocket#uri()}, {@link
 *       dev.duplex.websocket.WebSocket#readyState()} ({@link
 *       dev.duplex.websocket.ReadyState#statusText()} gives 4D's strings);
 *   <li>{@code .terminate(code, reason)} with its code rules (1000 or 3000–4999): {@link
 *       dev.duplex.websocket.WebSocket#close(int, String)}, which refuses other codes with an
 *       {@link IllegalArgumentException}; {@link dev.duplex.websocket.WebSocket#close()} sends
 *       1000.
 * </ul>
 *
 * <p>Qore {@code WebSocketClient} (seed 004):
 *
 * <ul>
 *   <li>{@code constructor(callback, opts)} with {@code url}: {@link
 *       dev.duplex.websocket.client.WebSocketClient#builder()} and the listener given to {@code
 *       connect}; a missing URL, an unknown scheme or a bad option is an {@link
 *       IllegalArgumentException} at once (Qore's {@code WEBSOCKET-ERROR});
 *   <li>{@code connect(opts.hdr)} returning the response headers: {@link
 *       dev.duplex.websocket.client.ConnectRequest#withHeader} and {@link
 *       dev.duplex.websocket.WebSocket#handshakeHeaders()};
 *   <li>the background thread that receives messages for the callback: the client's I/O loops
 *       and dispatch executor (a fixed few threads, none per connection);
 *   <li>the callback called with no message when the server disconnects: {@link
 *       dev.duplex.websocket.WebSocketListener#onClose};
 *   <li>{@code disconnect(code)} (going away by default): {@link
 *       dev.duplex.websocket.WebSocket#close(int, String)}; a client that goes away sends 1001
 *       when its {@link dev.duplex.websocket.client.WebSocketClient#close()} closes its
 *       connections;
 *   <li>{@code isOpen()}: {@link dev.duplex.websocket.WebSocket#isOpen()}, {@link
 *       dev.duplex.websocket.client.ReconnectingWebSocket#isOpen()};
 *   <li>{@code connect()} on a connected client, which disconnects first: {@link
 *       dev.duplex.websocket.client.ReconnectingWebSocket#reconnect()}; reconnecting after a drop:
 *       {@link dev.duplex.websocket.client.ReconnectingWebSocket} with a {@link
 *       dev.duplex.websocket.client.ReconnectPolicy}.
 * </ul>
 */
@NullMarked
package dev.duplex.websocket.client;

import org.jspecify.annotations.NullMarked;
