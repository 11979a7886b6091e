#!/usr/bin/env bash
# JMH micro-benchmarks (make bench-jmh): codec encode/decode per bet, client CSV parse per bet,
# server CSV encode + append per bet. About 1.5 minutes. See docs/performance.md.
#
#   scripts/bench-jmh.sh [JMH options...]   extra options are passed to JMH, e.g. a benchmark
#                                           regexp (`scripts/bench-jmh.sh Codec`) or `-prof gc`.
# BENCH_JMH_SKIP_BUILD=1 runs the existing benchmarks/target/benchmarks.jar without Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"   # the benchmarks find .data/dataset.zip from the working directory
JAR="$ROOT/benchmarks/target/benchmarks.jar"

if [[ "${BENCH_JMH_SKIP_BUILD:-0}" != 1 ]]; then
    # clean: Maven does not recompile the benchmarks when only a module they use changed
    echo "[bench-jmh] mvn -q -B -Pbench clean package -DskipTests -pl benchmarks -am" >&2
    mvn -q -B -Pbench clean package -DskipTests -pl benchmarks -am >&2
fi
[[ -f "$JAR" ]] || { echo "[bench-jmh] $JAR not found" >&2; exit 1; }

echo "[bench-jmh] $(date '+%Y-%m-%d %H:%M:%S %z') $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -n1)" >&2
java -jar "$JAR" -f 1 -wi 3 -i 5 -w 1s -r 1s "$@"
echo "[bench-jmh] done, load $(cut -d' ' -f1-3 /proc/loadavg); scores are ns per bet (lower is better)" >&2
