#!/usr/bin/env bash
# The server benchmark (issue 4, "Speed and memory"): Duplex's standalone WebSocketServer, a Netty
# 4.2.18 websocketx echo server, a Jetty 12.1.14 echo server and Tomcat (Spring Boot 4.0.7 +
# spring-boot-starter-websocket), each in its own JVM, against one raw-NIO load generator (a fresh
# JVM per cell). Loopback only; every cell is bounded; the whole run takes about 10-15 minutes.
#
# Usage (from the repository root or anywhere):
#   websocket-load/run-server-bench.sh                     # everything, table in websocket-load/target/server-bench.md
#   websocket-load/run-server-bench.sh --servers duplex,netty --warmup 1 --measure 2 --idle 2000
# Options: --servers LIST  --warmup S  --measure S  --rate MSGS_PER_S (latency cell)  --idle N  --out FILE
#   --cells throughput,latency,handshakes,idle   run only these kinds of cell
#   --rounds N    run every server N times, taking turns; the table shows median (min–max)
#   --connections 1,100  --sizes 4096,65536   only these throughput cells
#   --skip-build  reuse the last build
#
# Run it on a quiet machine: the servers and the load generator share the same cores, and other
# load shows up as noise (re-run a figure that looks off).
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
args=()
for a in "$@"; do
  if [ "$a" = "--skip-build" ]; then build=0; else args+=("$a"); fi
done
if [ "$build" = 1 ]; then
  # The reactor builds core, the starter and this module; the classpath (not the shaded jar) keeps
  # Spring Boot's auto-configuration files intact for the Tomcat server.
  mvn -B -q -ntp -pl websocket-load -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt
fi
cd websocket-load
exec java -cp "target/classes:$(cat target/classpath.txt)" dev.duplex.websocket.load.server.ServerBench ${args[@]+"${args[@]}"}
