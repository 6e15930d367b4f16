package io.mdeas.model.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A checkpoint directory: {@code params.bin} (every network parameter incl. BN running statistics, by DJL
 * parameter id, {@link TensorFile} format), {@code optimizer.bin} (Adam moments; absent in weight-only
 * checkpoints), {@code checkpoint.json} ({@link CheckpointMetadata}). Written to a sibling temp folder and
 * renamed into place, so a crash never leaves a half checkpoint.
 */
public final class Checkpoint {

    public static final String PARAMS = "params.bin";
    public static final String OPTIMIZER = "optimizer.bin";
    public static final String METADATA = "checkpoint.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Checkpoint() {}

    /** Saves network, optimiser (may be null) and metadata into {@code dir}, replacing what was there. */
    public static void save(Path dir, Block net, Adam adam, CheckpointMetadata meta) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(dir.getFileName() + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        TensorFile.write(tmp.resolve(PARAMS), parameters(net));
        if (adam != null) {
            TensorFile.write(tmp.resolve(OPTIMIZER), adam.state());
        }
        JSON.writeValue(tmp.resolve(METADATA).toFile(), meta);
        Path old = parent.resolve(dir.getFileName() + ".old");
        deleteTree(old);
        if (Files.exists(dir)) {
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    /** All parameters of {@code net} by id, in DJL's deterministic order. */
    static Map<String, TensorFile.Tensor> parameters(Block net) {
        Map<String, TensorFile.Tensor> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            out.put(p.getKey(), TensorFile.Tensor.of(p.getValue().getArray()));
        }
        return out;
    }

    /** Reads the metadata of a checkpoint directory, with a clear error when it is not one. */
    public static CheckpointMetadata readMetadata(Path dir) throws IOException {
        Path file = dir.resolve(METADATA);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "not a training checkpoint (no " + METADATA + "); give a run's latest/, best-depth/ or best-mask/");
        }
        return JSON.readValue(file.toFile(), CheckpointMetadata.class);
    }

    /** Loads the parameters of a checkpoint into an initialised network of the same architecture. */
    public static void loadParameters(Path dir, Block net) throws IOException {
        loadParameters(TensorFile.read(dir.resolve(PARAMS)), net, dir.toString());
    }

    /** Copies {@code saved} (parameters by id, read from {@code source}) into {@code net}, which must hold them all. */
    static void loadParameters(Map<String, TensorFile.Tensor> saved, Block net, String source) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            TensorFile.Tensor t = saved.get(p.getKey());
            if (t == null) {
                throw new IllegalArgumentException(source + ": parameter " + p.getKey() + " missing; the checkpoint "
                        + "is from another architecture");
            }
            t.copyInto(p.getValue().getArray(), p.getKey());
        }
    }

    /** Loads the optimiser state of a checkpoint. */
    public static void loadOptimizer(Path dir, Adam adam, long step) throws IOException {
        Path file = dir.resolve(OPTIMIZER);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint has no optimiser state; use --init-from");
        }
        adam.restore(TensorFile.read(file), step);
    }

    /**
     * A run folder or checkpoint folder given to {@code --resume}: a folder with {@code checkpoint.json} is
     * taken as is, otherwise its {@code latest/}.
     */
    public static Path resolve(Path runOrCheckpoint) {
        if (Files.isRegularFile(runOrCheckpoint.resolve(METADATA))) {
            return runOrCheckpoint;
        }
        return runOrCheckpoint.resolve("latest");
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
