package io.mdeas.node.background;

/**
 * Snapshot for health and stats.
 *
 * @param state     what the background is doing
 * @param ageS      seconds since the current background was (re-)initialised; 0 while there is none
 * @param reason    why it was last (re-)initialised, e.g. "start", "global change", "reset command", "file"
 * @param resets    how many times it was re-initialised since start
 */
public record BackgroundStatus(BackgroundState state, double ageS, String reason, long resets) {
}
