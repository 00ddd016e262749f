#!/usr/bin/env bash
# Duplex's @WebSocketEndpoint against a plain spring-websocket handler, on one Tomcat, over loopback.
#
#   websocket-load/run-spring-bench.sh                      # throughput: 1 and 100 connections x 64 B and 4 KiB
#   websocket-load/run-spring-bench.sh seconds=10 rounds=5  # longer rounds, more of them
#   websocket-load/run-spring-bench.sh heap                 # heap per idle connection (1 MiB limit vs defaults)
#   websocket-load/run-spring-bench.sh heap connections=300
#
# Builds what it needs first (no install). Each figure is echoes per second, the median of the
# rounds with their min-max spread, and the ratio Duplex / plain; both endpoints run in the same
# JVM, on the same Tomcat, alternately, with the same payloads.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl websocket-load -am package -DskipTests -Dspotless.check.skip=true \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
CP="websocket-load/target/classes:$(cat websocket-load/target/classpath.txt)"
if [[ "${1:-}" == "heap" ]]; then
    shift
    exec java -Xmx2g -cp "$CP" dev.duplex.websocket.load.spring.IdleHeapHarness "$@"
fi
exec java -Xmx1g -cp "$CP" dev.duplex.websocket.load.spring.SpringEchoBenchmark "$@"
