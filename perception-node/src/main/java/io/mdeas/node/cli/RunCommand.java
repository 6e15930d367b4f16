package io.mdeas.node.cli;

import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.inference.ModelLoadException;
import io.mdeas.node.service.NodeService;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code perception-node run}: runs the node until the source ends, {@code --max-frames} is reached, or
 * SIGTERM/SIGINT arrives (then: capture stops, the frame in flight finishes, {@code offline} is published,
 * everything closes, exit 0 within 5 s). With no options: the bundled demo clip and model, {@code --mqtt auto},
 * HTTP on 127.0.0.1:9464.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the node (defaults: bundled demo clip and model, --mqtt auto, "
        + "HTTP /metrics and /health on 127.0.0.1:9464).")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    private final Map<String, String> env;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    RunCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws ModelLoadException, InterruptedException {
        NodeConfig config = options.load(env);
        NodeService node = NodeService.start(config, System.out);
        ShutdownSignals signals = ShutdownSignals.install(node::requestStop);
        try {
            return node.awaitEnd();
        } finally {
            signals.startDeadline(); // whatever ended the run, closing must not hang
            node.close();
            signals.close();
            log.debug("run command finished");
        }
    }
}
