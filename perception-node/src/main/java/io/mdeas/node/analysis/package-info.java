/**
 * From the model maps to geometry. First the maps are corrected with what the robot knows and the network does not:
 * the mask is snapped to the outlines of the frame it came from ({@link io.mdeas.node.analysis.MaskEdgeRefiner}),
 * the depth map's scale is fixed by the floor the camera mount predicts
 * ({@link io.mdeas.node.analysis.FloorScaleAnchor}). Then mask → blobs with robust distance, range and bearing;
 * depth → a floor-aware virtual range scan. Bearings and scan angles are positive to the left (counter-clockwise
 * seen from above).
 */
package io.mdeas.node.analysis;
