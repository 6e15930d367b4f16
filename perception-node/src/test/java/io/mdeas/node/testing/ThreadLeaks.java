package io.mdeas.node.testing;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Finds non-daemon threads a test started and did not end. Tests share one JVM, so only threads that were not
 * there when the test began count: another test's leftovers must not fail this one.
 */
public final class ThreadLeaks {
    private final Set<Thread> before;

    private ThreadLeaks(Set<Thread> before) {
        this.before = before;
    }

    /** Remembers the threads alive now. */
    public static ThreadLeaks snapshot() {
        return new ThreadLeaks(Set.copyOf(Thread.getAllStackTraces().keySet()));
    }

    /** Waits up to {@code wait} for new non-daemon threads to end; returns the names of those still alive. */
    public List<String> newNonDaemonAfter(Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        List<String> alive;
        do {
            Thread.sleep(100);
            alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !t.isDaemon() && t != Thread.currentThread() && !before.contains(t))
                    .map(Thread::getName).sorted().toList();
        } while (!alive.isEmpty() && System.nanoTime() < end);
        return alive;
    }
}
