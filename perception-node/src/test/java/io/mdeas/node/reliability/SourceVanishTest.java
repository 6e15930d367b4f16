package io.mdeas.node.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.service.NodeService;
import io.mdeas.node.testing.TinyModels;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG2VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source that vanishes while the node runs: a stream cut (its HTTP server refuses, then comes back), images
 * removed from a folder mid-read, a video file deleted while it is read. The node keeps running, reports the
 * camera in /health, retries with backoff, and recovers when the source returns.
 * (A V4L2 camera that is unplugged takes the same reopen path; {@code FrameCaptureTest} covers a missing device.)
 */
class SourceVanishTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCutStreamIsReportedRetriedWithBackoffAndRecovers() throws Exception {
        byte[] clip = Files.readAllBytes(tsClip(tmp.resolve("cam.ts"), 50));
        AtomicBoolean cut = new AtomicBoolean();
        AtomicInteger refused = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cam.ts", exchange -> {
            if (cut.get()) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, clip.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(clip);
            }
        });
        server.start();
        try (NodeService node = NodeService.start(config("http://127.0.0.1:" + server.getAddress().getPort() + "/cam.ts",
                Map.of("source.retry_min_s", "0.1", "source.retry_max_s", "0.8", "health.frame_timeout_s", "1")),
                new PrintStream(OutputStream.nullOutputStream()))) {
            awaitHealth(node, h -> camera(h).equals("UP"), 20_000, "camera UP while the stream plays");
            double before = processed(node);
            assertTrue(before > 0);

            cut.set(true);
            JsonNode down = awaitHealth(node, h -> !camera(h).equals("UP"), 10_000, "camera reported after the cut");
            assertNotEquals("UP", down.get("status").asText(), down.toString());
            int r0 = refused.get();
            Thread.sleep(3000);
            int attempts = refused.get() - r0;
            // 0.1 s doubling to 0.8 s: about 5 attempts in 3 s; without backoff it would be dozens.
            assertTrue(attempts >= 2 && attempts <= 12, "reopen attempts in 3 s: " + attempts);

            cut.set(false);
            awaitHealth(node, h -> camera(h).equals("UP") && !h.get("status").asText().equals("DOWN"), 15_000,
                    "camera UP again after the stream returned");
            double after = processed(node);
            Thread.sleep(500);
            assertTrue(processed(node) > after, "frames flow again");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void imagesRemovedFromAFolderMidReadAreSkippedAndTheRunEnds() throws Exception {
        Path seq = Files.createDirectories(tmp.resolve("seq"));
        for (int i = 0; i < 60; i++) {
            try (Mat m = new Mat(48, 64, CV_8UC3, new Scalar(20 + i, 80, 120, 0))) {
                imwrite(seq.resolve(String.format("%04d.png", i)).toString(), m);
            }
        }
        try (NodeService node = NodeService.start(config("dir:" + seq, Map.of("source.realtime", "true", "source.fps", "20")),
                new PrintStream(OutputStream.nullOutputStream()))) {
            while (processed(node) < 10) {
                Thread.sleep(20);
            }
            for (int i = 30; i < 60; i += 2) {
                Files.delete(seq.resolve(String.format("%04d.png", i)));
            }
            assertEquals(0, node.awaitEnd(), "the run ends normally");
            String m = get(node.httpUrl() + "/metrics");
            double corrupt = metric(m, "mdeas_frames_dropped_total{reason=\"corrupt\"");
            double read = metric(m, "mdeas_frames_captured_total");
            assertEquals(15, corrupt, "the 15 removed images are counted");
            assertEquals(45, read, "every remaining image is read (paced like a camera, some may be dropped as stale)");
        }
    }

    @Test
    void aVideoDeletedWhileItIsReadIsReadToItsEnd() throws Exception {
        Path video = tsClip(tmp.resolve("clip.ts"), 40);
        try (NodeService node = NodeService.start(config("file:" + video, Map.of("source.realtime", "true")),
                new PrintStream(OutputStream.nullOutputStream()))) {
            while (processed(node) < 5) {
                Thread.sleep(20);
            }
            Files.delete(video); // the open file stays readable to its end
            assertEquals(0, node.awaitEnd());
            // Paced like a camera, a few frames may be dropped as stale; every frame is still read.
            assertEquals(40, metric(get(node.httpUrl() + "/metrics"), "mdeas_frames_captured_total"), 1);
        }
    }

    private NodeConfig config(String source, Map<String, String> extra) {
        Path model = TinyModels.builder().inputSize(32).write(tmp.resolve("tiny-" + Math.abs(source.hashCode()) + ".onnx"));
        Map<String, String> o = new HashMap<>(Map.of("model.path", model.toString(), "model.providers", "cpu",
                "http.listen", "127.0.0.1:0", "mqtt.broker", "none", "source.uri", source, "node.id", "vanish"));
        o.putAll(extra);
        return new ConfigLoader().load(null, Map.of(), o);
    }

    private static String camera(JsonNode health) {
        return health.path("checks").path("camera").path("status").asText();
    }

    private JsonNode awaitHealth(NodeService node, Predicate<JsonNode> p, long limitMs, String what) throws Exception {
        long end = System.currentTimeMillis() + limitMs;
        JsonNode last = null;
        while (System.currentTimeMillis() < end) {
            last = Payloads.mapper().readTree(get(node.httpUrl() + "/health"));
            if (p.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": not within " + limitMs + " ms; last /health " + last);
    }

    private double processed(NodeService node) throws Exception {
        return metric(get(node.httpUrl() + "/metrics"), "mdeas_frames_processed_total");
    }

    /** The value of the first sample whose line starts with {@code prefix} (name, or name and first labels). */
    private static double metric(String exposition, String prefix) {
        return exposition.lines().filter(l -> l.startsWith(prefix + " ") || l.startsWith(prefix + "{")
                        || (prefix.contains("{") && l.startsWith(prefix)))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + prefix));
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Path tsClip(Path file, int frames) throws Exception {
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), 64, 48)) {
            rec.setFormat("mpegts");
            rec.setVideoCodec(AV_CODEC_ID_MPEG2VIDEO);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(25);
            rec.start();
            for (int i = 0; i < frames; i++) {
                try (Mat m = new Mat(48, 64, CV_8UC3, new Scalar(i * 4, 100, 50, 0))) {
                    rec.record(converter.convert(m), AV_PIX_FMT_BGR24);
                }
            }
            rec.stop();
        }
        return file;
    }
}
