package io.mdeas.node.capture;

import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCaptureTest {
    @TempDir
    Path dir;

    /** Counts what the capture loop reports. */
    private static final class Counts implements FrameCapture.Listener {
        final AtomicInteger captured = new AtomicInteger();
        final List<String> dropped = new ArrayList<>();

        @Override
        public void captured() {
            captured.incrementAndGet();
        }

        @Override
        public synchronized void dropped(String reason) {
            dropped.add(reason);
        }
    }

    static Path recordVideo(Path file, int frames, int width, int height) throws Exception {
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), width, height)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_MPEG4);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(10);
            rec.setVideoQuality(2);
            rec.start();
            for (int i = 0; i < frames; i++) {
                try (Mat m = new Mat(height, width, CV_8UC3, new Scalar(i * 10, i * 10, i * 10, 0))) {
                    rec.record(converter.convert(m), AV_PIX_FMT_BGR24);
                }
            }
            rec.stop();
        }
        return file;
    }

    /** Runs capture to its end on a real thread and returns the mean grey of each frame received, in order. */
    private static List<Double> drain(FrameCapture capture, FrameSlot slot) throws Exception {
        Thread t = new Thread(capture, "capture-test");
        t.start();
        List<Double> greys = new ArrayList<>();
        while (true) {
            CapturedFrame f = slot.take(5000);
            if (f == null) {
                assertTrue(slot.finished(), "capture stalled");
                break;
            }
            assertEquals(greys.size(), f.index, "frames in order, none dropped");
            greys.add(mean(f.image).get(0));
            slot.release(f);
        }
        t.join(5000);
        return greys;
    }

    @Test
    void decodesARealVideoFileFrameByFrameAndEndsCleanly() throws Exception {
        Path video = recordVideo(dir.resolve("clip.mp4"), 20, 64, 48);
        SourceOptions options = SourceOptions.DEFAULTS.withUri("file:" + video);
        FrameSource source = FrameSource.create(options);
        assertTrue(!source.live());
        Counts counts = new Counts();
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { })) {
            FrameCapture capture = new FrameCapture(source, options, slot, counts);
            List<Double> greys = drain(capture, slot);
            assertEquals(20, greys.size());
            // Lossy codec and limited-range YUV: the grey levels come back close, and in order.
            for (int i = 0; i < 20; i++) {
                assertEquals(i * 10, greys.get(i), 8.0, "frame " + i);
                if (i > 0) {
                    assertTrue(greys.get(i) > greys.get(i - 1), "frame " + i + " brighter than the one before");
                }
            }
            assertEquals(SourceState.ENDED, capture.status().state());
            assertEquals(10.0, capture.status().fps(), 0.01);
            assertEquals(20, counts.captured.get());
        }
    }

    @Test
    void maxFramesStopsEarly() throws Exception {
        Path video = recordVideo(dir.resolve("clip.mp4"), 12, 32, 32);
        SourceOptions options = SourceOptions.DEFAULTS.withUri("file:" + video).withMaxFrames(5);
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { })) {
            FrameCapture capture = new FrameCapture(FrameSource.create(options), options, slot, new Counts());
            assertEquals(5, drain(capture, slot).size());
            assertTrue(capture.status().reason().contains("max frames"));
        }
    }

    @Test
    void aFinishedRunStillReportsTheRateOfASourceThatForgetsItOnClose() throws Exception {
        // The demo source drops its decoder on close, so its own fps() is 0 afterwards; the status must not be.
        Path video = recordVideo(dir.resolve("clip.mp4"), 6, 32, 32);
        SourceOptions options = SourceOptions.DEFAULTS.withUri("demo").withMaxFrames(4);
        DemoSource source = new DemoSource(video);
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { })) {
            FrameCapture capture = new FrameCapture(source, options, slot, new Counts());
            assertEquals(4, drain(capture, slot).size());
            assertEquals(0.0, source.fps(), "the source itself is closed");
            assertEquals(SourceState.ENDED, capture.status().state());
            assertEquals(10.0, capture.status().fps(), 0.01);
        }
    }

    @Test
    void readsAFolderInNameOrderAndDropsCorruptAndWrongSizedImages() throws Exception {
        Path images = Files.createDirectories(dir.resolve("seq"));
        for (int i = 0; i < 5; i++) {
            try (Mat m = new Mat(24, 32, CV_8UC3, new Scalar(i * 40, i * 40, i * 40, 0))) {
                imwrite(images.resolve(String.format("%06d.png", i)).toString(), m);
            }
        }
        Files.writeString(images.resolve("000002b.png"), "not a png");
        try (Mat m = new Mat(10, 10, CV_8UC3, new Scalar(0, 0, 0, 0))) {
            imwrite(images.resolve("000003b.png").toString(), m);
        }
        Files.writeString(images.resolve("notes.txt"), "ignored");
        SourceOptions options = SourceOptions.DEFAULTS.withUri("dir:" + images);
        Counts counts = new Counts();
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { })) {
            FrameCapture capture = new FrameCapture(FrameSource.create(options), options, slot, counts);
            List<Double> greys = drain(capture, slot);
            assertEquals(List.of(0.0, 40.0, 80.0, 120.0, 160.0), greys);
            assertEquals(List.of(FrameCapture.DROP_CORRUPT, FrameCapture.DROP_WRONG_SIZE), counts.dropped);
            assertEquals(SourceState.ENDED, capture.status().state());
        }
    }

    @Test
    void aMissingFileFailsTheSourceWithItsName() throws Exception {
        SourceOptions options = SourceOptions.DEFAULTS.withUri("file:" + dir.resolve("gone.mp4"));
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { })) {
            FrameCapture capture = new FrameCapture(FrameSource.create(options), options, slot, new Counts());
            capture.run();
            assertEquals(SourceState.FAILED, capture.status().state());
            assertTrue(capture.status().reason().contains("gone.mp4"), capture.status().reason());
            assertTrue(slot.finished());
        }
    }

    @Test
    void aStreamThatCannotConnectIsRetriedWithBackoffUntilStopped() throws Exception {
        // Port 9 (discard) on loopback: connection refused at once, every time.
        SourceOptions options = SourceOptions.DEFAULTS.withUri("http://127.0.0.1:9/cam.mjpg")
                .withRetry(Duration.ofMillis(10), Duration.ofMillis(40));
        FrameSource source = FrameSource.create(options);
        assertTrue(source.live());
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.LATEST_WINS, () -> { })) {
            FrameCapture capture = new FrameCapture(source, options, slot, new Counts());
            Thread t = new Thread(capture, "capture-" + source.name());
            t.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (capture.status().state() != SourceState.RETRYING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            SourceStatus status = capture.status();
            assertEquals(SourceState.RETRYING, status.state());
            assertNotNull(status.reason());
            assertTrue(status.reason().contains("127.0.0.1"), status.reason());
            capture.stop();
            t.join(5000);
            assertTrue(!t.isAlive());
            assertEquals(SourceState.ENDED, capture.status().state());
        }
    }

    @Test
    void aMissingCameraIsRetriedAndNamedInTheStatus() throws Exception {
        SourceOptions options = new SourceOptions("v4l2:/dev/video99", 640, 480, 30, "mjpeg", false, 0,
                Duration.ofMillis(10), Duration.ofMillis(20));
        FrameSource source = FrameSource.create(options);
        assertEquals("video99", source.name());
        assertTrue(source.live() && source.selfPaced());
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.LATEST_WINS, () -> { })) {
            FrameCapture capture = new FrameCapture(source, options, slot, new Counts());
            Thread t = new Thread(capture, "capture-" + source.name());
            t.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (capture.status().state() != SourceState.RETRYING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(SourceState.RETRYING, capture.status().state());
            assertTrue(capture.status().reason().contains("/dev/video99"), capture.status().reason());
            capture.stop();
            t.join(5000);
            assertTrue(!t.isAlive());
        }
    }

    @Test
    void cameraPixelFormatsMapToV4l2FourCcs() {
        int mjpg = 'M' | 'J' << 8 | 'P' << 16 | 'G' << 24;
        assertEquals(mjpg, V4l2CameraSource.fourcc("mjpeg"));
        assertEquals(mjpg, V4l2CameraSource.fourcc("MJPG"));
        assertEquals('Y' | 'U' << 8 | 'Y' << 16 | 'V' << 24, V4l2CameraSource.fourcc("yuyv422"));
        assertEquals('H' | '2' << 8 | '6' << 16 | '4' << 24, V4l2CameraSource.fourcc("h264"));
    }

    @Test
    void unknownSchemesAreRefusedWithTheAccepted() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FrameSource.create(SourceOptions.DEFAULTS.withUri("ftp://x")));
        assertTrue(e.getMessage().contains("v4l2:") && e.getMessage().contains("demo"));
    }
}
