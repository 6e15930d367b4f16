package io.mdeas.node.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapping for every payload: snake_case names come from the records' own annotations. */
public final class Payloads {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Payloads() {}

    /** Shared, thread-safe mapper configured for the payload records. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Rounds metres and degrees to millimetre / milli-degree resolution for compact messages. */
    public static double round3(double v) {
        if (!Double.isFinite(v)) {
            return v;
        }
        return Math.round(v * 1000.0) / 1000.0;
    }
}
