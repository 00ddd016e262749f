#!/usr/bin/env bash
# The client benchmark: Duplex's WebSocket client beside the JDK's java.net.http WebSocket,
# OkHttp 5.5.1 and Jetty 12.1.14's client, in one run, against one Netty 4.2 websocketx echo
# server in its own JVM, over 127.0.0.1 only. Prints one table with ratios Duplex / best of the
# others (memory: Duplex / leanest). About 5 minutes with the defaults, 6-7 with --rounds 3.
#
# Usage: websocket-load/run-client-bench.sh [options]
#   --clients duplex,duplex-direct,jdk,okhttp,jetty   which clients (default: all)
#   --scenarios rtt,pipe64,pipe16k,connect,memory     which scenarios (default: all)
#   --rounds N            rounds of the throughput scenarios; best shown with spread (default 2)
#   --warmup-ms N         warm-up per throughput cell (default 1500)
#   --measure-ms N        measuring time per throughput cell (default 3000)
#   --connections N       idle connections for the memory scenario, at most 15000 (default 10000)
#   --connect-threads N   threads connecting in a loop in the connect scenario (default 4)
#   --no-build            use websocket-load/target/load.jar as it is
#
# "duplex" runs listeners on Duplex's dispatch pool (the default); "duplex-direct" runs them on
# the I/O thread (WebSocketClient.Builder.directDispatch(true), for listeners that never block).
# Progress goes to stderr, the table to stdout: run-client-bench.sh > table.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build=1
args=()
for a in "$@"; do
  if [[ "$a" == "--no-build" ]]; then build=0; elif [[ "$a" == "--help" || "$a" == "-h" ]]; then
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0
  else args+=("$a"); fi
done
if [[ $build == 1 ]]; then
  (cd "$root" && mvn -B -q -pl websocket-load -am package -DskipTests)
fi
# Each JVM (this one, the echo server, each memory probe) stays under the 20,000-file limit.
ulimit -n 20000 2>/dev/null || true
exec java -Xmx1g -cp "$root/websocket-load/target/load.jar" \
  dev.duplex.websocket.load.client.ClientBenchmark "${args[@]+"${args[@]}"}"
