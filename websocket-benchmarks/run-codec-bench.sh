#!/usr/bin/env bash
# Runs the frame codec benchmarks (Duplex against Netty and Jetty, and the masking loop against a
# memory copy and a long-at-a-time XOR loop), prints JMH's table, then the side-by-side ratios.
#
#   websocket-benchmarks/run-codec-bench.sh                 # about 10 minutes on 2 cores
#   websocket-benchmarks/run-codec-bench.sh -p size=16      # extra JMH options are appended
#   JMH_OPTS="-f 3 -wi 5 -w 1s -i 10 -r 1s" websocket-benchmarks/run-codec-bench.sh   # longer, steadier
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
# 40 benchmarks x 2 forks x (2 x 1 s warm-up + 4 x 1 s measured + JVM start). Two forks rather
# than longer iterations: the JIT does not always compile a loop the same way, and one fork
# would report whichever shape it happened to get.
read -r -a jmh_opts <<< "${JMH_OPTS:--f 2 -wi 2 -w 1s -i 4 -r 1s}"

java -jar "$jar" 'dev\.duplex\.websocket\.benchmarks\.(FrameDecode|FrameEncode|Masking)Benchmark\.' \
    "${jmh_opts[@]}" -rf json -rff "$results" "$@"

java -cp "$jar" dev.duplex.websocket.benchmarks.BenchmarkRatios "$results"
