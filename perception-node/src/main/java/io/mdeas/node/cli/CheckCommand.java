package io.mdeas.node.cli;

import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.config.StageParams;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelInfo;
import io.mdeas.node.inference.ModelLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code perception-node check}: validates the configuration, loads the model and reads one frame from the
 * source (and the background image, if one is set), prints one line per item and exits: 0 when all are
 * usable, 2 otherwise.
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate configuration, model and source, then exit (0 = all usable).")
final class CheckCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    CheckCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NodeConfig config = options.load(env); // a bad config ends here with its one-line message (exit 2)
        out.println("config: OK (" + config.describeOverrides() + ")");
        boolean ok = true;
        int inputSize = 0;
        MdeasModel model = null;
        try {
            model = MdeasModel.load(StageParams.modelOptions(config));
            ModelInfo info = model.info();
            inputSize = model.inputSize();
            out.println("model: OK " + info.source() + " version " + info.version() + ", input " + info.inputSize()
                    + "x" + info.inputSize() + ", provider " + info.provider() + ", sha256 " + info.sha256()
                    + (info.mirrorAverage() ? ", mirror averaging" : ""));
        } catch (ModelLoadException e) {
            out.println("model: FAILED " + e.getMessage());
            ok = false;
        }
        SourceOptions so = StageParams.sourceOptions(config);
        try (MdeasModel loaded = model; FrameSource source = FrameSource.create(so); Mat frame = new Mat()) {
            source.open();
            if (!source.read(frame) || frame.empty()) {
                out.println("source: FAILED " + so.uri() + " gave no frame");
                ok = false;
            } else {
                out.println("source: OK " + so.uri() + " (" + source.name() + ") " + frame.cols() + "x" + frame.rows()
                        + (source.fps() > 0 ? " at " + source.fps() + " fps" : ""));
                if (loaded != null) {
                    out.println(FloorCheck.line(loaded, frame, config));
                }
            }
        } catch (IOException | RuntimeException e) {
            out.println("source: FAILED " + so.uri() + ": " + e.getMessage());
            ok = false;
        }
        Path png = StageParams.backgroundImage(config);
        if (png != null) {
            try (RollingBackground bg = new RollingBackground(StageParams.backgroundParams(config),
                    inputSize > 0 ? inputSize : 224)) {
                bg.initialiseFrom(png);
                out.println("background: OK " + png);
            } catch (IOException e) {
                out.println("background: FAILED " + e.getMessage());
                ok = false;
            }
        }
        out.println("mqtt: " + config.get(ConfigKeys.MQTT_BROKER) + ", http: " + config.get(ConfigKeys.HTTP_LISTEN)
                + " (not contacted by check)");
        out.flush();
        return ok ? PerceptionNodeCli.EXIT_OK : PerceptionNodeCli.EXIT_BAD_INPUT;
    }
}
