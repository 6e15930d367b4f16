package io.mdeas.node.config;

/**
 * A configuration problem the operator must fix. The message is one line that names the key, the value
 * and what is allowed; the CLI prints it without a stack trace and exits with code 2.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String oneLineMessage) {
        super(oneLineMessage, null, false, false);
    }
}
