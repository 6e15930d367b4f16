package io.mdeas.node.capture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The capture loop, run on its own thread ({@code capture-<source>}): reads frames from a {@link FrameSource}
 * into pooled buffers and publishes them to a {@link FrameSlot}.
 *
 * <p>Cameras and streams that fail or stop are reopened with exponential backoff (logged, visible in
 * {@link #status()}); a file or folder that ends ends capture cleanly. Sources that do not pace themselves
 * (the demo clip, files with {@code --realtime}) are paced here at their frame rate.
 */
public final class FrameCapture implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(FrameCapture.class);

    /** Drop reasons used as the {@code reason} tag of {@code mdeas.frames.dropped}. */
    public static final String DROP_CORRUPT = "corrupt";
    public static final String DROP_WRONG_SIZE = "wrong_size";

    /** Receives capture counts (the pipeline turns them into metrics). */
    public interface Listener {
        void captured();

        void dropped(String reason);
    }

    private final FrameSource source;
    private final SourceOptions options;
    private final FrameSlot slot;
    private final Listener listener;
    private volatile boolean stopRequested;
    private volatile SourceState state = SourceState.OPENING;
    private volatile String reason;
    private volatile long reopens;
    /** The rate the source reported when it last opened: paces it, and stays after close for the status. */
    private volatile double fps;
    private volatile Thread thread;

    public FrameCapture(FrameSource source, SourceOptions options, FrameSlot slot, Listener listener) {
        this.source = source;
        this.options = options;
        this.slot = slot;
        this.listener = listener;
    }

    /** Whether this source should hand off latest-frame-wins (live, or paced like a camera). */
    public static boolean handsOffLatest(FrameSource source, SourceOptions options) {
        return source.live() || options.realtime();
    }

    /** Asks the loop to stop after the frame it is reading; wakes it from a backoff sleep. */
    public void stop() {
        stopRequested = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        slot.end();
    }

    public SourceStatus status() {
        return new SourceStatus(source.name(), state, reason, reopens, fps);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = SourceState.ENDED;
            reason = "interrupted";
        } catch (RuntimeException e) {
            log.error("capture from {} failed", source.name(), e);
            state = SourceState.FAILED;
            reason = e.toString();
        } finally {
            slot.end();
            source.close();
        }
    }

    private void loop() throws InterruptedException {
        if (!openFirst()) {
            return;
        }
        boolean paced = !source.selfPaced() && (source.live() || options.realtime());
        long index = 0;
        long pacingStart = System.nanoTime();
        int width = -1;
        int height = -1;
        long backoffMs = options.retryMin().toMillis();
        while (!stopRequested) {
            CapturedFrame frame = slot.acquire();
            boolean got;
            try {
                got = source.read(frame.image);
            } catch (CorruptFrameException e) {
                slot.giveBack(frame);
                log.warn("{}; frame dropped", e.getMessage());
                listener.dropped(DROP_CORRUPT);
                continue;
            } catch (IOException e) {
                slot.giveBack(frame);
                if (!source.live()) {
                    fail(e.getMessage());
                    return;
                }
                if (!reopen(e.getMessage(), backoffMs)) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, options.retryMax().toMillis());
                pacingStart = System.nanoTime() - (long) (index * 1e9 / Math.max(1e-3, fps));
                continue;
            }
            if (!got) {
                slot.giveBack(frame);
                state = SourceState.ENDED;
                reason = "end of " + source.name();
                log.info("{} ended after {} frames", source.name(), index);
                return;
            }
            backoffMs = options.retryMin().toMillis();
            if (width < 0) {
                width = frame.image.cols();
                height = frame.image.rows();
            } else if (frame.image.cols() != width || frame.image.rows() != height) {
                slot.giveBack(frame);
                log.warn("{}: frame of {}x{} dropped, the source started at {}x{}", source.name(),
                        frame.image.cols(), frame.image.rows(), width, height);
                listener.dropped(DROP_WRONG_SIZE);
                continue;
            }
            if (paced && fps > 0) {
                long due = pacingStart + (long) (index * 1e9 / fps);
                long now;
                while (!stopRequested && (now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
            }
            frame.index = index++;
            frame.captureEpochMs = System.currentTimeMillis();
            frame.captureNanos = System.nanoTime();
            slot.publish(frame);
            listener.captured();
            if (options.maxFrames() > 0 && index >= options.maxFrames()) {
                state = SourceState.ENDED;
                reason = "max frames (" + options.maxFrames() + ") reached";
                log.info("{}: {}", source.name(), reason);
                return;
            }
        }
        state = SourceState.ENDED;
        reason = "stopped";
    }

    /** Opens the source; live sources retry until they open or capture is stopped. */
    private boolean openFirst() {
        long backoffMs = options.retryMin().toMillis();
        while (!stopRequested) {
            try {
                source.open();
                fps = source.fps();
                state = SourceState.RUNNING;
                reason = null;
                log.info("source {} open ({} fps)", source.name(), String.format("%.1f", fps));
                return true;
            } catch (IOException e) {
                if (!source.live()) {
                    fail(e.getMessage());
                    return false;
                }
                state = SourceState.RETRYING;
                reason = e.getMessage();
                log.warn("source {} cannot be opened: {}; retrying in {} ms", source.name(), e.getMessage(), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, options.retryMax().toMillis());
            }
        }
        state = SourceState.ENDED;
        reason = "stopped";
        return false;
    }

    /** A live source failed mid-run: wait, then reopen it (retrying with backoff until it opens or stop). */
    private boolean reopen(String why, long backoffMs) {
        long delay = backoffMs;
        state = SourceState.RETRYING;
        reason = why;
        log.warn("source {} failed: {}; reopening in {} ms", source.name(), why, delay);
        while (!stopRequested) {
            sleep(delay);
            if (stopRequested) {
                break;
            }
            reopens++;
            try {
                source.open();
                fps = source.fps();
                state = SourceState.RUNNING;
                reason = null;
                log.info("source {} reopened (attempt {})", source.name(), reopens);
                return true;
            } catch (IOException e) {
                delay = Math.min(delay * 2, options.retryMax().toMillis());
                reason = e.getMessage();
                log.warn("source {} reopen failed: {}; next try in {} ms", source.name(), e.getMessage(), delay);
            }
        }
        state = SourceState.ENDED;
        reason = "stopped";
        return false;
    }

    private void fail(String why) {
        state = SourceState.FAILED;
        reason = why;
        log.error("source {} failed: {}", source.name(), why);
    }

    private void sleep(long ms) {
        long due = System.nanoTime() + ms * 1_000_000L;
        long now;
        while (!stopRequested && (now = System.nanoTime()) < due) {
            LockSupport.parkNanos(due - now);
        }
    }
}
