package io.mdeas.node.capture;

import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

/**
 * Run once to (re)make the bundled demo clip from a {@code model-export render-sequence} folder:
 * <pre>
 *   java -cp ... io.mdeas.node.capture.DemoClipEncoder RENDER_DIR perception-node/src/main/resources/demo [bits/s]
 * </pre>
 * Encodes {@code frames/*.png} to {@code demo.mp4} (H.264, yuv420p) at the rate in camera.json and copies
 * {@code truth.csv}, {@code objects.csv} and {@code camera.json} next to it.
 */
public final class DemoClipEncoder {
    private DemoClipEncoder() {}

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        int bitrate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        String camera = Files.readString(in.resolve("camera.json"));
        double fps = Double.parseDouble(camera.replaceAll("(?s).*\"fps\"\\s*:\\s*([0-9.]+).*", "$1"));
        List<Path> frames;
        try (Stream<Path> s = Files.list(in.resolve("frames"))) {
            frames = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        Path clip = out.resolve("demo.mp4");
        try (Mat first = imread(frames.get(0).toString(), IMREAD_COLOR);
             FFmpegFrameRecorder rec = new FFmpegFrameRecorder(clip.toFile(), first.cols(), first.rows())) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setGopSize((int) Math.round(fps * 2));
            // The bundled FFmpeg encodes H.264 with OpenH264 (no CRF): a bit rate keeps the clip near 2 MB.
            rec.setVideoBitrate(bitrate);
            rec.start();
            for (Path f : frames) {
                try (Mat m = imread(f.toString(), IMREAD_COLOR)) {
                    rec.record(converter.convert(m), AV_PIX_FMT_BGR24);
                }
            }
            rec.stop();
        }
        for (String name : new String[] {"truth.csv", "objects.csv", "camera.json"}) {
            Files.copy(in.resolve(name), out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.printf("%s: %d frames at %.1f fps, %d bytes%n", clip, frames.size(), fps, Files.size(clip));
    }
}
