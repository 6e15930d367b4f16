package io.mdeas.node.service;

import io.mdeas.node.config.ConfigException;

/** A {@code host:port} address from the configuration. */
public record HostPort(String host, int port) {

    /** Parses {@code host:port} or {@code [v6]:port}; the config registry has already checked the shape. */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(text.substring(colon + 1));
        if (port > 65535) {
            throw new ConfigException("\"" + text + "\" is not allowed: the port must be in [0, 65535]");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
