package io.mdeas.node.service;

import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.NodeConfig;
import java.io.IOException;
import java.io.InputStream;
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

    /**
     * True when an MQTT broker answers at the address: it accepts a TCP connection and replies to an MQTT 3.1.1
     * CONNECT with a CONNACK (even a refusal counts: a broker is there).
     */
    static boolean answers(HostPort address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address.host(), address.port()), 300);
            s.setSoTimeout(1000);
            s.getOutputStream().write(PROBE_CONNECT);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            int type = in.read();
            if (type != 0x20) {
                log.warn("something listens on {} but does not answer MQTT (first byte {})", address, type);
                return false;
            }
            s.getOutputStream().write(new byte[] {(byte) 0xE0, 0x00}); // DISCONNECT
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** CONNECT, MQTT 3.1.1, clean session, keep-alive 10 s, client id "mdeas-probe". */
    private static final byte[] PROBE_CONNECT = {
        0x10, 23,                               // CONNECT, remaining length
        0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04,   // protocol name and level 4 (3.1.1)
        0x02, 0x00, 0x0A,                       // flags: clean session; keep-alive 10 s
        0x00, 0x0B, 'm', 'd', 'e', 'a', 's', '-', 'p', 'r', 'o', 'b', 'e'
    };

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
