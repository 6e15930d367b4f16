package io.mdeas.node.publish;

/**
 * Where results go. Implementations: {@link JsonLinePrintSink} (stdout JSON lines), {@code MqttSink}.
 * Must not block the pipeline for long: an implementation that can stall (network) hands off to its own
 * thread/buffer.
 */
public interface MessageSink extends AutoCloseable {
    /** payload: a record (or JsonNode) Jackson can serialise, carrying ts (capture epoch ms) and frame. */
    void publish(Topic topic, Object payload);

    @Override
    default void close() {}
}
