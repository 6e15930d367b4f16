package io.mdeas.model.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process CPU time and resident memory, for logs and checkpoint metadata. */
final class ResourceUse {

    private ResourceUse() {}

    /** CPU seconds this process has used (all threads), or NaN when the JVM cannot tell. */
    static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** Peak and current resident set size from /proc ("VmHWM/VmRSS"), or "?" elsewhere. */
    static String peakRss() {
        try {
            String hwm = null;
            String rss = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = line.substring(6).trim();
                } else if (line.startsWith("VmRSS:")) {
                    rss = line.substring(6).trim();
                }
            }
            return hwm + " peak / " + rss + " now";
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
