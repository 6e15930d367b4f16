package io.mdeas.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

    @TempDir
    Path tmp;

    private static TrainCommand parse(String... args) {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    /** A run folder whose latest/ checkpoint.json holds {@code json}. */
    private Path run(String json) throws IOException {
        Path run = tmp.resolve("run");
        Files.createDirectories(run.resolve("latest"));
        Files.writeString(run.resolve("latest").resolve("checkpoint.json"), json);
        return run;
    }

    @Test
    void aResumedRunKeepsTheEpochLimitItWasStartedWith() throws Exception {
        String run = run("{\"step\": 176, \"runEpochs\": 12.0}").toString();
        assertEquals(12.0, parse("--resume", run, "--out", run).epochLimit());
        assertEquals(20.0, parse("--resume", run, "--out", run, "--epochs", "20").epochLimit(), "unless told");
        assertEquals(0.0, parse("--resume", run, "--out", run, "--epochs", "0").epochLimit(), "0 is no limit");
    }

    @Test
    void aNewRunOrOneSavedBeforeTheLimitWasRecordedGetsTheDefault() throws Exception {
        String old = run("{\"step\": 176}").toString();
        assertEquals(TrainCommand.DEFAULT_EPOCHS, parse("--resume", old, "--out", old).epochLimit());
        assertEquals(TrainCommand.DEFAULT_EPOCHS, parse("--data", tmp.toString(), "--out", old).epochLimit());
    }
}
