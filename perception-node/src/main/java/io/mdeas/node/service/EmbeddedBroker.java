package io.mdeas.node.service;

import io.mdeas.node.config.ConfigException;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process MQTT broker (Moquette) for the demo and for machines without one: anonymous, in memory,
 * no telemetry, bound to one address. Closing it stops the broker and its threads.
 *
 * <p>Known fault of Moquette 0.17 (the newest served here): it writes CONNACK from its session thread and only
 * then attaches the listener that marks the link connected, so on a busy machine a client's first SUBSCRIBE can
 * be read while the link still counts as unconnected; Moquette then logs "SUBSCRIBE received on already closed
 * connection" and drops the client. Rare (seen a few times in many CI runs on 2 loaded cores) and harmless to the
 * node, whose MQTT sink treats it as a failed attempt and reconnects with backoff. Mosquitto, the broker for
 * robots, has no such race.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final Server server;
    private final String host;
    private final int port;

    private EmbeddedBroker(Server server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts the broker on {@code host:port}.
     *
     * @throws ConfigException when the address is taken or cannot be bound
     */
    public static EmbeddedBroker start(String host, int port) {
        // Moquette logs a stack trace and keeps going when the port is taken: check first for a clear message.
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new ConfigException("mqtt.broker = embedded: cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "); stop whatever uses that port, use --mqtt auto to share it, "
                    + "or set mqtt.embedded_listen to a free address");
        }
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("websocket_port", "disabled");
        p.setProperty("netty.mqtt.message_size", Integer.toString(1 << 20));
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(p), List.of());
        } catch (IOException | RuntimeException e) {
            server.stopServer();
            throw new ConfigException("mqtt.broker = embedded: the embedded broker could not start on " + host + ":"
                    + port + ": " + e.getMessage());
        }
        log.info("embedded MQTT broker (Moquette) listening on {}:{}", host, port);
        return new EmbeddedBroker(server, host, port);
    }

    /** {@code tcp://host:port} for clients. */
    public String uri() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public void close() {
        server.stopServer();
        log.info("embedded MQTT broker on {}:{} stopped", host, port);
    }
}
