/** Blobs across frames: stable ids, M-of-N / K-absent hysteresis, obstacle and change events. */
package io.mdeas.node.tracking;
