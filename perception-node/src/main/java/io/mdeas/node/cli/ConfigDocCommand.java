package io.mdeas.node.cli;

import io.mdeas.node.config.ConfigReference;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Hidden: prints docs/CONFIG.md, generated from the key registry ({@code perception-node config-doc > docs/CONFIG.md}). */
@Command(name = "config-doc", hidden = true, description = "Print the configuration reference (Markdown).")
final class ConfigDocCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigReference.markdown());
        spec.commandLine().getOut().flush();
        return PerceptionNodeCli.EXIT_OK;
    }
}
