package io.mdeas.model.cli;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.net.TorchRuntime;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code summary}: the network's layer table (top-level steps with output shape and trainable parameters) for
 * a {@code size}×{@code size} input, and the total, counted from the model's parameters.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print the MDEAS network's layers, output shapes and parameter count.")
public final class SummaryCommand implements Callable<Integer> {

    @Option(names = "--size", defaultValue = "224", description = "Input side in pixels, a multiple of 16 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--cache-dir", description = "Folder for DJL's extracted native libraries (default: $MDEAS_CACHE_DIR/djl or ~/.cache/mdeas/djl).")
    Path cacheDir;

    @Override
    public Integer call() {
        MdeasNet.checkSize(size, size);
        TorchRuntime.start(cacheDir, 0);
        PrintStream out = System.out;
        try (NDManager m = NDManager.newBaseManager()) {
            MdeasNet net = MdeasNet.initialized(m, size);
            String fmt = "%-28s %-22s %12s%n";
            out.printf(Locale.ROOT, fmt, "Layer", "Output shape", "Params");
            out.println("-".repeat(64));
            Shape in = new Shape(1, 3, size, size);
            out.printf(Locale.ROOT, fmt, "bg (input)", in, "0");
            out.printf(Locale.ROOT, fmt, "fg_bg (input)", in, "0");
            net.forwardTraced(new ParameterStore(m, false),
                    new NDList(m.zeros(in), m.zeros(in)), false,
                    (name, block, shape) -> out.printf(Locale.ROOT, fmt, name, shape,
                            String.format(Locale.ROOT, "%,d", block == null ? 0 : MdeasNet.countTrainable(block))));
            out.println("-".repeat(64));
            out.printf(Locale.ROOT, "Total params: %,d%n", net.trainableParameterCount());
        }
        return 0;
    }
}
