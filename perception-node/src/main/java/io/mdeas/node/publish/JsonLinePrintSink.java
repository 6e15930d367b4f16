package io.mdeas.node.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;

/**
 * {@code --print}: every message as one JSON line {@code {"topic": "mdeas/<node-id>/<name>", "payload": {…}}}
 * on stdout (logs go to stderr, so stdout stays machine-readable).
 */
public final class JsonLinePrintSink implements MessageSink {
    private final String nodeId;
    private final PrintStream out;
    private final ObjectMapper mapper;

    public JsonLinePrintSink(String nodeId, PrintStream out) {
        this(nodeId, out, Payloads.mapper());
    }

    public JsonLinePrintSink(String nodeId, PrintStream out, ObjectMapper mapper) {
        this.nodeId = nodeId;
        this.out = out;
        this.mapper = mapper;
    }

    @Override
    public void publish(Topic topic, Object payload) {
        ObjectNode line = mapper.createObjectNode();
        line.put("topic", topic.path(nodeId));
        line.set("payload", mapper.valueToTree(payload));
        String text;
        try {
            text = mapper.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload for " + topic + " cannot be written as JSON: " + e.getMessage(), e);
        }
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    @Override
    public void close() {
        out.flush();
    }
}
