#!/usr/bin/env bash
# Runs the perception node on its embedded defaults: bundled demo clip, bundled model,
# MQTT "auto" (a local broker on 127.0.0.1:1883 if one answers, else an embedded one),
# metrics and health on http://127.0.0.1:9464. Builds the node first when needed.
# Extra arguments go to `perception-node run` (e.g. --print, --max-frames 100).
set -euo pipefail
cd "$(dirname "$0")"
jar=perception-node/target/perception-node.jar
if [ ! -f "$jar" ] || [ -n "$(find perception-node/src perception-node/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
  echo "building perception-node (first run takes a few minutes)..." >&2
  mvn -q -B -DskipTests -pl perception-node -am package
fi
exec java -XX:+UseSerialGC -Xmx512m -jar "$jar" run "$@"
