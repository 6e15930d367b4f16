package io.mdeas.node.background;

/** What the rolling background is doing. */
public enum BackgroundState {
    /** Waiting for a stable scene (start-up, after a global change or a reset); runs depth-only meanwhile. */
    INITIALISING,
    /** A background exists and is maintained: change detection and obstacle events are on. */
    STABLE,
    /** The robot is moving: background := current frame, distances only, no change events. */
    DEPTH_ONLY;

    /** Whether change detection against this background means anything. */
    public boolean detectsChange() {
        return this == STABLE;
    }
}
