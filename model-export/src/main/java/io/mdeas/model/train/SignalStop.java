package io.mdeas.model.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM / Ctrl-C into a clean stop: the shutdown hook asks the training loop to stop, then waits
 * (up to {@link #GRACE_SECONDS}) until the loop has finished its step and saved {@code latest/}.
 */
final class SignalStop {

    static final long GRACE_SECONDS = 120;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private SignalStop() {
        hook = new Thread(() -> {
            requested = true;
            try {
                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "training-stop");
    }

    static SignalStop install() {
        SignalStop s = new SignalStop();
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    boolean requested() {
        return requested;
    }

    /** Called by the loop once it has saved; removes the hook when the JVM is not already shutting down. */
    void finished() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running and now returns.
        }
    }
}
