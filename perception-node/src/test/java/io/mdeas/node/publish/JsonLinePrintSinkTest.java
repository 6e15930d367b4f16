package io.mdeas.node.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinePrintSinkTest {

    @Test
    void everyMessageIsOneJsonLineWithTopicAndSnakeCasePayload() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinePrintSink sink = new JsonLinePrintSink("node-7", new PrintStream(out, true, StandardCharsets.UTF_8))) {
            ObstacleReport o = new ObstacleReport(3, 1.234, 1.2, -12.5, List.of(10, 20, 30, 40), 0.05, 700);
            sink.publish(Topic.OBSTACLES, new ObstaclesMessage(1700000000123L, 42, List.of(o)));
            sink.publish(Topic.EVENTS, EventMessage.obstacle(EventType.OBSTACLE_NEAR, 1700000000123L, 42, o));
            sink.publish(Topic.EVENTS, EventMessage.change(EventType.CHANGE_START, 1700000000200L, 43, 0.1234567));
            sink.publish(Topic.SCAN, ScanMessage.of(1700000000123L, 42, -35, 35, 0.05, 8,
                    new float[] {Float.POSITIVE_INFINITY, 2.5f, 1.25f}));
            sink.publish(Topic.AVAILABILITY, "online");
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(5, lines.length);
        ObjectMapper m = new ObjectMapper();

        JsonNode obstacles = m.readTree(lines[0]);
        assertEquals("mdeas/node-7/obstacles", obstacles.get("topic").asText());
        JsonNode first = obstacles.get("payload").get("obstacles").get(0);
        assertEquals(1.234, first.get("distance_m").asDouble());
        assertEquals(-12.5, first.get("bearing_deg").asDouble());
        assertEquals("[10,20,30,40]", first.get("bbox").toString());
        assertEquals(700, first.get("age_ms").asLong());
        assertEquals(42, obstacles.get("payload").get("frame").asLong());

        JsonNode near = m.readTree(lines[1]).get("payload");
        assertEquals("obstacle_near", near.get("type").asText());
        assertFalse(near.has("changed_frac"), "absent fields are left out");
        JsonNode change = m.readTree(lines[2]).get("payload");
        assertEquals("change_start", change.get("type").asText());
        assertEquals(0.123, change.get("changed_frac").asDouble());
        assertFalse(change.has("obstacle"));

        JsonNode scan = m.readTree(lines[3]).get("payload");
        assertEquals("[null,2.5,1.25]", scan.get("ranges_m").toString(), "+Inf is null");
        assertEquals(1.25, scan.get("nearest_m").asDouble());
        assertTrue(scan.has("angle_min_deg") && scan.has("angle_increment_deg") && scan.has("range_max_m"));

        JsonNode availability = m.readTree(lines[4]);
        assertEquals("mdeas/node-7/availability", availability.get("topic").asText());
        assertEquals("online", availability.get("payload").asText());
    }

    @Test
    void aScanWithNoReturnHasNoNearest() throws Exception {
        ScanMessage s = ScanMessage.of(1, 0, -30, 60, 0.05, 8, new float[] {Float.POSITIVE_INFINITY});
        JsonNode n = new ObjectMapper().valueToTree(s);
        assertTrue(n.get("nearest_m").isNull());
    }
}
