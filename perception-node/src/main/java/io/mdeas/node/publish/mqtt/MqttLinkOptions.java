package io.mdeas.node.publish.mqtt;

import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.publish.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link MqttSink} needs to reach a broker.
 *
 * @param serverUri      {@code tcp://host:port} or {@code ssl://host:port}
 * @param topicRoot      {@code mdeas/<node-id>}; topics are {@code <topicRoot>/<suffix>}
 * @param username       user name, or empty for anonymous
 * @param password       password (used only with a user name)
 * @param tls            CA and client key material for {@code ssl://}, or null for the JVM defaults
 * @param keepAlive      MQTT keep-alive; the broker sends the last will about 1.5× this after a crash
 * @param reconnectMin   first reconnect delay (doubles after each failure)
 * @param reconnectMax   longest reconnect delay
 * @param eventBuffer    how many reliable messages (events) wait while disconnected
 * @param qos            QoS per topic
 */
public record MqttLinkOptions(String serverUri, String topicRoot, String username, String password,
                              TlsFiles tls, Duration keepAlive, Duration reconnectMin, Duration reconnectMax,
                              int eventBuffer, Map<Topic, Integer> qos) {

    /** PEM files for TLS; any may be null. */
    public record TlsFiles(Path caFile, Path certFile, Path keyFile) {}

    public MqttLinkOptions {
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(topicRoot, "topicRoot");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        qos = Map.copyOf(qos);
        for (Topic t : Topic.values()) {
            if (!qos.containsKey(t)) {
                throw new IllegalArgumentException("no QoS for topic " + t);
            }
        }
        if (eventBuffer < 1) {
            throw new IllegalArgumentException("eventBuffer must be >= 1");
        }
    }

    /** Options for a broker at {@code serverUri} from the node configuration. */
    public static MqttLinkOptions from(NodeConfig c, String serverUri, String nodeId) {
        Map<Topic, Integer> qos = new EnumMap<>(Topic.class);
        qos.put(Topic.AVAILABILITY, c.get(ConfigKeys.MQTT_QOS_AVAILABILITY));
        qos.put(Topic.EVENTS, c.get(ConfigKeys.MQTT_QOS_EVENTS));
        qos.put(Topic.OBSTACLES, c.get(ConfigKeys.MQTT_QOS_OBSTACLES));
        qos.put(Topic.SCAN, c.get(ConfigKeys.MQTT_QOS_SCAN));
        qos.put(Topic.STATS, c.get(ConfigKeys.MQTT_QOS_STATS));
        TlsFiles tls = new TlsFiles(path(c.get(ConfigKeys.MQTT_TLS_CA_FILE)),
                path(c.get(ConfigKeys.MQTT_TLS_CERT_FILE)), path(c.get(ConfigKeys.MQTT_TLS_KEY_FILE)));
        return new MqttLinkOptions(serverUri, Topic.AVAILABILITY.path(nodeId).substring(0, Topic.AVAILABILITY.path(nodeId).lastIndexOf('/')),
                c.get(ConfigKeys.MQTT_USERNAME), c.get(ConfigKeys.MQTT_PASSWORD),
                tls.caFile() == null && tls.certFile() == null ? null : tls,
                Duration.ofSeconds(c.get(ConfigKeys.MQTT_KEEPALIVE_S)),
                seconds(c.get(ConfigKeys.MQTT_RECONNECT_MIN_S)), seconds(c.get(ConfigKeys.MQTT_RECONNECT_MAX_S)),
                c.get(ConfigKeys.MQTT_EVENT_BUFFER), qos);
    }

    /** The full topic name for a topic suffix, e.g. {@code mdeas/node1/events}. */
    public String topic(String suffix) {
        return topicRoot + "/" + suffix;
    }

    private static Path path(String s) {
        return s.isEmpty() ? null : Path.of(s);
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    @Override
    public String toString() {
        return "MqttLinkOptions[" + serverUri + ", root=" + topicRoot + ", user=" + (username.isEmpty() ? "-" : username)
                + ", tls=" + (tls != null) + "]";
    }
}
