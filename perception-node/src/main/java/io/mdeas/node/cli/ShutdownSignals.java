package io.mdeas.node.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop: the handlers only ask the node to stop, the main thread
 * shuts everything down and the process exits 0 (a JVM killed through its shutdown hooks would exit 143).
 * A deadline guards the shutdown: if it has not finished {@value #DEADLINE_S} s after the signal, the
 * process halts with code 1 instead of hanging a service manager. ({@code sun.misc.Signal} is the only way a
 * JVM can handle these signals itself; javac warns about it, and it is in {@code jdk.unsupported} for this use.)
 */
final class ShutdownSignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);
    static final long DEADLINE_S = 5;

    private final Runnable stop;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile Thread deadline;

    private ShutdownSignals(Runnable stop) {
        this.stop = stop;
        // Other ways the JVM may go down (SIGHUP, System.exit elsewhere): still stop in order, briefly.
        this.hook = new Thread(this::onShutdownHook, "shutdown-hook");
    }

    static ShutdownSignals install(Runnable stop) {
        ShutdownSignals s = new ShutdownSignals(stop);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> s.onSignal("SIG" + sig.getName()));
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    private void onSignal(String name) {
        log.info("{} received: stopping", name);
        startDeadline();
        stop.run();
    }

    /** Arms the shutdown deadline (once). */
    synchronized void startDeadline() {
        if (deadline != null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                if (!done.await(DEADLINE_S, TimeUnit.SECONDS)) {
                    log.error("shutdown did not finish within {} s; halting", DEADLINE_S);
                    Runtime.getRuntime().halt(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown-deadline");
        t.setDaemon(true);
        t.start();
        deadline = t;
    }

    private void onShutdownHook() {
        stop.run();
        try {
            done.await(Duration.ofSeconds(DEADLINE_S).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called after the node closed: disarms the deadline and the hook. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running and returns now that done is counted down
        }
    }
}
