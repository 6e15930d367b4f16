#!/usr/bin/env bash
# JMH benchmarks of the node's per-frame stages (preprocess, analysis, JSON), with allocation per operation.
#   scripts/jmh.sh                      # all of FrameStagesBenchmark, results also in $JMH_JSON (default /tmp/mdeas-jmh.json)
#   scripts/jmh.sh -wi 1 -i 2 json      # any JMH options / benchmark regex
# Builds perception-node with -Pjmh into $MDEAS_TARGET (default target-jmh); offline unless MVN_ONLINE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${MDEAS_TARGET:-target-jmh}
out=${JMH_JSON:-/tmp/mdeas-jmh.json}
offline=-o
[[ ${MVN_ONLINE:-0} == 1 ]] && offline=
mvn -B -q $offline -Pjmh -Dmdeas.target="$target" -pl perception-node test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$target/jmh.classpath" >&2
cp="perception-node/$target/test-classes:perception-node/$target/classes:$(cat "perception-node/$target/jmh.classpath")"
args=("$@")
[[ ${#args[@]} -eq 0 ]] && args=(FrameStagesBenchmark)
exec java -cp "$cp" org.openjdk.jmh.Main -prof gc -rf json -rff "$out" "${args[@]}"
