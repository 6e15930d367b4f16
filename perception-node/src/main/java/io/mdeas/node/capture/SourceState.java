package io.mdeas.node.capture;

/** Life cycle of a frame source as seen by /health and stats. */
public enum SourceState {
    /** Not opened yet, or opening. */
    OPENING,
    /** Delivering frames. */
    RUNNING,
    /** A camera or stream failed; waiting to reopen it (backoff). */
    RETRYING,
    /** A file or folder reached its end, {@code --max-frames} was reached, or capture was stopped. */
    ENDED,
    /** A file or folder could not be read at all. */
    FAILED
}
