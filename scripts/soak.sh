#!/usr/bin/env bash
# Soak: runs the node (the real `run` command: pipeline, embedded MQTT broker, HTTP, stats) at full rate on the
# demo clip's frames and samples, every INTERVAL seconds, its RSS, Java heap after a forced GC, thread count and
# open file descriptors; prints them as a table and, at the end, least-squares slopes per hour.
#   scripts/soak.sh MINUTES [--json FILE]
# Full rate: the demo clip's 350 frames (FRAMES_DIR, default /work/data/demo-seq/frames from
# `model-export render-sequence`; without it they are decoded from the clip in the jar) are linked over and over into one folder read as `dir:` without pacing, so
# every frame is processed as fast as the node can. Environment: MODEL (default: bundled, else the random-init
# export in /tmp/mdeas-onnx), JAR (default perception-node/target/perception-node.jar), INTERVAL (default 10 s,
# 5 s for runs under 5 minutes), MAX_SLOPE_* to change the flatness limits (exit 1 when a slope exceeds them).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:?usage: scripts/soak.sh MINUTES [--json FILE]}
json=
if [[ ${2:-} == --json ]]; then json=${3:?--json needs a file}; fi
jar=${JAR:-perception-node/target/perception-node.jar}
frames_dir=${FRAMES_DIR:-/work/data/demo-seq/frames}
interval=${INTERVAL:-$(python3 -c "print(5 if $minutes < 5 else 10)")}
model=${MODEL:-}
if [[ -z $model ]]; then
  if [[ -f perception-node/src/main/resources/models/mdeas.onnx ]]; then model=; else model=/tmp/mdeas-onnx/mdeas-random-224.onnx; fi
