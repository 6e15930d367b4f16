package io.mdeas.node.publish;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The {@code type} of an event message. */
public enum EventType {
    OBSTACLE_NEW, OBSTACLE_UPDATE, OBSTACLE_END, OBSTACLE_NEAR, CHANGE_START, CHANGE_END;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
