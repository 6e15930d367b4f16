package io.mdeas.node.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Drives {@link SystemdNotifier} from the pipeline's progress: {@code READY=1} once the first frame has been
 * processed, {@code WATCHDOG=1} at half of {@code WatchdogSec=} <em>only while frames keep flowing</em>, and a
 * {@code STATUS=} line every few seconds.
 *
 * <p>When the last processed frame is older than {@code stallAfter} the pings stop, so systemd declares the
 * watchdog failed and restarts the unit ({@code Restart=on-failure}) — a hung camera, a deadlocked
 * inference call or a wedged thread all end the same way, without the node having to diagnose itself.
 * The policy lives in {@link #tick(long)}, which takes the clock as an argument so tests can drive it.
 */
public final class FrameWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrameWatchdog.class);

    /** What {@code lastFrameNanos} returns before the first frame has been processed. */
    public static final long NO_FRAME = 0L;
    /** Frames older than this mean the pipeline has stalled. */
    public static final Duration DEFAULT_STALL_AFTER = Duration.ofSeconds(10);
    /** How often a {@code STATUS=} line is sent. */
    public static final Duration STATUS_INTERVAL = Duration.ofSeconds(5);
    /** How often the thread looks at the pipeline; small, so READY=1 follows the first frame closely. */
    private static final Duration TICK = Duration.ofMillis(250);

    /** What one {@link #tick(long)} sent. */
    record Sent(boolean ready, boolean watchdog, boolean status) {}

    private final SystemdNotifier notifier;
    private final LongSupplier lastFrameNanos;
    private final long stallAfterNanos;
    private final long pingIntervalNanos;
    private final Supplier<String> statusLine;

    private boolean readySent;
    private boolean pinged;
    private long lastPingNanos;
    private boolean statusSent;
    private long lastStatusNanos;
    private boolean stalled;
    private Thread thread;

    /**
     * @param notifier       where messages go (a disabled notifier makes this a no-op)
     * @param lastFrameNanos {@link System#nanoTime()} of the last processed frame, {@link #NO_FRAME} before the first
     * @param stallAfter     no frame for this long withholds the pings
     * @param statusLine     text for {@code STATUS=}, e.g. "12.5 fps, 3 obstacles"; called on the watchdog thread
     */
    public FrameWatchdog(SystemdNotifier notifier, LongSupplier lastFrameNanos, Duration stallAfter,
                         Supplier<String> statusLine) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.lastFrameNanos = Objects.requireNonNull(lastFrameNanos, "lastFrameNanos");
        if (stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stallAfter must be positive, got " + stallAfter);
        }
        this.stallAfterNanos = stallAfter.toNanos();
        this.pingIntervalNanos = notifier.watchdogTimeout().map(t -> t.toNanos() / 2).orElse(-1L);
        this.statusLine = Objects.requireNonNull(statusLine, "statusLine");
        Duration timeout = notifier.watchdogTimeout().orElse(null);
        if (timeout != null && stallAfter.compareTo(timeout) >= 0) {
            log.warn("stall threshold {} s is not below WatchdogSec={} s: systemd will restart the node "
                    + "before a stall is detected", stallAfter.toSeconds(), timeout.toSeconds());
        }
    }

    /** Starts the daemon thread {@code systemd-watchdog}; does nothing when systemd is not listening. */
    public synchronized void start() {
        if (thread != null || !notifier.enabled()) {
            return;
        }
        thread = new Thread(this::run, "systemd-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                tick(System.nanoTime());
                TimeUnit.NANOSECONDS.sleep(TICK.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Without this thread systemd gets no pings and restarts the node, which is the right outcome.
            log.error("systemd watchdog thread failed; pings stop", e);
        }
    }

    /** One look at the pipeline at time {@code now} (nanoTime); sends what is due. */
    synchronized Sent tick(long now) {
        long last = lastFrameNanos.getAsLong();
        boolean anyFrame = last != NO_FRAME;
        boolean flowing = anyFrame && now - last < stallAfterNanos;

        boolean ready = false;
        if (!readySent && anyFrame) {
            notifier.ready();
            readySent = true;
            ready = true;
        }

        if (readySent && flowing == stalled) {
            stalled = !flowing;
            if (stalled) {
                log.warn("no frame processed for {} ms: withholding systemd watchdog pings",
                        TimeUnit.NANOSECONDS.toMillis(now - last));
            } else {
                log.info("frames flow again: systemd watchdog pings resume");
            }
        }

        boolean ping = false;
        if (readySent && flowing && pingIntervalNanos > 0 && (!pinged || now - lastPingNanos >= pingIntervalNanos)) {
            notifier.watchdog();
            pinged = true;
            lastPingNanos = now;
            ping = true;
        }

        boolean status = false;
        if (!statusSent || now - lastStatusNanos >= STATUS_INTERVAL.toNanos() || ready) {
            String text = !anyFrame ? "starting: waiting for the first frame"
                    : stalled ? "stalled: no frame for " + TimeUnit.NANOSECONDS.toSeconds(now - last) + " s"
                    : statusLine.get();
            notifier.status(text);
            statusSent = true;
            lastStatusNanos = now;
            status = true;
        }
        return new Sent(ready, ping, status);
    }

    /** Stops the thread. Sending {@code STOPPING=1} is the lifecycle's job ({@link SystemdNotifier#stopping()}). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
