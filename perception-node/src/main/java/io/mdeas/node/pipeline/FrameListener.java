package io.mdeas.node.pipeline;

/** Called on the pipeline thread after each processed frame (e.g. the systemd watchdog); must return quickly. */
@FunctionalInterface
public interface FrameListener {
    void frameProcessed(FrameResult result);
}
