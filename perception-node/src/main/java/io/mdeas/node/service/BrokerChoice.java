package io.mdeas.node.service;

import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.NodeConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code mqtt.broker} into where to publish: nowhere ({@code none}), an external broker
 * ({@code tcp://…}, {@code ssl://…}, or one found on {@code mqtt.embedded_listen} by {@code auto}), or an
 * embedded broker this node starts and owns. The decision is logged.
 *
 * @param uri      broker address to connect to, or null for {@code none}
 * @param embedded the broker this node started, or null
 */
public record BrokerChoice(String uri, EmbeddedBroker embedded) implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerChoice.class);

    /** Makes the choice, starting the embedded broker if needed. */
    public static BrokerChoice resolve(NodeConfig config) {
        String mode = config.get(ConfigKeys.MQTT_BROKER);
        HostPort listen = HostPort.parse(config.get(ConfigKeys.MQTT_EMBEDDED_LISTEN));
        switch (mode) {
            case "none" -> {
                log.info("MQTT: disabled (--mqtt none); messages go only to --print if set");
                return new BrokerChoice(null, null);
            }
            case "embedded" -> {
                EmbeddedBroker b = EmbeddedBroker.start(listen.host(), listen.port());
                log.info("MQTT: using the embedded broker on {} (--mqtt embedded)", listen);
                return new BrokerChoice(b.uri(), b);
            }
            case "auto" -> {
                if (answers(listen)) {
                    log.info("MQTT: a broker answers on {}; using it (--mqtt auto)", listen);
                    return new BrokerChoice("tcp://" + listen, null);
                }
                EmbeddedBroker b = EmbeddedBroker.start(listen.host(), listen.port());
                log.info("MQTT: no broker on {}; started the embedded broker there (--mqtt auto)", listen);
                return new BrokerChoice(b.uri(), b);
            }
            default -> {
                log.info("MQTT: using the broker at {}", mode);
                return new BrokerChoice(mode, null);
            }
        }
    }

    /** True when something accepts TCP connections at the address. */
    static boolean answers(HostPort address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address.host(), address.port()), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether messages go to a broker at all. */
    public boolean enabled() {
        return uri != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
