package io.mdeas.node.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The validated, effective configuration of one node run: a value for every key in {@link ConfigKeys},
 * and where each value came from (default, file, environment or flag).
 */
public final class NodeConfig {

    /** Where a value came from, in increasing precedence. */
    public enum Origin { DEFAULT, FILE, ENV, FLAG }

    private final Map<ConfigKey<?>, Object> values;
    private final Map<ConfigKey<?>, Origin> origins;

    NodeConfig(Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, Origin> origins) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    }

    /** The configuration made of defaults only. */
    public static NodeConfig defaults() {
        return new ConfigLoader().load(null, Map.of(), Map.of());
    }

    /** The value of a key. */
    public <T> T get(ConfigKey<T> key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("key not in registry: " + key.name());
        }
        return key.javaType().cast(v);
    }

    /** Where the value of a key came from. */
    public Origin origin(ConfigKey<?> key) {
        return origins.get(key);
    }

    /** One line listing the keys that differ from their defaults (secrets masked), for the startup log. */
    public String describeOverrides() {
        StringJoiner j = new StringJoiner(", ");
        values.forEach((k, v) -> {
            if (origins.get(k) != Origin.DEFAULT) {
                j.add(k.name() + "=" + k.show(v) + " (" + origins.get(k).name().toLowerCase() + ")");
            }
        });
        return j.length() == 0 ? "all defaults" : j.toString();
    }
}
