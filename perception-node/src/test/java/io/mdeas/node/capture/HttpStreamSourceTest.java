package io.mdeas.node.capture;

import com.sun.net.httpserver.HttpServer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG2VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real HTTP stream (MPEG-TS served by an in-test HTTP server) that ends is reopened like a camera. */
class HttpStreamSourceTest {
    @TempDir
    Path dir;

    @Test
    void aStreamThatEndsIsReopenedAndKeepsDelivering() throws Exception {
        Path ts = dir.resolve("cam.ts");
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(ts.toFile(), 64, 48)) {
            rec.setFormat("mpegts");
            rec.setVideoCodec(AV_CODEC_ID_MPEG2VIDEO);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(25);
            rec.start();
            for (int i = 0; i < 15; i++) {
                try (Mat m = new Mat(48, 64, CV_8UC3, new Scalar(i * 15, 100, 50, 0))) {
                    rec.record(converter.convert(m), AV_PIX_FMT_BGR24);
                }
            }
            rec.stop();
        }
        byte[] body = Files.readAllBytes(ts);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cam.ts", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cam.ts";
            SourceOptions options = SourceOptions.DEFAULTS.withUri(url).withRetry(Duration.ofMillis(10), Duration.ofMillis(50));
            FrameSource source = FrameSource.create(options);
            assertEquals("stream-127.0.0.1", source.name());
            AtomicInteger captured = new AtomicInteger();
            try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.LATEST_WINS, () -> { })) {
                FrameCapture capture = new FrameCapture(source, options, slot, new FrameCapture.Listener() {
                    @Override
                    public void captured() {
                        captured.incrementAndGet();
                    }

                    @Override
                    public void dropped(String reason) {
                        // not expected for a valid stream
                    }
                });
                Thread t = new Thread(capture, "capture-" + source.name());
                t.start();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (captured.get() < 40 && System.nanoTime() < deadline) {
                    CapturedFrame f = slot.take(100);
                    if (f != null) {
                        assertEquals(64, f.image.cols());
                        slot.release(f);
                    }
                }
                capture.stop();
                t.join(5000);
                assertTrue(captured.get() >= 40, "frames across reopenings: " + captured.get());
                assertTrue(requests.get() >= 3, "the stream was reopened after each end: " + requests.get() + " requests");
                assertTrue(capture.status().reopens() >= 2, capture.status().toString());
            }
        } finally {
            server.stop(0);
        }
    }
}
