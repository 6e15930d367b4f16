package io.mdeas.model.train;

import io.mdeas.model.data.LoadedSample;
import io.mdeas.model.data.Sample;
import io.mdeas.model.data.SampleLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Fills training batches on a background thread ({@code batch-loader}) while the network computes: PNG
 * decoding, resizing, mirroring and depth encoding of the next batches overlap the current step. A fixed pool
 * of {@link Batch} buffers circulates between a free queue and a ready queue, so nothing is allocated per step.
 * Batches come in stream order from {@code startCursor} ({@link SampleOrder}).
 */
final class BatchSource implements AutoCloseable {

    private static final Object END = new Object();

    private final List<Sample> samples;
    private final SampleOrder order;
    /** The same order for the training thread ({@link SampleOrder} caches a pass and is not shared across threads). */
    private final SampleOrder describeOrder;
    private final boolean flip;
    private final DepthEncoding encoding;
    private final float maxDepthM;
    private final BlockingQueue<Batch> free;
    private final BlockingQueue<Object> ready;
    private final Thread thread;
    private volatile boolean stopped;

    BatchSource(List<Sample> samples, int size, int batch, long seed, long startCursor, boolean flip,
            DepthEncoding encoding, float maxDepthM, int buffers) {
        this.samples = samples;
        this.order = new SampleOrder(seed, samples.size());
        this.describeOrder = new SampleOrder(seed, samples.size());
        this.flip = flip;
        this.encoding = encoding;
        this.maxDepthM = maxDepthM;
        this.free = new ArrayBlockingQueue<>(buffers);
        this.ready = new ArrayBlockingQueue<>(buffers + 1);
        for (int i = 0; i < buffers; i++) {
            free.add(new Batch(batch, size));
        }
        this.thread = new Thread(() -> fill(size, startCursor), "batch-loader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next batch, in order; give it back with {@link #release} when its data has been copied. */
    Batch take() throws InterruptedException {
        Object o = ready.take();
        if (o instanceof Batch b) {
            return b;
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        throw new IllegalStateException("batch loader stopped");
    }

    void release(Batch b) {
        free.add(b);
    }

    /** The ids of the {@code count} samples from stream position {@code cursor}, mirrored ones marked; for logs. */
    String describe(long cursor, int count) {
        StringBuilder s = new StringBuilder();
        for (long k = cursor; k < cursor + count; k++) {
            s.append(s.length() == 0 ? "" : ", ").append(samples.get(describeOrder.sampleAt(k)).id());
            if (flip && describeOrder.flipAt(k)) {
                s.append(" (mirrored)");
            }
        }
        return s.toString();
    }

    private void fill(int size, long startCursor) {
        SampleLoader loader = new SampleLoader(size);
        LoadedSample s = LoadedSample.allocate(size);
        long cursor = startCursor;
        try {
            while (!stopped) {
                Batch b = free.take();
                b.cursor = cursor;
                for (int i = 0; i < b.batch; i++, cursor++) {
                    Sample sample = samples.get(order.sampleAt(cursor));
                    try {
                        loader.load(sample, s);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot load training sample " + sample.id() + ": "
                                + e.getMessage(), e);
                    }
                    copy(s, b, i, flip && order.flipAt(cursor));
                }
                ready.put(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            ready.offer(e);
        } finally {
            ready.offer(END);
        }
    }

    private void copy(LoadedSample s, Batch b, int i, boolean mirror) {
        int n = s.size;
        int plane = n * n;
        copyPlanes(s.bg, b.bg, i * 3 * plane, 3, n, mirror);
        copyPlanes(s.fgBg, b.fgBg, i * 3 * plane, 3, n, mirror);
        copyPlanes(s.mask, b.mask, i * plane, 1, n, mirror);
        int off = i * plane;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float m = s.depthM[y * n + (mirror ? n - 1 - x : x)];
                int k = off + y * n + x;
                b.depth[k] = m > 0 ? encoding.encode(m, maxDepthM) : 0f;
                b.valid[k] = m > 0 ? 1f : 0f;
            }
        }
    }

    private static void copyPlanes(float[] src, float[] dst, int dstOff, int planes, int n, boolean mirror) {
        if (!mirror) {
            System.arraycopy(src, 0, dst, dstOff, planes * n * n);
            return;
        }
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < n; y++) {
                int row = p * n * n + y * n;
                for (int x = 0; x < n; x++) {
                    dst[dstOff + row + x] = src[row + n - 1 - x];
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(10_000);
    }
}
