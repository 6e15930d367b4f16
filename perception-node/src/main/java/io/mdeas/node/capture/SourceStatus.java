package io.mdeas.node.capture;

/**
 * Snapshot of the capture side.
 *
 * @param name     source name
 * @param state    life-cycle state
 * @param reason   last failure or end reason (null while all is well)
 * @param reopens  how many times the source was reopened after a failure
 * @param fps      the source's nominal frame rate (0 if unknown)
 */
public record SourceStatus(String name, SourceState state, String reason, long reopens, double fps) {
}