fi
[[ -f $jar ]] || { echo "soak: $jar not found; build it: mvn -B -pl perception-node package -DskipTests (or set JAR=...)" >&2; exit 2; }
work=$(mktemp -d /tmp/mdeas-soak-XXXXXX)
if ! ls "$frames_dir"/*.png >/dev/null 2>&1; then
  # No rendered frames here (e.g. CI): decode the demo clip bundled in the jar into PNGs with the node's own reader.
  frames_dir=$work/demo-png
  mkdir -p "$frames_dir"
  cat >"$work/DemoFrames.java" <<'JAVA'
import io.mdeas.node.capture.DemoSource;
import io.mdeas.node.capture.FfmpegSource;
import java.nio.file.*;
import org.bytedeco.opencv.opencv_core.Mat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

public class DemoFrames {
    public static void main(String[] a) throws Exception {
        Path clip = Path.of(a[0], "demo.mp4");
        try (var in = DemoSource.class.getResourceAsStream(DemoSource.CLIP)) {
            Files.copy(in, clip);
        }
        FfmpegSource src = FfmpegSource.file(clip);
        src.open();
        try (Mat m = new Mat()) {
            for (int i = 0; src.read(m); i++) {
                imwrite(Path.of(a[0], String.format("%06d.png", i)).toString(), m);
            }
        } finally {
            src.close();
            Files.delete(clip);
        }
    }
}
JAVA
  java -cp "$jar" "$work/DemoFrames.java" "$frames_dir" 2>/dev/null
fi
ls "$frames_dir"/*.png >/dev/null 2>&1 || { echo "soak: no PNG frames in $frames_dir (set FRAMES_DIR=...)" >&2; exit 2; }
node_pid=
cleanup() {
  if [[ -n $node_pid ]] && kill -0 "$node_pid" 2>/dev/null; then kill -TERM "$node_pid"; wait "$node_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Enough frames for the whole run at up to 150 frames/s, then a margin.
python3 - "$frames_dir" "$work/frames" "$minutes" <<'PY'
import os, sys
src, dst, minutes = sys.argv[1], sys.argv[2], float(sys.argv[3])
os.makedirs(dst)
frames = sorted(f for f in os.listdir(src) if f.endswith(".png"))
need = int(minutes * 60 * 150) + 1000
for i in range(need):
    os.symlink(os.path.join(os.path.abspath(src), frames[i % len(frames)]), os.path.join(dst, f"{i:08d}.png"))
PY
free_port() { python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
http_port=$(free_port)
mqtt_port=$(free_port)
args=(run --source "dir:$work/frames" --mqtt embedded --set "mqtt.embedded_listen=127.0.0.1:$mqtt_port"
      --http "127.0.0.1:$http_port" --node-id soak)
[[ -n $model ]] && args+=(--model "$model")
java ${SOAK_JAVA_OPTS:-} -jar "$jar" "${args[@]}" >"$work/node.out" 2>"$work/node.err" &
node_pid=$!
echo "soak: node pid $node_pid, $minutes min, sample every $interval s, model ${model:-bundled}, load $(cut -d' ' -f1 /proc/loadavg)" >&2
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$http_port/metrics" >/dev/null && break
  kill -0 "$node_pid" 2>/dev/null || { echo "soak: the node exited early:" >&2; tail -5 "$work/node.err" >&2; exit 1; }
  sleep 0.5
done

samples=$work/samples.tsv
printf "t_s\trss_mb\theap_mb\tthreads\tfds\tframes\n" | tee "$samples"
start=$(date +%s)
end=$((start + $(python3 -c "print(int($minutes*60))")))
while :; do
  now=$(date +%s)
  kill -0 "$node_pid" 2>/dev/null || { echo "soak: the node exited during the run:" >&2; tail -5 "$work/node.err" >&2; exit 1; }
  jcmd "$node_pid" GC.run >/dev/null
  heap_kb=$(jcmd "$node_pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
  rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$node_pid/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$node_pid/status")
  fds=$(ls "/proc/$node_pid/fd" | wc -l)
  processed=$(curl -sf "http://127.0.0.1:$http_port/metrics" | awk '/^mdeas_frames_processed_total/ {printf "%d", $2}')
  printf "%d\t%.1f\t%.1f\t%d\t%d\t%s\n" $((now - start)) "$(echo "$rss_kb/1024" | bc -l)" \
    "$(echo "$heap_kb/1024" | bc -l)" "$threads" "$fds" "${processed:-0}" | tee -a "$samples"
  [[ $now -ge $end ]] && break
  sleep "$interval"
done
# A CPU quota on the node's cgroup (v1 cpu controller, e.g. a soak run beside training) goes into the summary.
cpu_limit=
cg=$(awk -F: '$2 ~ /(^|,)cpu(,|$)/ {print $3}' "/proc/$$/cgroup" 2>/dev/null | head -1)
if [[ -n $cg && -r /sys/fs/cgroup/cpu$cg/cpu.cfs_quota_us ]]; then
  quota=$(cat "/sys/fs/cgroup/cpu$cg/cpu.cfs_quota_us"); period=$(cat "/sys/fs/cgroup/cpu$cg/cpu.cfs_period_us")
  [[ $quota -gt 0 ]] && cpu_limit=$(echo "$quota/$period" | bc -l)
fi
python3 - "$samples" "$minutes" "${json:-}" "$(cut -d' ' -f1 /proc/loadavg)" "$cpu_limit" <<'PY'
import json, os, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
cols = ["t_s", "rss_mb", "heap_mb", "threads", "fds", "frames"]
data = {c: [float(r[i]) for r in rows] for i, c in enumerate(cols)}
# Slopes and growth leave out the first fifth of the run (JIT, pools and caches warming up).
skip = max(1, len(rows) // 5) if len(rows) > 3 else 0
def slope(ys):
    xs, ys = data["t_s"][skip:], ys[skip:]
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return 0.0 if sxx == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx * 3600
t = data["t_s"]
fps = (data["frames"][-1] - data["frames"][0]) / (t[-1] - t[0]) if t[-1] > t[0] else 0
slopes = {"rss_mb": slope(data["rss_mb"]), "heap_mb": slope(data["heap_mb"]), "threads": slope(data["threads"]),
          "fds": slope(data["fds"])}
print(f"soak: {len(rows)} samples over {t[-1]:.0f} s, {fps:.1f} frames/s processed")
print("slopes per hour: " + ", ".join(f"{k} {v:+.2f}" for k, v in slopes.items()))
# Flat: growth after the warm-up stays within a small absolute amount.
limits = {"rss_mb": float(os.environ.get("MAX_SLOPE_RSS_MB", "20")), "heap_mb": float(os.environ.get("MAX_SLOPE_HEAP_MB", "10")),
          "threads": float(os.environ.get("MAX_SLOPE_THREADS", "1")), "fds": float(os.environ.get("MAX_SLOPE_FDS", "1"))}
hours = max((t[-1] - t[skip]) / 3600, 1e-9)
growth = {k: slopes[k] * hours for k in slopes}
flat = {k: growth[k] <= limits[k] for k in slopes}
print("growth over the run: " + ", ".join(f"{k} {growth[k]:+.2f} (limit {limits[k]})" for k in growth)
      + ("  -> flat" if all(flat.values()) else "  -> NOT flat: " + ", ".join(k for k, v in flat.items() if not v)))
if sys.argv[3]:
    json.dump({"minutes": float(sys.argv[2]), "samples": len(rows), "warmup_samples_skipped": skip, "fps": round(fps, 2), "load_average": float(sys.argv[4]),
               "cpu_limit_cores": round(float(sys.argv[5]), 2) if sys.argv[5] else None,
               "rss_mb_first": data["rss_mb"][0], "rss_mb_last": data["rss_mb"][-1], "heap_mb_last": data["heap_mb"][-1],
               "threads_last": int(data["threads"][-1]), "fds_last": int(data["fds"][-1]),
               "slopes_per_hour": {k: round(v, 3) for k, v in slopes.items()}, "growth": {k: round(v, 3) for k, v in growth.items()},
               "flat": all(flat.values()), "rows": rows}, open(sys.argv[3], "w"), indent=1)
sys.exit(0 if all(flat.values()) else 1)
PY
