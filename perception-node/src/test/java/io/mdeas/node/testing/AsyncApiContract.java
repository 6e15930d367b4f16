package io.mdeas.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The MQTT contract in {@code deploy/asyncapi.yaml}, as a validator: the payload schema of each channel,
 * with the document's {@code components} in scope for {@code $ref}s.
 */
public final class AsyncApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final Map<String, JsonSchema> schemas = new HashMap<>();

    private AsyncApiContract(JsonNode document) {
        this.document = document;
    }

    /** Loads {@code deploy/asyncapi.yaml} of the repository (tests run in the module folder). */
    public static AsyncApiContract load() {
        Path file = Path.of("..", "deploy", "asyncapi.yaml");
        try {
            return new AsyncApiContract(new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /** The channel name for a topic suffix, e.g. {@code mdeas/{nodeId}/events}. */
    public static String channel(String suffix) {
        return "mdeas/{nodeId}/" + suffix;
    }

    /**
     * Validates one payload as received on the wire; returns the problems (empty when valid).
     *
     * @param suffix  topic suffix, e.g. {@code events} or {@code cmd/motion}
     * @param payload the message text
     */
    public List<String> problems(String suffix, String payload) {
        JsonSchema schema = schemas.computeIfAbsent(suffix, this::schemaFor);
        JsonNode message = document.at(pointerOf(messageRef(suffix)));
        JsonNode value;
        if (message.path("contentType").asText("application/json").startsWith("text/plain")) {
            value = TextNode.valueOf(payload);
        } else {
            try {
                value = JSON.readTree(payload);
            } catch (IOException e) {
                return List.of("not JSON: " + e.getMessage());
            }
        }
        return schema.validate(value).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private String messageRef(String suffix) {
        JsonNode ch = document.path("channels").path(channel(suffix));
        if (ch.isMissingNode()) {
            throw new AssertionError("asyncapi.yaml has no channel " + channel(suffix));
        }
        JsonNode op = ch.has("subscribe") ? ch.get("subscribe") : ch.get("publish");
        return op.path("message").path("$ref").asText();
    }

    private JsonSchema schemaFor(String suffix) {
        JsonNode payload = document.at(pointerOf(messageRef(suffix))).path("payload");
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2019-09/schema");
        root.setAll((ObjectNode) payload.deepCopy());
        root.set("$defs", document.path("components").path("schemas").deepCopy());
        // AsyncAPI keeps schemas under components/schemas; JSON Schema under $defs.
        try {
            JsonNode rewritten = JSON.readTree(JSON.writeValueAsString(root)
                    .replace("\"#/components/schemas/", "\"#/$defs/"));
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(rewritten);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pointerOf(String ref) {
        if (!ref.startsWith("#/")) {
            throw new AssertionError("only local $refs are used: " + ref);
        }
        return ref.substring(1);
    }
}
