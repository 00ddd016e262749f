#!/usr/bin/env bash
# Permessage-deflate: Duplex against Netty 4.2.18 on the same messages, in one JMH run.
#
# Usage (from anywhere):  websocket-benchmarks/run-deflate-bench.sh [extra JMH options]
#   e.g. websocket-benchmarks/run-deflate-bench.sh -p data=CHAT -i 10
#
# It builds the benchmark jar (core included), prints each side's compression ratio per data set,
# runs PerMessageDeflateBenchmark (compress and decompress x CHAT, JSON_16K, RANDOM_16K;
# 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement: about 4 minutes) and prints a table of messages/s
# and MB/s (of uncompressed data) per side with the Duplex/Netty ratio; the raw JMH results stay in
# websocket-benchmarks/target/deflate-results.csv. Last, DeflateCpuTime times the same operations
# in thread CPU time (about 30 s), a cross-check that stays stable when other processes share the
# cores. Nothing touches the network. Other load on the machine skews the figures: run it on an idle machine, or twice.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -ntp -pl websocket-benchmarks -am package -DskipTests -Dspotless.check.skip=true
JAR=websocket-benchmarks/target/benchmarks.jar
RESULT=websocket-benchmarks/target/deflate-results.csv

echo "== compression ratio (original / compressed), context takeover, level 6"
RATIOS=$(java -cp "$JAR" dev.duplex.websocket.benchmarks.DeflateRatio)
echo "$RATIOS"

echo "== throughput"
java -jar "$JAR" PerMessageDeflateBenchmark -rf csv -rff "$RESULT" "$@"

# Per data set: messages and bytes per sequence, from the ratio table.
echo
echo "== summary (per data set and direction; MB/s of uncompressed data)"
echo "$RATIOS" | awk 'NR > 1 { print $1, $2, $2 * $3 }' > "$RESULT.sets"
printf "%-24s %14s %10s %14s %10s %8s\n" "set / direction" "duplex msg/s" "MB/s" "netty msg/s" "MB/s" "ratio"
awk -F, -v sets="$RESULT.sets" '
  BEGIN {
    while ((getline line < sets) > 0) { split(line, f, " "); count[f[1]] = f[2]; bytes[f[1]] = f[3] }
  }
  NR > 1 {
    gsub(/"|\r/, "")
    n = split($1, parts, "."); bench = parts[n]; set = $NF
    us = $5; err = $6
    side = (bench ~ /^duplex/) ? "duplex" : "netty"
    dir = bench; sub(/^(duplex|netty)/, "", dir)
    key = set " " dir
    msgs[key, side] = count[set] / us * 1e6
    mbs[key, side] = bytes[set] / us
    spread[key, side] = 100 * err / us
    keys[key] = 1
  }
  END {
    for (k in keys) {
      printf "%-24s %14.0f %10.1f %14.0f %10.1f %7.2fx   (error %.0f%% / %.0f%%)\n", k, \
        msgs[k, "duplex"], mbs[k, "duplex"], msgs[k, "netty"], mbs[k, "netty"], \
        msgs[k, "duplex"] / msgs[k, "netty"], spread[k, "duplex"], spread[k, "netty"]
    }
  }' "$RESULT" | sort
rm -f "$RESULT.sets"

echo
echo "== cross-check in CPU time of the measuring thread (insensitive to other load on the machine)"
java -Xms1g -Xmx1g -cp "$JAR" dev.duplex.websocket.benchmarks.DeflateCpuTime
