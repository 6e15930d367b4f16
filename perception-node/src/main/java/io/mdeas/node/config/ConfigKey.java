package io.mdeas.node.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One configuration key: its dotted name, value type, default, allowed range and meaning.
 * Every key the node understands is declared once in {@link ConfigKeys}; parsing, validation,
 * the environment variable name and the documentation table all come from here.
 *
 * @param <T> the Java type of the parsed value
 */
public final class ConfigKey<T> {

    /** The kinds of value a key can hold. */
    public enum Kind { DECIMAL, INTEGER, BOOLEAN, TEXT, CHOICE }

    private final String name;
    private final Kind kind;
    private final Class<T> javaType;
    private final T defaultValue;
    private final String defaultText;
    private final double min;
    private final double max;
    private final List<String> choices;
    private final Predicate<String> textRule;
    private final String textRuleDescription;
    private final boolean secret;
    private final String description;

    private ConfigKey(Builder<T> b) {
        this.name = b.name;
        this.kind = b.kind;
        this.javaType = b.javaType;
        this.defaultValue = b.defaultValue;
        this.defaultText = b.defaultText;
        this.min = b.min;
        this.max = b.max;
        this.choices = b.choices;
        this.textRule = b.textRule;
        this.textRuleDescription = b.textRuleDescription;
        this.secret = b.secret;
        this.description = b.description;
    }

    /** A decimal number in [min, max]. */
    public static ConfigKey<Double> decimal(String name, double def, double min, double max, String description) {
        Builder<Double> b = new Builder<>(name, Kind.DECIMAL, Double.class, def, description);
        b.min = min;
        b.max = max;
        return new ConfigKey<>(b);
    }

    /** A whole number in [min, max]. */
    public static ConfigKey<Integer> integer(String name, int def, int min, int max, String description) {
        Builder<Integer> b = new Builder<>(name, Kind.INTEGER, Integer.class, def, description);
        b.min = min;
        b.max = max;
        return new ConfigKey<>(b);
    }

    /** {@code true} or {@code false}. */
    public static ConfigKey<Boolean> bool(String name, boolean def, String description) {
        return new ConfigKey<>(new Builder<>(name, Kind.BOOLEAN, Boolean.class, def, description));
    }

    /** Free text (a path, a name); {@code rule} rejects malformed values, {@code ruleText} says what is allowed. */
    public static ConfigKey<String> text(String name, String def, Predicate<String> rule, String ruleText,
                                         boolean secret, String description) {
        Builder<String> b = new Builder<>(name, Kind.TEXT, String.class, def, description);
        b.textRule = rule;
        b.textRuleDescription = ruleText;
        b.secret = secret;
        return new ConfigKey<>(b);
    }

    /** One of a fixed set of words. */
    public static ConfigKey<String> choice(String name, String def, List<String> choices, String description) {
        Builder<String> b = new Builder<>(name, Kind.CHOICE, String.class, def, description);
        b.choices = List.copyOf(choices);
        if (!choices.contains(def)) {
            throw new IllegalArgumentException(name + ": default " + def + " not among " + choices);
        }
        return new ConfigKey<>(b);
    }

    public String name() { return name; }

    public Kind kind() { return kind; }

    public Class<T> javaType() { return javaType; }

    public T defaultValue() { return defaultValue; }

    public String description() { return description; }

    public boolean secret() { return secret; }

    /** The environment variable that overrides this key: {@code camera.height_m} → {@code MDEAS_CAMERA_HEIGHT_M}. */
    public String envName() {
        return "MDEAS_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The default as written in the documentation. */
    public String defaultText() {
        return defaultText;
    }

    /** Human words for the type, as used in the documentation table. */
    public String typeText() {
        return switch (kind) {
            case DECIMAL -> "decimal";
            case INTEGER -> "integer";
            case BOOLEAN -> "boolean";
            case TEXT -> "text";
            case CHOICE -> "choice";
        };
    }

    /** What values are allowed, in words: used in error messages and documentation. */
    public String allowedText() {
        return switch (kind) {
            case DECIMAL -> "a number in [" + plain(min) + ", " + plain(max) + "]";
            case INTEGER -> "a whole number in [" + (long) min + ", " + (long) max + "]";
            case BOOLEAN -> "true or false";
            case TEXT -> textRuleDescription;
            case CHOICE -> "one of " + String.join(", ", choices);
        };
    }

    /**
     * Parses and validates a raw value (a string from a flag or the environment, or a scalar from YAML).
     *
     * @param origin where the value came from, for the error message (e.g. "--set", "file node.yaml")
     * @throws ConfigException naming the key, the value and what is allowed
     */
    public T parse(Object raw, String origin) {
        Objects.requireNonNull(raw, "raw");
        String text = raw.toString().trim();
        Object value = switch (kind) {
            case DECIMAL -> {
                double d;
                try {
                    d = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw invalid(text, origin);
                }
                if (!Double.isFinite(d) || d < min || d > max) {
                    throw invalid(text, origin);
                }
                yield d;
            }
            case INTEGER -> {
                long l;
                try {
                    l = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw invalid(text, origin);
                }
                if (l < min || l > max) {
                    throw invalid(text, origin);
                }
                yield (int) l;
            }
            case BOOLEAN -> {
                if (text.equalsIgnoreCase("true")) {
                    yield Boolean.TRUE;
                }
                if (text.equalsIgnoreCase("false")) {
                    yield Boolean.FALSE;
                }
                throw invalid(text, origin);
            }
            case TEXT -> {
                if (!textRule.test(text)) {
                    throw invalid(text, origin);
                }
                yield text;
            }
            case CHOICE -> {
                String lower = text.toLowerCase(Locale.ROOT);
                if (!choices.contains(lower)) {
                    throw invalid(text, origin);
                }
                yield lower;
            }
        };
        return javaType.cast(value);
    }

    private ConfigException invalid(String text, String origin) {
        String shown = secret ? "(hidden)" : "\"" + text + "\"";
        return new ConfigException(name + " = " + shown + " (from " + origin + ") is not allowed: expected "
                + allowedText());
    }

    /** Formats a value of this key for logs: secrets are masked. */
    public String show(Object value) {
        if (secret && value != null && !value.toString().isEmpty()) {
            return "(hidden)";
        }
        return value == null ? "" : value.toString();
    }

    private static String plain(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    @Override
    public String toString() {
        return name;
    }

    private static final class Builder<T> {
        final String name;
        final Kind kind;
        final Class<T> javaType;
        final T defaultValue;
        final String defaultText;
        final String description;
        double min = Double.NEGATIVE_INFINITY;
        double max = Double.POSITIVE_INFINITY;
        List<String> choices = List.of();
        Predicate<String> textRule = s -> true;
        String textRuleDescription = "any text";
        boolean secret;

        Builder(String name, Kind kind, Class<T> javaType, T def, String description) {
            if (!name.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+")) {
                throw new IllegalArgumentException("bad key name " + name);
            }
            this.name = name;
            this.kind = kind;
            this.javaType = javaType;
            this.defaultValue = def;
            this.defaultText = def instanceof Double d ? plain(d) : String.valueOf(def);
            this.description = description;
        }
    }
}
