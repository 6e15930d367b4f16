package io.mdeas.node.pipeline;

/**
 * How often results are published.
 *
 * @param obstaclesMinIntervalMs obstacle lists at most this often (0 = every processed frame); the empty list
 *                               after the last obstacle ends is always published
 * @param scanMinIntervalMs      scans at most this often (0 = every processed frame)
 */
public record OutputParams(long obstaclesMinIntervalMs, long scanMinIntervalMs) {
    public static final OutputParams DEFAULTS = new OutputParams(0, 0);

    public OutputParams {
        if (obstaclesMinIntervalMs < 0 || scanMinIntervalMs < 0) {
            throw new IllegalArgumentException("publish intervals must be >= 0 ms");
        }
    }
}
