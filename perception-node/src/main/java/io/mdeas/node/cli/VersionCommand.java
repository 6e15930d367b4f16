package io.mdeas.node.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code perception-node version}: the node's version and the runtime it runs on. */
@Command(name = "version", description = "Print the version and exit.")
final class VersionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
        return PerceptionNodeCli.EXIT_OK;
    }

    /** Version lines from the jar manifest (Implementation-Version), "development build" when run from classes. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PerceptionNodeCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "perception-node " + (v == null ? "(development build)" : v),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
            };
        }
    }
}
