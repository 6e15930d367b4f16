package io.mdeas.model.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Renders a demo clip for the perception node: a static floor-robot camera (height 0.15 m, pitch -8 degrees,
 * hfov 70 degrees) in one fixed room. The first seconds are empty; then objects enter, move about, one comes
 * up to about 0.4 m from the camera and leaves, another comes; late in the clip the light dims once. Same scene
 * model as the training generator, with consistent lighting and mild sensor noise.
 *
 * <p>Writes {@code frames/NNNNNN.png}, {@code truth.csv} (per frame), {@code objects.csv} (per visible object
 * and frame: id, kind, bbox, pixels, nearest Z), {@code camera.json}, and optionally the same frames in the
 * DATASET.md layout under {@code dataset/} (bg = the view without the objects).
 */
public final class SequenceRenderer {
    public static final double CAMERA_HEIGHT = 0.15;
    public static final double PITCH_DEG = -8;
    public static final double HFOV_DEG = 70;

    private final long seed;
    private final int width;
    private final int height;
    private final double fps;
    private final int frames;
    private final Room room;
    private final Camera camera;
    private final List<Primitive> furniture;
    private final Light light;
    private final List<Actor> actors = new ArrayList<>();
    private final FillLight fill;
    private final double noiseSigma;
    /** Exposure locked at the start of the clip (auto exposure of the empty room), so light changes show. */
    private final double exposure;

    /** One moving object: its shape (rebuilt from a fixed seed every frame) and timed waypoints. */
    record Actor(int id, ObjectLibrary.Foreground kind, long shapeSeed, double[] times, double[] ahead,
                 double[] lateral) {}

    /** What one frame showed. */
    public record FrameTruth(int frame, long tsMs, double nearestFgM, int visibleObjects) {}

