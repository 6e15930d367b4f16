package io.mdeas.node.config;

/**
 * Renders {@code docs/CONFIG.md}, the configuration reference, from {@link ConfigKeys}, so the document
 * cannot drift from the code (a test compares the checked-in file with this output).
 */
public final class ConfigReference {
    private ConfigReference() {}

    /** The full Markdown document. */
    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# perception-node configuration reference\n\n")
                .append("<!-- Generated from ConfigKeys.java by `perception-node config-doc`; do not edit by hand. -->\n\n")
                .append("Every setting has a dotted key. A value is taken from, highest precedence first:\n\n")
                .append("1. command-line flags: `--set key=value` (repeatable, later wins) and the dedicated flags "
                        + "(`--source`, `--background`, `--model`, `--mqtt`, `--node-id`, `--print`, `--max-frames`, "
                        + "`--realtime`, `--http`), which are shorthands for keys below;\n")
                .append("2. environment variables `MDEAS_<KEY>`: the key upper-cased with dots replaced by "
                        + "underscores, e.g. `camera.height_m` → `MDEAS_CAMERA_HEIGHT_M`;\n")
                .append("3. the YAML file given with `--config FILE` (nested maps or dotted names, e.g. "
                        + "`camera: {height_m: 0.3}` or `camera.height_m: 0.3`);\n")
                .append("4. the defaults in the table.\n\n")
                .append("An unknown key, a value of the wrong type or out of range stops the node with a one-line "
                        + "message naming the key, the value and what is allowed, and exit code 2. "
                        + "`perception-node check` validates a configuration (with its model and source) and exits.\n\n")
                .append("| Key | Environment variable | Type | Default | Allowed | Meaning |\n")
                .append("|---|---|---|---|---|---|\n");
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            sb.append("| `").append(k.name()).append("` | `").append(k.envName()).append("` | ")
                    .append(k.typeText()).append(" | ")
                    .append(k.defaultText().isEmpty() ? "(empty)" : "`" + k.defaultText() + "`").append(" | ")
                    .append(cell(k.allowedText())).append(" | ")
                    .append(cell(k.description())).append(" |\n");
        }
        sb.append("\nFlag → key: `--source` → `source.uri`, `--background` → `source.background`, "
                + "`--model` → `model.path`, `--mqtt` → `mqtt.broker`, `--node-id` → `node.id`, `--print` → `output.print=true`, "
                + "`--max-frames` → `source.max_frames`, `--realtime` → `source.realtime=true`, "
                + "`--http` → `http.listen`.\n")
                .append("\nLogging is not a config key: logs go to stderr, and the environment variable `"
                        + ConfigLoader.LOG_LEVEL_ENV + "` (TRACE, DEBUG, INFO, WARN, ERROR; default INFO) sets the level.\n");
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
