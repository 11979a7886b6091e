#!/bin/sh
# JMH micro-benchmarks (make bench-jmh): an agency's and the central's work per bet, each with
# the JIT it runs with (C1 only). About a minute. See docs/performance.md.
#
#   sh scripts/bench-jmh.sh [JMH options...]    e.g. a benchmark pattern (Central) or -prof gc
set -eu
root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)
cd "$root"   # the benchmarks find .data/dataset.zip from the working directory
mvn -q -B -Pbench package -DskipTests -Dcds.skip=true -pl benchmarks -am >&2
java -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -i 5 -w 1s -r 1s "$@"
echo "[bench-jmh] scores are nanoseconds per bet (lower is better)" >&2