    public SequenceRenderer(long seed, int width, int height, double fps, int frames) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("frame size must be at least 16x16, got " + width + "x" + height);
        }
        if (!(fps > 0) || frames <= 0) {
            throw new IllegalArgumentException("--fps and --frames must be positive");
        }
        this.seed = seed;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.frames = frames;
        SplittableRandom rng = new SplittableRandom(seed);
        Room sampled = SceneSampler.room(rng);
        // a fixed, roomy room so that objects can walk in from outside the view
        double w = 6.5 + rng.nextDouble();
        double l = 7.5 + rng.nextDouble();
        room = new Room(0, w, 0, l, Math.min(sampled.height, 3.0), Palette.calmFloor(rng), Palette.calmWall(rng),
                sampled.ceiling, sampled.skirting, sampled.skirtingMaterial);
        double yaw = (rng.nextDouble() - 0.5) * 16;
        camera = new Camera(w / 2, CAMERA_HEIGHT, 0.35, yaw, PITCH_DEG, HFOV_DEG);
        double duration = frames / fps;
        script(rng, duration);
        // keep furniture off the actors' paths
        List<SceneSampler.Footprint> keepOut = new ArrayList<>();
        keepOut.add(new SceneSampler.Footprint(camera.x, camera.z, 0.8));
        for (Actor a : actors) {
            for (int i = 0; i < a.times.length; i++) {
                double[] p = ground(a.ahead[i], a.lateral[i]);
                keepOut.add(new SceneSampler.Footprint(p[0], p[1], 0.7));
            }
        }
        List<Primitive> placed = new ArrayList<>();
        for (int attempt = 0; attempt < 4 && placed.size() < 6; attempt++) {
            // a furnished room: keep drawing until a few pieces found room along the walls
            placed.addAll(SceneSampler.furniture(rng, room, camera, keepOut));
        }
        furniture = placed;
        Light l0 = SceneSampler.light(rng, room);
        // a ceiling light of moderate strength: the clip should look like an ordinary room
        light = new Light(l0.x(), Math.min(room.height - 0.05, 2.4), l0.z(), l0.r(), l0.g(), l0.b(),
                Math.max(2.5, l0.reach()), Math.max(0.25, l0.ambientR()), Math.max(0.25, l0.ambientG()),
                Math.max(0.25, l0.ambientB()));
        SceneSampler.wallDecor(rng, room, furniture);
        fill = SceneSampler.fill(rng, light);
        noiseSigma = 1.5;
        exposure = lockedExposure();
        // bring the close approaches to the intended distance of the nearest visible part
        calibrate(actors.get(0), 3, 0.4);
        calibrate(actors.get(0), 4, 0.4);
        calibrate(actors.get(2), 1, 0.6);
        calibrate(actors.get(2), 2, 0.6);
    }

    private double lockedExposure() {
        RenderedViews small = new RenderedViews(96, 72);
        new Renderer().render(new Scene(room, furniture, List.of(), light, fill), camera, small);
        double sum = 0;
        for (int k = 0; k < small.bg.length; k += 3) {
            sum += 0.2126 * small.bg[k] + 0.7152 * small.bg[k + 1] + 0.0722 * small.bg[k + 2];
        }
        double mean = sum / (small.bg.length / 3.0);
        return Math.max(0.25, Math.min(8, 0.18 / Math.max(1e-4, mean)));
    }

    /**
     * Moves waypoint {@code i} of {@code a} along the camera's forward direction until the actor's nearest
     * visible part is {@code targetZ} metres away (measured by rendering a small view).
     */
    private void calibrate(Actor a, int i, double targetZ) {
        RenderedViews small = new RenderedViews(96, 72);
        Renderer r = new Renderer();
        double lo = 0.05;
        double hi = 3.0;
        for (int iter = 0; iter < 14; iter++) {
            double mid = (lo + hi) / 2;
            a.ahead[i] = mid;
            List<Primitive> prims = actorsAt(a, a.times[i]);
            r.render(new Scene(room, List.of(), prims, light), camera, small);
            double near = Double.POSITIVE_INFINITY;
            for (int k = 0; k < small.depth.length; k++) {
                if (small.fgObject[k] >= 0) {
                    near = Math.min(near, small.depth[k]);
                }
            }
            if (near < targetZ) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        a.ahead[i] = hi;
    }

    /** World (x, z) of a point {@code ahead} metres in front of the camera and {@code lateral} to its right. */
    private double[] ground(double ahead, double lateral) {
        double yaw = Math.toRadians(camera.yawDeg);
        double fx = StrictMath.sin(yaw);
        double fz = StrictMath.cos(yaw);
        double rx = StrictMath.cos(yaw);
        double rz = -StrictMath.sin(yaw);
        double x = camera.x + ahead * fx + lateral * rx;
        double z = camera.z + ahead * fz + lateral * rz;
        // stay inside the room
        x = Math.max(room.x0 + 0.35, Math.min(room.x1 - 0.35, x));
        z = Math.max(room.z0 + 0.35, Math.min(room.z1 - 0.35, z));
        return new double[] {x, z};
    }

    private void script(SplittableRandom rng, double d) {
        ObjectLibrary.Foreground[] first = {ObjectLibrary.Foreground.PERSON, ObjectLibrary.Foreground.PET};
        ObjectLibrary.Foreground[] second = {ObjectLibrary.Foreground.BALL, ObjectLibrary.Foreground.PET,
            ObjectLibrary.Foreground.BOX, ObjectLibrary.Foreground.TOY};
        ObjectLibrary.Foreground[] third = {ObjectLibrary.Foreground.PERSON, ObjectLibrary.Foreground.CHAIR,
            ObjectLibrary.Foreground.PET, ObjectLibrary.Foreground.BOX};
        ObjectLibrary.Foreground k1 = first[rng.nextInt(first.length)];
        ObjectLibrary.Foreground k2 = second[rng.nextInt(second.length)];
        ObjectLibrary.Foreground k3 = third[rng.nextInt(third.length)];
        long s1 = rng.nextLong();
        long s2 = rng.nextLong();
        long s3 = rng.nextLong();
        double n1 = nearReach(k1, s1);
        double n3 = nearReach(k3, s3);
        double empty = Math.min(3.0, 0.08 * d);
        // actor 1: enters from the left, crosses, comes up to ~0.4 m, waits, leaves to the right
        actors.add(new Actor(1, k1, s1,
                new double[] {empty, 0.17 * d, 0.27 * d, 0.36 * d, 0.41 * d, 0.5 * d, 0.56 * d},
                new double[] {3.2, 2.6, 1.4, 0.4 + n1, 0.4 + n1, 1.1, 1.3},
                new double[] {-3.0, 0.3, 0.1, 0.05, -0.05, 1.6, 3.0}));
        // actor 2: from the right, far, crossing to the left
        actors.add(new Actor(2, k2, s2,
                new double[] {0.3 * d, 0.45 * d, 0.6 * d},
                new double[] {4.0, 2.2, 3.0},
                new double[] {3.2, -0.4, -3.2}));
        // actor 3: another one comes close, stays a bit and leaves
        actors.add(new Actor(3, k3, s3,
                new double[] {0.6 * d, 0.72 * d, 0.78 * d, 0.82 * d, 0.9 * d},
                new double[] {2.2, 0.6 + n3, 0.6 + n3, 1.5, 2.0},
                new double[] {-3.0, -0.2, -0.1, 1.0, 3.2}));
    }

    /** Distance from an object's origin to its nearest part, roughly: its half depth plus a margin. */
    private static double nearReach(ObjectLibrary.Foreground kind, long shapeSeed) {
        double[] ext = SceneSampler.extent(shapeSeed, p -> ObjectLibrary.foreground(kind, new SplittableRandom(
                shapeSeed), p));
        return Math.max(ext[0], ext[1]);
    }

    /** Light scale at time t: one dimming late in the clip. */
    private double lightScale(double t) {
        double d = frames / fps;
        return t < 0.92 * d ? 1.0 : 0.8;
    }

    /** Ground position (x, z) of actor {@code a} at time t, and its heading in {@code out[2]}. */
    private double[] position(Actor a, double t) {
        double[] times = a.times;
        int seg = 0;
        while (seg < times.length - 2 && t > times[seg + 1]) {
            seg++;
        }
        double span = times[seg + 1] - times[seg];
        double u = span <= 0 ? 1 : Math.max(0, Math.min(1, (t - times[seg]) / span));
        u = u * u * (3 - 2 * u); // ease in and out at the waypoints
        double ahead = a.ahead[seg] + (a.ahead[seg + 1] - a.ahead[seg]) * u;
        double lateral = a.lateral[seg] + (a.lateral[seg + 1] - a.lateral[seg]) * u;
        double[] p = ground(ahead, lateral);
        double[] q = ground(a.ahead[seg + 1], a.lateral[seg + 1]);
        double[] p0 = ground(a.ahead[seg], a.lateral[seg]);
        double mx = q[0] - p0[0];
        double mz = q[1] - p0[1];
        double yaw = (mx * mx + mz * mz) > 1e-6 ? StrictMath.atan2(-mx, mz) : 0;
        return new double[] {p[0], p[1], yaw};
    }

    /** Distance actor {@code a} has walked by time t (sums 50 ms steps), which drives its gait. */
    private double walked(Actor a, double t) {
        double dist = 0;
        double[] prev = position(a, a.times[0]);
        for (double s = a.times[0] + 0.05; s < t; s += 0.05) {
            double[] cur = position(a, s);
            dist += Math.sqrt((cur[0] - prev[0]) * (cur[0] - prev[0]) + (cur[1] - prev[1]) * (cur[1] - prev[1]));
            prev = cur;
        }
        double[] cur = position(a, t);
        return dist + Math.sqrt((cur[0] - prev[0]) * (cur[0] - prev[0]) + (cur[1] - prev[1]) * (cur[1] - prev[1]));
    }

    /** The foreground primitives at time t (seconds). */
    List<Primitive> actorsAt(double t) {
        List<Primitive> out = new ArrayList<>();
        for (Actor a : actors) {
            double[] times = a.times;
            if (t >= times[0] && t <= times[times.length - 1]) {
                out.addAll(actorsAt(a, t));
            }
        }
        return out;
    }

    /** The primitives of one actor at time t, in its walking pose. */
    private List<Primitive> actorsAt(Actor a, double t) {
        List<Primitive> out = new ArrayList<>();
        double[] p = position(a, t);
        // one gait cycle per 1.2 m for people, per 0.5 m for pets
        double cycle = a.kind == ObjectLibrary.Foreground.PERSON ? 1.2 : 0.5;
        double pose = StrictMath.sin(2 * Math.PI * walked(a, t) / cycle);
        ObjectLibrary.foreground(a.kind, new SplittableRandom(a.shapeSeed),
                new Placer(p[0], p[1], p[2], a.id, out).withPose(pose));
        return out;
    }

    /** Renders every frame into {@code out}; returns per-frame truth. */
    public List<FrameTruth> render(Path out, int threads, boolean writeDataset) throws IOException {
        Files.createDirectories(out.resolve("frames"));
        if (writeDataset) {
            for (String dir : new String[] {"bg", "fg_bg", "mask", "depth"}) {
                Files.createDirectories(out.resolve("dataset").resolve(dir));
            }
        }
        writeCameraJson(out);
        String[] truthRows = new String[frames];
        String[] objectRows = new String[frames];
        String[] datasetRows = new String[frames];
        FrameTruth[] truth = new FrameTruth[frames];
        BlockingQueue<FrameWorker> workers = new ArrayBlockingQueue<>(threads);
        for (int i = 0; i < threads; i++) {
            workers.add(new FrameWorker());
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sequence-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int f = 0; f < frames; f++) {
                final int frame = f;
                futures.add(pool.submit(() -> {
                    FrameWorker w = workers.take();
                    try {
                        w.renderFrame(frame, out, writeDataset, truthRows, objectRows, datasetRows, truth);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write frame " + frame + " to " + out, e);
                    } finally {
                        workers.add(w);
                    }
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("rendering interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            for (FrameWorker w : workers) {
                w.png.close();
                w.sensor.close();
            }
        }
        writeLines(out.resolve("truth.csv"), "frame,ts_ms,nearest_fg_m,n_objects", truthRows);
        writeLines(out.resolve("objects.csv"),
                "frame,ts_ms,object_id,kind,x0,y0,x1,y1,pixels,nearest_z_m", objectRows);
        if (writeDataset) {
            writeLines(out.resolve("dataset").resolve("index.csv"), "id,bg,fg_bg,mask,depth,nearest_fg_m,"
                    + "camera_height_m,pitch_deg,hfov_deg,ts_ms", datasetRows);
        }
        return List.of(truth);
    }

    private static void writeLines(Path file, String header, String[] rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(header);
            w.write('\n');
            for (String r : rows) {
                if (r != null && !r.isEmpty()) {
                    w.write(r);
                    if (!r.endsWith("\n")) {
                        w.write('\n');
                    }
                }
            }
        }
    }

    private void writeCameraJson(Path out) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("width", width);
        json.put("height", height);
        json.put("hfov_deg", HFOV_DEG);
        json.put("camera_height_m", CAMERA_HEIGHT);
        json.put("pitch_deg", PITCH_DEG);
        json.put("fps", fps);
        json.put("frames", frames);
        json.put("depth_unit", "mm");
        json.put("max_depth_m", SampleRenderer.MAX_DEPTH_M);
        json.put("generator", "mdeas procedural indoor ray caster (sequence)");
        json.put("generator_version", DatasetWriter.GENERATOR_VERSION);
        json.put("seed", seed);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        mapper.writeValue(out.resolve("camera.json").toFile(), json);
        if (Files.isDirectory(out.resolve("dataset"))) {
            mapper.writeValue(out.resolve("dataset").resolve("camera.json").toFile(), json);
        }
    }

    /** Per-thread buffers for rendering frames. */
    private final class FrameWorker {
        final Renderer renderer = new Renderer();
        final SensorModel sensor = new SensorModel();
        final PngEncoder png = new PngEncoder();
        final RenderedViews views = new RenderedViews(width, height);
        final BufferedImage frameImg = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        final BufferedImage bgImg = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        final BufferedImage maskImg = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        final BufferedImage depthImg = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);

        void renderFrame(int frame, Path out, boolean writeDataset, String[] truthRows, String[] objectRows,
                         String[] datasetRows, FrameTruth[] truth) throws IOException {
            double t = frame / fps;
            long tsMs = Math.round(t * 1000);
            double k = lightScale(t);
            Scene scene = new Scene(room, furniture, actorsAt(t), light.scaled(k), fill.scaled(k));
            renderer.render(scene, camera, views);
            SensorSettings s = new SensorSettings(exposure, 1, 1, 1, noiseSigma, true, 0, 0, 0,
                    seed * 0x9E3779B97F4A7C15L + frame, 0.15, false);
            sensor.develop(views.fgBg, width, 0, 0, s, 1, 1, 1, s.noiseSeed(), frameImg);
            String name = String.format(Locale.ROOT, "%06d", frame);
            png.write(frameImg, out.resolve("frames").resolve(name + ".png"));
            // per-object truth
            int maxId = 4;
            int[] x0 = new int[maxId];
            int[] y0 = new int[maxId];
            int[] x1 = new int[maxId];
            int[] y1 = new int[maxId];
            int[] pixels = new int[maxId];
            float[] near = new float[maxId];
            java.util.Arrays.fill(x0, Integer.MAX_VALUE);
            java.util.Arrays.fill(y0, Integer.MAX_VALUE);
            java.util.Arrays.fill(x1, -1);
            java.util.Arrays.fill(y1, -1);
            java.util.Arrays.fill(near, Float.POSITIVE_INFINITY);
            float nearest = Float.POSITIVE_INFINITY;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int id = views.fgObject[y * width + x];
                    if (id < 0) {
                        continue;
                    }
                    float z = views.depth[y * width + x];
                    pixels[id]++;
                    x0[id] = Math.min(x0[id], x);
                    y0[id] = Math.min(y0[id], y);
                    x1[id] = Math.max(x1[id], x);
                    y1[id] = Math.max(y1[id], y);
                    near[id] = Math.min(near[id], z);
                    nearest = Math.min(nearest, z);
                }
            }
            StringBuilder objects = new StringBuilder();
            int visible = 0;
            for (Actor a : actors) {
                int id = a.id;
                if (pixels[id] == 0) {
                    continue;
                }
                visible++;
                objects.append(String.format(Locale.ROOT, "%d,%d,%d,%s,%d,%d,%d,%d,%d,%.4f%n", frame, tsMs, id,
                        a.kind.name().toLowerCase(Locale.ROOT), x0[id], y0[id], x1[id], y1[id], pixels[id],
                        near[id]));
            }
            String nearText = visible == 0 ? "" : String.format(Locale.ROOT, "%.4f", nearest);
            truthRows[frame] = frame + "," + tsMs + "," + nearText + "," + visible;
            objectRows[frame] = objects.toString();
            truth[frame] = new FrameTruth(frame, tsMs, visible == 0 ? Double.NaN : nearest, visible);
            if (writeDataset) {
                sensor.develop(views.bg, width, 0, 0, s, 1, 1, 1, ~s.noiseSeed(), bgImg);
                byte[] m = ((DataBufferByte) maskImg.getRaster().getDataBuffer()).getData();
                short[] d = ((DataBufferUShort) depthImg.getRaster().getDataBuffer()).getData();
                for (int i = 0; i < width * height; i++) {
                    m[i] = (byte) (views.fgObject[i] >= 0 ? 255 : 0);
                    long mm = Math.round(views.depth[i] * 1000.0);
                    d[i] = (short) (mm < 1 ? 1 : Math.min(65535, mm));
                }
                Path ds = out.resolve("dataset");
                png.write(bgImg, ds.resolve(DatasetWriter.relative("bg", name)));
                png.write(frameImg, ds.resolve(DatasetWriter.relative("fg_bg", name)));
                png.write(maskImg, ds.resolve(DatasetWriter.relative("mask", name)));
                png.write(depthImg, ds.resolve(DatasetWriter.relative("depth", name)));
                datasetRows[frame] = String.join(",", name, DatasetWriter.relative("bg", name),
                        DatasetWriter.relative("fg_bg", name), DatasetWriter.relative("mask", name),
                        DatasetWriter.relative("depth", name), nearText,
                        String.format(Locale.ROOT, "%.4f", CAMERA_HEIGHT),
                        String.format(Locale.ROOT, "%.3f", PITCH_DEG), String.format(Locale.ROOT, "%.3f", HFOV_DEG),
                        Long.toString(tsMs));
            }
        }
    }
}
