package io.mdeas.model.train;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A training session for tests, its progress lines discarded. */
final class TinyRun {

    private TinyRun() {
    }

    /** A run of {@code cfg} into {@code out}, not yet started, printing nowhere. */
    static TrainingRun of(TrainConfig cfg, Path out, TrainingRun.Limits limits, Path resume, Path initFrom) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new TrainingRun(cfg, out, limits, resume, initFrom, quiet, false);
    }

    /** {@code steps} steps of a new run of {@code cfg} into {@code out}. */
    static TrainingRun.Result train(TrainConfig cfg, Path out, long steps) throws Exception {
        return of(cfg, out, new TrainingRun.Limits(0, steps, 0, 0), null, null).run();
    }
}
