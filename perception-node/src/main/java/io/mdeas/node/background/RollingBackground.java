package io.mdeas.node.background;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_core.max;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

/**
 * The scene without foreground, kept at the model's input size.
 *
 * <ul>
 *   <li>Initialised from the first frames once the scene is quiet for {@code stableFrames} frames (or from a
 *       PNG), so a person walking past at start-up does not end up in it.</li>
 *   <li>Updated selectively after each inference: pixels outside the current mask blend in slowly, so light
 *       drift is followed and foreground is not absorbed.</li>
 *   <li>Re-initialised after a global change (lights, the robot moved: most pixels differ for several frames)
 *       and on command ({@link #requestReset()}).</li>
 *   <li>While the robot moves ({@link #setMoving(boolean)}) the background is the current frame: depth only.</li>
 * </ul>
 *
 * <p>{@link #observe} and {@link #blendOutside} run on the pipeline thread; the commands may come from any thread.
 */
public final class RollingBackground implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RollingBackground.class);

    private final BackgroundParams params;
    private final int size;
    private final Size target;
    /** Background as float BGR in 0..255, for the slow blend. */
    private final Mat background = new Mat();
    private final Mat previous = new Mat();
    private final Mat diff = new Mat();
    private final Mat diffMax = new Mat();
    private final Mat changed = new Mat();
    private final Mat quietMaskF = new Mat();
    private final Mat quietMask = new Mat();
    private final Mat frameF = new Mat();
    private final Mat resized = new Mat();
    private final Mat channel = new Mat();

    private volatile boolean moving;
    private volatile boolean resetRequested;
    private volatile BackgroundState state = BackgroundState.INITIALISING;
    private volatile long bornAtMs = -1;
    private volatile String reason = "start";
    private volatile long resets;
    private int quietFrames;
    private int globalFrames;
    private boolean hasPrevious;

    /** @param size side of the (square) model input the background is kept at */
    public RollingBackground(BackgroundParams params, int size) {
        this.params = params;
        this.size = size;
        this.target = new Size(size, size);
    }

    public BackgroundParams params() {
        return params;
    }

    public int size() {
        return size;
    }

    /** Starts from a stored background image (any size; resized). */
    public void initialiseFrom(Path png) throws IOException {
        if (!Files.isRegularFile(png)) {
            throw new IOException("background image " + png + " not found");
        }
        try (Mat img = imread(png.toString(), IMREAD_COLOR)) {
            if (img.empty()) {
                throw new IOException("background image " + png + " cannot be decoded (use an 8-bit PNG/JPEG)");
            }
            resize(img, resized, target, 0, 0, INTER_AREA);
            resized.convertTo(background, CV_32F);
        }
        becomeStable("file " + png.getFileName(), System.currentTimeMillis());
    }

    /** Asks for a re-initialisation from the next quiet frames (command topic / API). */
    public void requestReset() {
        resetRequested = true;
    }

    /** Motion hint: while moving, the node runs depth-only. */
    public void setMoving(boolean isMoving) {
        this.moving = isMoving;
    }

    public boolean moving() {
        return moving;
    }

    /**
     * Takes in the current frame (8-bit BGR at the model's input size) before inference and decides the state.
     * Outside {@link BackgroundState#STABLE} the background becomes the current frame.
     */
    public BackgroundState observe(Mat frame, long nowMs) {
        checkSize(frame);
        if (moving) {
            if (state != BackgroundState.DEPTH_ONLY) {
                log.info("robot moving: background follows the frame (depth only)");
                state = BackgroundState.DEPTH_ONLY;
                bornAtMs = -1;
            }
            frame.convertTo(background, CV_32F);
            hasPrevious = false;
            return state;
        }
        if (state == BackgroundState.DEPTH_ONLY) {
            startInitialising("robot stopped");
        }
        if (resetRequested) {
            resetRequested = false;
            startInitialising("reset command");
        }
        if (state == BackgroundState.INITIALISING) {
            if (hasPrevious && changedShare(frame, previous, false) <= params.stableMaxChangedFrac()) {
                quietFrames++;
            } else {
                quietFrames = hasPrevious ? 0 : 1;
            }
            frame.copyTo(previous);
            hasPrevious = true;
            frame.convertTo(background, CV_32F);
            if (quietFrames >= params.stableFrames()) {
                becomeStable(reason, nowMs);
            }
            return state;
        }
        // STABLE: watch for a global change (most pixels differ from the background for several frames).
        if (changedShare(frame, background, true) >= params.globalChangeFrac()) {
            if (++globalFrames >= params.globalChangeFrames()) {
                log.info("global change ({} frames with most pixels changed): background re-initialising", globalFrames);
                startInitialising("global change");
                frame.copyTo(previous);
                hasPrevious = true;
                frame.convertTo(background, CV_32F);
            }
        } else {
            globalFrames = 0;
        }
        return state;
    }

    /**
     * After inference: blends the frame into the background where the mask says "no foreground" (selective
     * update). Only in {@link BackgroundState#STABLE}.
     *
     * @param mask model mask (32-bit float, model input size), or null to blend everywhere
     */
    public void blendOutside(Mat frame, Mat mask) {
        if (state != BackgroundState.STABLE || params.blendAlpha() <= 0) {
            return;
        }
        checkSize(frame);
        frame.convertTo(frameF, CV_32F);
        if (mask == null) {
            accumulateWeighted(frameF, background, params.blendAlpha());
            return;
        }
        threshold(mask, quietMaskF, params.maskThreshold(), 255, THRESH_BINARY_INV);
        quietMaskF.convertTo(quietMask, CV_8U);
        accumulateWeighted(frameF, background, params.blendAlpha(), quietMask);
    }

    /** The background image, float BGR in 0..255 at the model input size (valid after the first observe). */
    public Mat image() {
        return background;
    }

    public BackgroundState state() {
        return state;
    }

    public BackgroundStatus status(long nowMs) {
        long born = bornAtMs;
        double age = born < 0 ? 0 : Math.max(0, (nowMs - born) / 1000.0);
        return new BackgroundStatus(state, age, reason, resets);
    }

    private void startInitialising(String why) {
        if (state == BackgroundState.STABLE) {
            resets++;
        }
        state = BackgroundState.INITIALISING;
        reason = why;
        bornAtMs = -1;
        quietFrames = 0;
        globalFrames = 0;
        hasPrevious = false;
    }

    private void becomeStable(String why, long nowMs) {
        state = BackgroundState.STABLE;
        reason = why;
        bornAtMs = nowMs;
        globalFrames = 0;
        log.info("background initialised ({})", why);
    }

    /** Share of pixels where some colour channel differs by more than the threshold. */
    private double changedShare(Mat frame, Mat reference, boolean referenceIsFloat) {
        if (referenceIsFloat) {
            frame.convertTo(frameF, CV_32F);
            absdiff(frameF, reference, diff);
        } else {
            absdiff(frame, reference, diff);
        }
        // Largest of the three channel differences per pixel.
        extractChannel(diff, diffMax, 0);
        for (int c = 1; c < 3; c++) {
            extractChannel(diff, channel, c);
            max(diffMax, channel, diffMax);
        }
        threshold(diffMax, changed, params.pixelDiffLevels(), 255, THRESH_BINARY);
        changed.convertTo(quietMask, CV_8U);
        return countNonZero(quietMask) / (double) (size * size);
    }

    private void checkSize(Mat frame) {
        if (frame.cols() != size || frame.rows() != size || frame.channels() != 3) {
            throw new IllegalArgumentException("background expects " + size + "x" + size + " BGR frames, got "
                    + frame.cols() + "x" + frame.rows() + "x" + frame.channels());
        }
    }

    @Override
    public void close() {
        background.close();
        previous.close();
        diff.close();
        diffMax.close();
        changed.close();
        quietMaskF.close();
        quietMask.close();
        frameF.close();
        resized.close();
        channel.close();
        target.close();
    }
}
