package io.mdeas.node.reliability;

import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.background.BackgroundParams;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.cli.PerceptionNodeCli;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import io.mdeas.node.pipeline.FramePipeline;
import io.mdeas.node.pipeline.PipelineStatus;
import io.mdeas.node.testing.TinyModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corrupt input through the whole pipeline: zero-byte, non-image and truncated files in a folder source, frames of
 * the wrong size or channel count, truncated videos. Bad frames are skipped and counted; the run never crashes.
 */
class CorruptInputTest {
    private static final int W = 64;
    private static final int H = 48;

    @TempDir
    Path tmp;

    @Test
    void aFolderWithBrokenFilesIsProcessedAndTheBrokenOnesAreCounted() throws Exception {
        Path seq = Files.createDirectories(tmp.resolve("seq"));
        int good = 0;
        for (int i = 0; i < 6; i++) {
            write(seq.resolve(String.format("%03d-good.png", i * 10)), new Mat(H, W, CV_8UC3, grey(40 + i)));
            good++;
        }
        Files.write(seq.resolve("005-zero.png"), new byte[0]);
        Files.writeString(seq.resolve("015-text.jpg"), "not a jpeg at all");
        byte[] png = Files.readAllBytes(seq.resolve("000-good.png"));
        Files.write(seq.resolve("025-truncated.png"), Arrays.copyOf(png, png.length / 3));
        write(seq.resolve("035-small.png"), new Mat(H / 2, W / 2, CV_8UC3, grey(90)));        // wrong size
        write(seq.resolve("045-gray.png"), new Mat(H, W, CV_8UC1, grey(60)));                // 1 channel: converted
        write(seq.resolve("046-rgba.png"), new Mat(H, W, CV_8UC4, grey(70)));                // 4 channels: converted
        write(seq.resolve("047-16bit.png"), new Mat(H, W, CV_16UC1, grey(30000)));           // 16 bit: converted
        Files.writeString(seq.resolve("048-readme.txt"), "ignored: not an image name");

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineStatus s = runToEnd("dir:" + seq, registry);
        assertNull(s.failure(), "no processing failure");
        long corrupt = (long) registry.get("mdeas.frames.dropped").tag("reason", "corrupt").counter().count();
        long wrongSize = (long) registry.get("mdeas.frames.dropped").tag("reason", "wrong_size").counter().count();
        // libpng may decode the top of the truncated PNG (then it is processed) or refuse it (then it is corrupt).
        assertTrue(s.framesProcessed() == good + 3 || s.framesProcessed() == good + 4,
                "good frames and the converted gray/RGBA/16-bit ones are processed: " + s.framesProcessed());
        assertTrue(corrupt >= 2, "zero-byte and text files counted as corrupt: " + corrupt);
        assertEquals(1, wrongSize, "the half-size frame counted as wrong_size");
        assertEquals(13, s.framesProcessed() + corrupt + wrongSize, "every image file accounted for");
    }

    @Test
    void aTruncatedStreamableVideoGivesItsGoodFramesAndEnds() throws Exception {
        Path ts = video(tmp.resolve("clip.ts"), "mpegts", 40);
        byte[] all = Files.readAllBytes(ts);
        Path cut = Files.write(tmp.resolve("cut.ts"), Arrays.copyOf(all, all.length * 6 / 10));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineStatus s = runToEnd("file:" + cut, registry);
        assertNull(s.failure(), "no processing failure");
        assertTrue(s.framesProcessed() > 5 && s.framesProcessed() < 40, "frames before the cut: " + s.framesProcessed());
    }

    @Test
    void aTruncatedMp4ThatCannotBeOpenedIsOneLineAndExitTwo() throws Exception {
        Path mp4 = video(tmp.resolve("clip.mp4"), "mp4", 20);
        byte[] all = Files.readAllBytes(mp4);
        Path cut = Files.write(tmp.resolve("cut.mp4"), Arrays.copyOf(all, all.length / 2));
        Path model = TinyModels.builder().inputSize(32).write(tmp.resolve("m.onnx"));
        StringWriter err = new StringWriter();
        int code = PerceptionNodeCli.execute(new String[] {"run", "--source", "file:" + cut, "--model", model.toString(),
                "--set", "model.providers=cpu", "--mqtt", "none", "--http", "none"}, Map.of(),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, code, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("cut.mp4"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    private PipelineStatus runToEnd(String uri, SimpleMeterRegistry registry) throws Exception {
        Path modelFile = TinyModels.builder().inputSize(32).write(tmp.resolve("tiny.onnx"));
        MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(modelFile).withProviders(List.of("cpu")));
        SourceOptions options = SourceOptions.DEFAULTS.withUri(uri);
        try (FramePipeline p = FramePipeline.builder()
                .source(FrameSource.create(options), options)
                .model(model)
                .background(new RollingBackground(BackgroundParams.DEFAULTS, model.inputSize()))
                .mount(new CameraMount(0.15, 0, 70))
                .sink((topic, payload) -> { })
                .registry(registry)
                .build()) {
            p.start();
            assertTrue(p.awaitEnd(java.time.Duration.ofSeconds(60)), "the run ends");
            return p.status();
        }
    }

    private static Path video(Path file, String format, int frames) throws Exception {
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), W, H)) {
            rec.setFormat(format);
            rec.setVideoCodec(AV_CODEC_ID_MPEG4);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(10);
            rec.setVideoQuality(1);
            rec.start();
            for (int i = 0; i < frames; i++) {
                try (Mat m = new Mat(H, W, CV_8UC3, grey(20 + 5 * i))) {
                    rec.record(converter.convert(m), AV_PIX_FMT_BGR24);
                }
            }
            rec.stop();
        }
        return file;
    }

    private static Scalar grey(double v) {
        return new Scalar(v, v, v, v);
    }

    private static void write(Path file, Mat m) {
        try (m) {
            imwrite(file.toString(), m);
        }
    }
}
