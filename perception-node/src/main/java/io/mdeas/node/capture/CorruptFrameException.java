package io.mdeas.node.capture;

import java.io.IOException;

/** One frame could not be decoded; the source itself is still usable (the frame is dropped and counted). */
public final class CorruptFrameException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptFrameException(String message) {
        super(message);
    }
}
