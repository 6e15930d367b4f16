package io.mdeas.node.pipeline;

import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.publish.Topic;

import java.util.ArrayList;
import java.util.List;

/** Keeps every message it is given, in order (a real sink, for tests). */
final class CollectingSink implements MessageSink {
    record Message(Topic topic, Object payload) {}

    final List<Message> messages = new ArrayList<>();

    @Override
    public synchronized void publish(Topic topic, Object payload) {
        messages.add(new Message(topic, payload));
    }

    synchronized <T> List<T> payloads(Topic topic, Class<T> type) {
        return messages.stream().filter(m -> m.topic() == topic).map(m -> type.cast(m.payload())).toList();
    }
}
