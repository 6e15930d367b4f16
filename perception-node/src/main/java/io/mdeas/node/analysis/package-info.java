/**
 * From the model maps to geometry: mask → blobs with robust distance, range and bearing; depth → a floor-aware
 * virtual range scan. Bearings and scan angles are positive to the left (counter-clockwise seen from above).
 */
package io.mdeas.node.analysis;
