package io.mdeas.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a dataset with a fixed pool of worker threads. Sample i is drawn from its own random source
 * seeded by (seed, split, i), so the output does not depend on the thread count or order, and the test split
 * never shares a sample seed with the training split.
 */
public final class DatasetGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetGenerator.class);

    /** Which split a set belongs to; the split is mixed into every sample seed. */
    public enum Split {
        TRAIN(0x7472_6169_6EL),
        TEST(0x7465_7374L);

        final long salt;

        Split(long salt) {
            this.salt = salt;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a run produced and how fast.
     *
     * @param seconds wall-clock time
     * @param cpuSeconds CPU time of the whole process over the run (all threads), NaN where unavailable; on a
     *     shared machine samples per CPU-second says more than samples per second
     */
    public record Result(int samples, double seconds, double cpuSeconds) {
        public double samplesPerSecond() {
            return samples / Math.max(1e-9, seconds);
        }

        public double samplesPerCpuSecond() {
            return samples / Math.max(1e-9, cpuSeconds);
        }
    }

    /** CPU time of this process in seconds, or NaN. */
    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long ns = sun.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    private final MountRange mounts;
    private final SceneSampler sampler;

    /** A generator for any floor-robot mount. */
    public DatasetGenerator() {
        this(MountRange.ANY_FLOOR_ROBOT);
    }

    /** A generator whose cameras are drawn from {@code mounts}. */
    public DatasetGenerator(MountRange mounts) {
        this.mounts = mounts;
        this.sampler = new SceneSampler(mounts);
    }

    /** The seed of sample {@code i}: a 64-bit mix of the run seed, the split and the index. */
    public static long sampleSeed(long seed, Split split, long i) {
        return mix(mix(seed ^ split.salt * 0x9E3779B97F4A7C15L) + i * 0xBF58476D1CE4E5B9L);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Draws sample {@code i} of a run. */
    public SampledScene sample(long seed, Split split, long i) {
        return sampler.sample(new SplittableRandom(sampleSeed(seed, split, i)));
    }

    /** Number of digits of the ids of a run of {@code count} samples (at least 6). */
    public static int idDigits(int count) {
        return Math.max(6, Integer.toString(Math.max(0, count - 1)).length());
    }

    /** Generates {@code count} samples of {@code size x size} into {@code out}. */
    public Result generate(Path out, int count, int size, long seed, Split split, int threads) throws IOException {
        if (count <= 0) {
            throw new IllegalArgumentException("--count must be positive, got " + count);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("--threads must be positive, got " + threads);
        }
        String idFormat = "%0" + idDigits(count) + "d";
        long start = System.nanoTime();
        double cpuStart = processCpuSeconds();
        AtomicInteger done = new AtomicInteger();
        // one renderer + encoder per worker thread, lent to tasks through a queue and closed at the end
        BlockingQueue<Worker> workers = new ArrayBlockingQueue<>(threads);
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker(new SampleRenderer(size), new PngEncoder()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, namedThreads());
        try (DatasetWriter writer = new DatasetWriter(out, count)) {
            writer.writeCameraJson(size, seed, split.label(), count, mounts);
            List<Future<?>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                final int index = i;
                futures.add(pool.submit(() -> {
                    String id = String.format(Locale.ROOT, idFormat, index);
                    long sampleSeed = sampleSeed(seed, split, index);
                    SampledScene s = sampler.sample(new SplittableRandom(sampleSeed));
                    Worker w = workers.take();
                    try {
                        w.renderer.render(s);
                        writeImages(out, id, w);
                        writer.row(index, csvRow(id, s, w.renderer, sampleSeed));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write sample " + id + " to " + out, e);
                    } finally {
                        workers.add(w);
                    }
                    done.incrementAndGet();
                    return null;
                }));
            }
            long lastLog = System.nanoTime();
            for (Future<?> f : futures) {
                while (true) {
                    boolean finished;
                    try {
                        f.get(1, TimeUnit.SECONDS);
                        finished = true;
                    } catch (java.util.concurrent.TimeoutException e) {
                        finished = false;
                    }
                    long now = System.nanoTime();
                    if (now - lastLog > 5_000_000_000L) {
                        lastLog = now;
                        double secs = (now - start) / 1e9;
                        LOG.info("generated {}/{} samples, {} samples/s", done.get(), count,
                                String.format(Locale.ROOT, "%.1f", done.get() / secs));
                    }
                    if (finished) {
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Worker w : workers) {
                w.png.close();
                w.renderer.close();
            }
        }
        return new Result(count, (System.nanoTime() - start) / 1e9, processCpuSeconds() - cpuStart);
    }

    /** The per-thread tools of one worker. */
    private record Worker(SampleRenderer renderer, PngEncoder png) {}

    private static void writeImages(Path out, String id, Worker w) throws IOException {
        SampleRenderer r = w.renderer;
        w.png.write(r.bg(), out.resolve(DatasetWriter.relative("bg", id)));
        w.png.write(r.fgBg(), out.resolve(DatasetWriter.relative("fg_bg", id)));
        w.png.write(r.mask(), out.resolve(DatasetWriter.relative("mask", id)));
        w.png.write(r.depth(), out.resolve(DatasetWriter.relative("depth", id)));
    }

    static String csvRow(String id, SampledScene s, SampleRenderer r, long sampleSeed) {
        double near = r.nearestForeground();
        Camera c = s.camera();
        SensorSettings ss = s.sensor();
        return String.join(",",
                id,
                DatasetWriter.relative("bg", id),
                DatasetWriter.relative("fg_bg", id),
                DatasetWriter.relative("mask", id),
                DatasetWriter.relative("depth", id),
                Double.isNaN(near) ? "" : String.format(Locale.ROOT, "%.4f", near),
                String.format(Locale.ROOT, "%.4f", c.height()),
                String.format(Locale.ROOT, "%.3f", c.pitchDeg()),
                String.format(Locale.ROOT, "%.3f", c.hfovDeg()),
                s.kind().label(),
                Integer.toString(s.scene().foregroundObjects()),
                Integer.toString(r.foregroundPixels()),
                ss.globalChange() ? "1" : "0",
                Integer.toString(ss.jitterX()),
                Integer.toString(ss.jitterY()),
                Long.toUnsignedString(sampleSeed));
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "gen-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
