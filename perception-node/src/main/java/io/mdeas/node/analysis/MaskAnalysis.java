package io.mdeas.node.analysis;

import java.util.List;

/**
 * What the mask says about one frame.
 *
 * @param blobs       measured blobs at or above the minimum area, largest first
 * @param changedFrac share of pixels at or above the mask threshold (before clean-up)
 */
public record MaskAnalysis(List<Blob> blobs, double changedFrac) {
    public static final MaskAnalysis EMPTY = new MaskAnalysis(List.of(), 0);

    public MaskAnalysis {
        blobs = List.copyOf(blobs);
    }
}
