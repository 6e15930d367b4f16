package io.mdeas.node.inference;

/**
 * The model cannot be used: missing, unreadable, not ONNX, or not honouring the MDEAS model contract.
 * The message is one line naming the file and what is wrong; the node exits with {@link #EXIT_CODE}.
 */
public final class ModelLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Process exit status for a model that cannot be used. */
    public static final int EXIT_CODE = 2;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
