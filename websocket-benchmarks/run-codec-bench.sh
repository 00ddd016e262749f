#!/usr/bin/env bash
# Runs the frame codec benchmarks (Duplex against Netty and Jetty, and the masking loop against a
# memory copy and a long-at-a-time XOR loop), prints JMH's table, then the side-by-side ratios.
#
#   websocket-benchmarks/run-codec-bench.sh                 # about 10 minutes on 2 cores
#   websocket-benchmarks/run-codec-bench.sh -p size=16      # extra JMH options are appended
#   JMH_OPTS="-f 3 -wi 5 -i 10" websocket-benchmarks/run-codec-bench.sh   # longer, steadier
#
# Results go to websocket-benchmarks/target/codec-results.json; print their ratios again with
#   java -cp websocket-benchmarks/target/benchmarks.jar \
#       dev.duplex.websocket.benchmarks.BenchmarkRatios websocket-benchmarks/target/codec-results.json
# Run it on an otherwise idle machine: anything else on the cores shows up in the numbers.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn_cmd=(mvn)
if [[ -x ./mvnw ]]; then
    mvn_cmd=(./mvnw)
fi
"${mvn_cmd[@]}" -B -q -pl websocket-core,websocket-benchmarks -am package -DskipTests

jar=websocket-benchmarks/target/benchmarks.jar
results=websocket-benchmarks/target/codec-results.json
# 40 benchmarks x (3 x 1 s warm-up + 5 x 2 s measured + JVM start) in one fork each.
read -r -a jmh_opts <<< "${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 2s}"

java -jar "$jar" 'dev\.duplex\.websocket\.benchmarks\.(FrameDecode|FrameEncode|Masking)Benchmark\.' \
    "${jmh_opts[@]}" -rf json -rff "$results" "$@"

java -cp "$jar" dev.duplex.websocket.benchmarks.BenchmarkRatios "$results"
