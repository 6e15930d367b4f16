package io.mdeas.model.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Top command of model-export: {@code generate}, {@code render-sequence}, {@code summary}, {@code train},
 * {@code average}, {@code silence-dead}, {@code evaluate}, {@code compare}, {@code export}, {@code verify}. Each subcommand lives in its own class in this package; register it in
 * {@code subcommands} below.
 */
@Command(
        name = "model-export",
        mixinStandardHelpOptions = true,
        versionProvider = ModelExportCli.Version.class,
        description = "MDEAS training pipeline: dataset generator, training, evaluation and ONNX export.",
        subcommands = {
            CommandLine.HelpCommand.class,
            GenerateCommand.class,
            RenderSequenceCommand.class,
            EvaluateCommand.class,
            CompareCommand.class,
            ExportCommand.class,
            VerifyCommand.class,
            SilenceDeadCommand.class,
            AverageCommand.class,
            SummaryCommand.class,
            TrainCommand.class,
        })
public final class ModelExportCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new ModelExportCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Reports the jar's implementation version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ModelExportCli.class.getPackage().getImplementationVersion();
            return new String[] {"model-export " + (v == null ? "dev" : v)};
        }
    }
}
