package io.mdeas.model.net;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Prepares DJL's PyTorch engine for this project: offline (natives come from the bundled
 * {@code pytorch-native-cpu} jar, never downloaded), extracted into a chosen cache folder, with a fixed number
 * of intra-op threads. Must run before the first {@link Engine} use; later calls change nothing.
 *
 * <p>DJL reads {@code DJL_CACHE_DIR} (and {@code ENGINE_CACHE_DIR}, defaulting to it) from system properties,
 * then the environment; {@code ai.djl.pytorch.num_threads} / {@code num_interop_threads} set the thread pools.
 * Values already given on the command line win.
 */
public final class TorchRuntime {

    private TorchRuntime() {}

    /** Default native cache: {@code $MDEAS_CACHE_DIR/djl}, else {@code ~/.cache/mdeas/djl}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("MDEAS_CACHE_DIR");
        Path base = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "mdeas");
        return base.resolve("djl");
    }

    /**
     * Configures and starts the engine.
     *
     * @param cacheDir where DJL extracts the native libraries, or null for {@link #defaultCacheDir()}
     * @param threads intra-op threads, or 0 for the number of available processors
     */
    public static Engine start(Path cacheDir, int threads) {
        quietDjlLogging();
        setIfAbsent("ai.djl.offline", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            Path dir = cacheDir != null ? cacheDir : defaultCacheDir();
            System.setProperty("DJL_CACHE_DIR", dir.toAbsolutePath().toString());
        } else if (cacheDir != null) {
            System.setProperty("DJL_CACHE_DIR", cacheDir.toAbsolutePath().toString());
        }
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(n));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
        return Engine.getEngine("PyTorch");
    }

    /** Starts the engine with the default cache folder and all cores. */
    public static Engine start() {
        return start(null, 0);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** DJL logs native extraction at DEBUG; without a logback configuration that floods stderr. */
    private static void quietDjlLogging() {
        Object logger = LoggerFactory.getLogger("ai.djl");
        if (logger instanceof ch.qos.logback.classic.Logger lb && lb.getLevel() == null) {
            lb.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        // Probing for CUDA on a CPU-only machine warns on every start; nothing to act on.
        Object cuda = LoggerFactory.getLogger("ai.djl.util.cuda");
        if (cuda instanceof ch.qos.logback.classic.Logger lb && lb.getLevel() == null) {
            lb.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
