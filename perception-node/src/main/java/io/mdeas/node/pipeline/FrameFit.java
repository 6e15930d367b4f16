package io.mdeas.node.pipeline;

/**
 * How a source frame is fitted to the model's square input.
 *
 * <ul>
 *   <li>{@link #SQUASH}: the whole frame, resized without keeping its aspect (nothing at the sides is lost, but a
 *       4:3 frame reaches the model with non-square pixels).</li>
 *   <li>{@link #CENTER_CROP}: the centred square of the frame, resized (square pixels as in training, at the cost of
 *       the frame's sides: a 4:3 camera with 70° across loses about 15° on each side).</li>
 * </ul>
 * Distances, bounding boxes and the scan are computed in source-frame geometry either way.
 */
public enum FrameFit {
    SQUASH, CENTER_CROP
}
