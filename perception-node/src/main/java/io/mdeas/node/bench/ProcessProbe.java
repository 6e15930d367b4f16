package io.mdeas.node.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the process uses, read from {@code /proc} and the JVM's management beans: resident memory, CPU time,
 * and bytes allocated per thread ({@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes}).
 */
public final class ProcessProbe {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessProbe() {}

    /** Resident set size in MiB ({@code VmRSS} of {@code /proc/self/status}); NaN where there is no /proc. */
    public static double rssMb() {
        return statusKb("VmRSS:") / 1024.0;
    }

    /** Peak resident set size in MiB ({@code VmHWM}). */
    public static double peakRssMb() {
        return statusKb("VmHWM:") / 1024.0;
    }

    private static double statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Double.parseDouble(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** CPU time of the whole process, nanoseconds. */
    public static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    /** The 1-minute load average ({@code /proc/loadavg}), to say how busy the machine was. */
    public static double loadAverage() {
        return OS.getSystemLoadAverage();
    }

    /** Bytes allocated so far by each live thread, by thread id (names alongside for the report). */
    public static Map<Long, ThreadBytes> allocatedByThread() {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        java.lang.management.ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        Map<Long, ThreadBytes> m = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && bytes[i] >= 0) {
                m.put(ids[i], new ThreadBytes(infos[i].getThreadName(), bytes[i]));
            }
        }
        return m;
    }

    /** One thread's allocation counter. */
    public record ThreadBytes(String name, long bytes) {}

    /**
     * Bytes allocated between two snapshots by threads alive at both, by thread name (threads that share a name
     * are summed).
     */
    public static Map<String, Long> allocatedBetween(Map<Long, ThreadBytes> before, Map<Long, ThreadBytes> after) {
        Map<String, Long> m = new LinkedHashMap<>();
        after.forEach((id, a) -> {
            ThreadBytes b = before.get(id);
            if (b != null && a.bytes() >= b.bytes()) {
                m.merge(a.name(), a.bytes() - b.bytes(), Long::sum);
            }
        });
        return m;
    }

    /** Live thread count. */
    public static int threadCount() {
        return THREADS.getThreadCount();
    }
}
