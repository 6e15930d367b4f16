package io.mdeas.node.cli;

import io.mdeas.node.config.ConfigException;
import io.mdeas.node.inference.ModelLoadException;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the perception node. Exit codes: 0 normal end (source finished, {@code --max-frames}
 * reached, SIGTERM/SIGINT), 2 bad configuration, model or source (one line on stderr, no stack trace),
 * 1 unexpected failure.
 */
@Command(name = "perception-node", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "MDEAS perception node: camera → change mask and metric depth → obstacles, events and a "
                + "virtual scan over MQTT.",
        subcommands = {RunCommand.class, CheckCommand.class, VersionCommand.class, ConfigDocCommand.class,
                BenchCommand.class})
public final class PerceptionNodeCli implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv()));
    }

    /** Runs the command line and returns the exit code (the process exits with it). */
    public static int execute(String[] args, Map<String, String> env) {
        return execute(args, env, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** Runs the command line with the given environment and output streams (for in-process tests). */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new PerceptionNodeCli(), new EnvFactory(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("perception-node: " + ex.getMessage().lines().findFirst().orElse("bad arguments")
                    + " (see " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            w.flush();
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter w = c.getErr();
            if (ex instanceof ConfigException || ex instanceof ModelLoadException) {
                w.println("perception-node: " + ex.getMessage());
                w.flush();
                return EXIT_BAD_INPUT;
            }
            LoggerFactory.getLogger(PerceptionNodeCli.class).error("unexpected failure", ex);
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    /** Hands the environment to the commands, so tests can run them in-process with their own. */
    private record EnvFactory(Map<String, String> env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == RunCommand.class) {
                return cls.cast(new RunCommand(env));
            }
            if (cls == CheckCommand.class) {
                return cls.cast(new CheckCommand(env));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
