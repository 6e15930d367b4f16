package io.mdeas.model.onnx;

import ai.djl.ndarray.NDManager;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.train.Checkpoint;
import io.mdeas.model.train.CheckpointMetadata;
import io.mdeas.model.train.DepthEncoding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A training checkpoint opened as a DJL {@link MdeasNet} with its metadata and the hash of its weights. Owns the
 * NDManager that holds the parameters. The PyTorch engine must be started first ({@code TorchRuntime.start}).
 */
public final class LoadedCheckpoint implements AutoCloseable {

    private final Path dir;
    private final NDManager manager;
    private final MdeasNet net;
    private final CheckpointMetadata metadata;
    private final String paramsSha256;

    private LoadedCheckpoint(Path dir, NDManager manager, MdeasNet net, CheckpointMetadata metadata, String sha) {
        this.dir = dir;
        this.manager = manager;
        this.net = net;
        this.metadata = metadata;
        this.paramsSha256 = sha;
    }

    /**
     * Opens a checkpoint directory ({@code latest/}, {@code best-depth/}, ... of a run).
     *
     * @throws IOException              when it is not a readable checkpoint
     * @throws IllegalArgumentException when it is of another architecture
     */
    public static LoadedCheckpoint open(Path dir) throws IOException {
        CheckpointMetadata meta = Checkpoint.readMetadata(dir);
        if (!MdeasNet.ARCHITECTURE.equals(meta.architecture())) {
            throw new IllegalArgumentException(dir + ": checkpoint architecture '" + meta.architecture()
                    + "' is not " + MdeasNet.ARCHITECTURE + "; export it with the model-export version that trained it");
        }
        DepthEncoding.fromId(meta.depthEncoding());
        Path params = dir.resolve(Checkpoint.PARAMS);
        if (!Files.isRegularFile(params)) {
            throw new NoSuchFileException(params.toString(), null, "checkpoint has no weights");
        }
        String sha = sha256(params);
        NDManager manager = NDManager.newBaseManager();
        try {
            MdeasNet net = MdeasNet.initialized(manager, meta.inputSize());
            Checkpoint.loadParameters(dir, net);
            return new LoadedCheckpoint(dir, manager, net, meta, sha);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public NDManager manager() {
        return manager;
    }

    public MdeasNet net() {
        return net;
    }

    public CheckpointMetadata metadata() {
        return metadata;
    }

    /** SHA-256 of {@code params.bin}, hex: identifies the weights the export came from. */
    public String paramsSha256() {
        return paramsSha256;
    }

    public DepthEncoding depthEncoding() {
        return DepthEncoding.fromId(metadata.depthEncoding());
    }

    public float maxDepthM() {
        return (float) metadata.maxDepthM();
    }

    @Override
    public void close() {
        manager.close();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
