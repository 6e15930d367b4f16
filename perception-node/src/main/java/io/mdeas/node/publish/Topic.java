package io.mdeas.node.publish;

/** The MQTT topic suffixes under {@code mdeas/<node-id>/}. */
public enum Topic {
    AVAILABILITY("availability"),
    OBSTACLES("obstacles"),
    EVENTS("events"),
    SCAN("scan"),
    STATS("stats");

    private final String suffix;

    Topic(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /** Full topic name, {@code mdeas/<nodeId>/<suffix>}. */
    public String path(String nodeId) {
        return "mdeas/" + nodeId + "/" + suffix;
    }
}
