package io.mdeas.node.service;

import io.mdeas.node.publish.mqtt.MqttSink;
import java.util.function.Supplier;

/** The {@code broker} health check: UP while connected (or when MQTT is off), DOWN with the reason otherwise. */
public final class BrokerHealth implements Supplier<HealthCheck> {
    private final MqttSink sink;
    private final String description;

    /** @param sink the MQTT sink, or null when MQTT is disabled */
    public BrokerHealth(MqttSink sink, String description) {
        this.sink = sink;
        this.description = description;
    }

    @Override
    public HealthCheck get() {
        if (sink == null) {
            return HealthCheck.up("MQTT disabled (" + description + ")");
        }
        if (sink.connected()) {
            return HealthCheck.up("connected to " + sink.serverUri() + " (" + description + ")");
        }
        return HealthCheck.down(sink.lastProblem() + "; " + sink.bufferedEvents() + " event(s) buffered");
    }
}
