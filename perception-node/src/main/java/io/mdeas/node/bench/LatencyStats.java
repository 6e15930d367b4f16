package io.mdeas.node.bench;

import java.util.Arrays;

/** Percentiles and rates of a set of latencies (nanoseconds), reported in milliseconds. */
public record LatencyStats(int count, double meanMs, double p50Ms, double p99Ms, double maxMs) {

    public static LatencyStats of(long[] nanos) {
        if (nanos.length == 0) {
            return new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        double sum = 0;
        for (long v : s) {
            sum += v;
        }
        return new LatencyStats(s.length, sum / s.length / 1e6, pct(s, 50) / 1e6, pct(s, 99) / 1e6, s[s.length - 1] / 1e6);
    }

    /** Nearest-rank percentile of sorted values. */
    static long pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
