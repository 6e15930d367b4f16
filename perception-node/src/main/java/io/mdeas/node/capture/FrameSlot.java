package io.mdeas.node.capture;

import java.util.ArrayDeque;

/**
 * The hand-off between the capture thread and the pipeline thread, over a pool of three frame buffers
 * (one being filled, one waiting, one being processed), so nothing frame-sized is allocated per frame.
 *
 * <ul>
 *   <li>{@link Policy#LATEST_WINS} (cameras, streams, demo, {@code --realtime}): publishing replaces a frame that is
 *       still waiting; the replaced frame is stale, dropped and counted, never queued.</li>
 *   <li>{@link Policy#NONE_DROPPED} (files and folders): frames are read on demand — {@link #acquire} waits until
 *       the pipeline asks for a frame and none is waiting — so a frame never sits behind another one: its
 *       end-to-end latency is its own read and processing time, as with a camera. Reading ahead would overlap
 *       decoding with inference but make every frame wait a whole frame time (measured on the 224 model at one
 *       intra-op thread: e2e p50 160 ms against a 51 ms model), for a throughput gain of only the decode time.</li>
 * </ul>
 */
public final class FrameSlot implements AutoCloseable {
    /** What happens when the capture side is faster than the pipeline. */
    public enum Policy { LATEST_WINS, NONE_DROPPED }

    private static final int POOL = 3;

    private final Policy policy;
    private final Runnable onStaleDrop;
    private final ArrayDeque<CapturedFrame> free = new ArrayDeque<>(POOL);
    private final CapturedFrame[] all = new CapturedFrame[POOL];
    private CapturedFrame waiting;
    private int takers; // pipeline threads inside take(): the demand that NONE_DROPPED reads against
    private boolean ended;
    private long staleDropped;

    /** @param onStaleDrop called (on the capture thread) for every stale frame dropped */
    public FrameSlot(Policy policy, Runnable onStaleDrop) {
        this.policy = policy;
        this.onStaleDrop = onStaleDrop;
        for (int i = 0; i < POOL; i++) {
            all[i] = new CapturedFrame();
            free.add(all[i]);
        }
    }

    public Policy policy() {
        return policy;
    }

    /**
     * Capture side: a free buffer to fill. With {@link Policy#NONE_DROPPED} it also waits until the pipeline asks
     * for a frame and none is waiting (or the slot ended).
     */
    public synchronized CapturedFrame acquire() throws InterruptedException {
        while (free.isEmpty() || (policy == Policy.NONE_DROPPED && !ended && (takers == 0 || waiting != null))) {
            wait();
        }
        return free.poll();
    }

    /** Capture side: hands a filled buffer over (see the class comment for what each policy does). */
    public synchronized void publish(CapturedFrame frame) throws InterruptedException {
        if (policy == Policy.NONE_DROPPED) {
            while (waiting != null && !ended) {
                wait();
            }
        } else if (waiting != null) {
            free.add(waiting);
            staleDropped++;
            onStaleDrop.run();
        }
        if (ended) {
            free.add(frame);
            return;
        }
        waiting = frame;
        notifyAll();
    }

    /** Capture side: returns a buffer that was acquired but not filled. */
    public synchronized void giveBack(CapturedFrame frame) {
        free.add(frame);
        notifyAll();
    }

    /** Capture side (or shutdown): no more frames will come; wakes a waiting {@link #take}. */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    /**
     * Pipeline side: the newest frame, waiting at most {@code timeoutMs}.
     *
     * @return the frame (give it back with {@link #release}), or null on time-out or when the source ended
     *         and nothing is left ({@link #finished()} tells which)
     */
    public synchronized CapturedFrame take(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        takers++;
        notifyAll(); // demand: wakes a NONE_DROPPED capture waiting in acquire()
        try {
            while (waiting == null && !ended) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return null;
                }
                wait(left);
            }
        } finally {
            takers--;
        }
        CapturedFrame f = waiting;
        waiting = null;
        notifyAll();
        return f;
    }

    /** Pipeline side: the frame is processed; its buffer goes back to the pool. */
    public synchronized void release(CapturedFrame frame) {
        free.add(frame);
        notifyAll();
    }

    /** The frame waiting to be taken, or null (for tests and diagnostics; does not take it). */
    synchronized CapturedFrame waitingFrame() {
        return waiting;
    }

    /** True once the source ended and its last frame was taken. */
    public synchronized boolean finished() {
        return ended && waiting == null;
    }

    public synchronized long staleDropped() {
        return staleDropped;
    }

    /** Frees the native buffers; call only after both threads stopped. */
    @Override
    public synchronized void close() {
        for (CapturedFrame f : all) {
            f.release();
        }
    }
}
