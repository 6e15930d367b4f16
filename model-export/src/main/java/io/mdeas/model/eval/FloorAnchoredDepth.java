package io.mdeas.model.eval;

import io.mdeas.model.data.Sample;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.analysis.MapGeometry;
import java.nio.FloatBuffer;

/**
 * The node's floor anchor ({@code depth.floor_anchor}) applied to predicted depth maps in evaluation: each sample
 * with its own camera mount from {@code index.csv} (a robot knows its mount; the rendered sets jitter it per
 * sample), and nothing carried from one sample to the next. Counts how often the floor fixed the scale.
 */
public final class FloorAnchoredDepth {
    /** Source-frame height used for the geometry; only the aspect ratio matters. */
    private static final int SOURCE_HEIGHT = 480;

    private final FloorScaleAnchor anchor;
    private final double sensorAspect;
    private int anchored;
    private int held;

    /**
     * @param params       the node's floor-anchor settings
     * @param sensorAspect width / height of the camera frame the square images were squashed from (DATASET.md
     *                     {@code camera.json} {@code sensor_aspect}; 1 when absent)
     */
    public FloorAnchoredDepth(FloorAnchorParams params, double sensorAspect) {
        if (!(sensorAspect > 0)) {
            throw new IllegalArgumentException("sensor aspect must be > 0, got " + sensorAspect);
        }
        this.anchor = new FloorScaleAnchor(params);
        this.sensorAspect = sensorAspect;
    }

    /**
     * Rescales {@code depth} (size × size, metres) in place as the node would on a robot with this sample's mount.
     *
     * @throws IllegalArgumentException when the sample's index row has no camera mount
     */
    public void apply(Sample sample, float[] depth, float[] mask, int size, float maxDepthM) {
        if (sample.cameraHeightM() == null || sample.pitchDeg() == null || sample.hfovDeg() == null) {
            throw new IllegalArgumentException("sample " + sample.id() + " has no camera_height_m, pitch_deg and "
                    + "hfov_deg in index.csv: the floor anchor needs each sample's camera mount (DATASET.md)");
        }
        CameraMount mount = new CameraMount(sample.cameraHeightM(), sample.pitchDeg(), sample.hfovDeg());
        int sourceWidth = (int) Math.round(SOURCE_HEIGHT * sensorAspect);
        MapGeometry geometry = new MapGeometry(mount, sourceWidth, SOURCE_HEIGHT, size, size);
        anchor.reset();
        anchor.apply(FloatBuffer.wrap(depth), FloatBuffer.wrap(mask), geometry, maxDepthM);
        if (anchor.lastOutcome() == FloorScaleAnchor.Outcome.ANCHORED) {
            anchored++;
        } else {
            held++;
        }
    }

    /** The floor-anchor settings in use. */
    public FloorAnchorParams params() {
        return anchor.params();
    }

    /** Samples whose floor fixed the scale. */
    public int anchored() {
        return anchored;
    }

    /** Samples left at the network's scale (too little floor in view, or an implausible correction). */
    public int held() {
        return held;
    }
}
