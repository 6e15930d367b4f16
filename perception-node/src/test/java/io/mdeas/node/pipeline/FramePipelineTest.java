package io.mdeas.node.pipeline;

import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.background.BackgroundParams;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.capture.SourceState;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import io.mdeas.node.publish.ObstaclesMessage;
import io.mdeas.node.publish.ScanMessage;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.testing.TinyModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FramePipelineTest {
    @TempDir
    Path dir;

    /** The synthetic scene as a real video file: empty for 10 frames, the object for 20, empty for 15. */
    private Path sceneVideo(double fps) throws Exception {
        Path file = dir.resolve("scene.mp4");
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), SyntheticScene.WIDTH, SyntheticScene.HEIGHT);
             Mat empty = SyntheticScene.frame(false);
             Mat withObject = SyntheticScene.frame(true)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_MPEG4);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setVideoQuality(1);
            rec.start();
            for (int i = 0; i < 45; i++) {
                rec.record(converter.convert(i >= 10 && i < 30 ? withObject : empty), AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        return file;
    }

    private FramePipeline pipeline(SourceOptions options, CollectingSink sink, SimpleMeterRegistry registry) throws Exception {
        Path modelFile = TinyModels.builder().inputSize(32)
                .depth(SyntheticScene.DEPTH_SCALE, SyntheticScene.DEPTH_OFFSET).write(dir.resolve("m.onnx"));
        MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(modelFile).withProviders(List.of("cpu")));
        return FramePipeline.builder()
                .source(FrameSource.create(options), options)
                .model(model)
                .background(new RollingBackground(BackgroundParams.DEFAULTS, model.inputSize()))
                .mount(new CameraMount(0.15, 0, 70))
                .sink(sink)
                .registry(registry)
                .build();
    }

    @Test
    void aVideoFileIsProcessedFrameByFrameOnNamedThreadsAndEndsTheRun() throws Exception {
        Path video = sceneVideo(10);
        CollectingSink sink = new CollectingSink();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicLong expectedFrame = new AtomicLong();
        try (FramePipeline p = pipeline(SourceOptions.DEFAULTS.withUri("file:" + video), sink, registry)) {
            p.onFrameProcessed(r -> {
                threads.add(Thread.currentThread().getName());
                assertEquals(expectedFrame.getAndIncrement(), r.frame());
            });
            p.start();
            assertTrue(p.awaitEnd(Duration.ofSeconds(60)), "a file ends the run");
            PipelineStatus s = p.status();
            assertEquals(45, s.framesCaptured());
            assertEquals(45, s.framesProcessed());
            assertEquals(0, s.framesDropped());
            assertTrue(s.ended());
            assertNull(s.failure());
            assertEquals(SourceState.ENDED, s.source().state());
            assertEquals("cpu", s.model().provider());
            assertTrue(s.lastFrameNanos() > 0);
        }
        assertEquals(Set.of("pipeline"), threads);
        assertEquals(45, sink.payloads(Topic.SCAN, ScanMessage.class).size());
        List<ObstaclesMessage> obstacles = sink.payloads(Topic.OBSTACLES, ObstaclesMessage.class);
        assertFalse(obstacles.isEmpty(), "the object is found in the decoded video");
        assertEquals(1.5, obstacles.get(0).obstacles().get(0).distanceM(), 0.1);
        assertEquals(45.0, registry.get("mdeas.frames.processed").counter().count());
        assertEquals(45.0, registry.get("mdeas.frames.captured").counter().count());
        assertEquals(0.0, registry.get("mdeas.frames.dropped").tag("reason", "stale").counter().count());
        assertTrue(registry.get("mdeas.background.age").gauge().value() >= 0);
    }

    @Test
    void aLiveSourceFasterThanThePipelineDropsStaleFramesAndCountsThem() throws Exception {
        // --realtime paces the file like a camera at 100 fps; a slow listener makes processing ~30 fps.
        Path video = sceneVideo(100);
        CollectingSink sink = new CollectingSink();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong lastFrame = new AtomicLong(-1);
        try (FramePipeline p = pipeline(SourceOptions.DEFAULTS.withUri("file:" + video).withRealtime(true), sink, registry)) {
            p.onFrameProcessed(r -> {
                assertTrue(r.frame() > lastFrame.getAndSet(r.frame()), "frames only move forward");
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            p.start();
            assertTrue(p.awaitEnd(Duration.ofSeconds(60)));
            PipelineStatus s = p.status();
            assertEquals(45, s.framesCaptured());
            assertTrue(s.framesDropped() > 0, "stale frames dropped: " + s);
            assertEquals(s.framesCaptured(), s.framesProcessed() + s.framesDropped(), "every frame processed or dropped");
            assertEquals((double) s.framesDropped(), registry.get("mdeas.frames.dropped").tag("reason", "stale").counter().count());
            assertEquals(44, lastFrame.get(), "the newest frame always gets through");
        }
    }

    @Test
    void theBundledDemoPlaysPacedAndStopsAtMaxFrames() throws Exception {
        CollectingSink sink = new CollectingSink();
        SourceOptions options = SourceOptions.DEFAULTS.withUri("demo").withMaxFrames(8);
        long t0 = System.nanoTime();
        try (FramePipeline p = pipeline(options, sink, new SimpleMeterRegistry())) {
            p.start();
            assertTrue(p.awaitEnd(Duration.ofSeconds(60)));
            assertEquals(8, p.status().framesCaptured());
            assertEquals("demo", p.status().source().name());
            assertEquals(10.0, p.status().source().fps(), 0.01);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds >= 0.65, "8 frames at 10 fps take at least 0.7 s, took " + seconds);
        List<ScanMessage> scans = sink.payloads(Topic.SCAN, ScanMessage.class);
        assertTrue(scans.size() >= 1 && scans.size() <= 8);
        assertEquals(scans.get(scans.size() - 1).frame(), 7, "the last frame is processed (latest wins)");
    }

    @Test
    void aProcessingFailureEndsTheRunAndReleasesCapture() throws Exception {
        Path video = sceneVideo(10);
        try (FramePipeline p = pipeline(SourceOptions.DEFAULTS.withUri("file:" + video), new CollectingSink(),
                new SimpleMeterRegistry())) {
            p.onFrameProcessed(r -> {
                if (r.frame() == 3) {
                    throw new IllegalStateException("listener broke on frame 3");
                }
            });
            p.start();
            assertTrue(p.awaitEnd(Duration.ofSeconds(30)));
            PipelineStatus s = p.status();
            assertTrue(s.ended());
            assertTrue(s.failure().contains("listener broke on frame 3"), s.failure());
            assertEquals(4, s.framesProcessed(), "frames 0-3 went through; the failure stops the run");
            long t0 = System.nanoTime();
            p.close();
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "capture was not left waiting on the slot");
        }
    }

    @Test
    void closeStopsALiveSourceThatNeverEnds() throws Exception {
        CollectingSink sink = new CollectingSink();
        try (FramePipeline p = pipeline(SourceOptions.DEFAULTS.withUri("demo"), sink, new SimpleMeterRegistry())) {
            p.start();
            assertFalse(p.awaitEnd(Duration.ofMillis(700)), "the demo loops until stopped");
            p.requestBackgroundReset();
            p.setMoving(false);
            p.close();
            assertTrue(p.status().ended());
        }
        assertFalse(sink.messages.isEmpty());
    }
}
