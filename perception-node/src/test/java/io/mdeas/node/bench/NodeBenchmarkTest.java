package io.mdeas.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodeBenchmarkTest {

    /**
     * The stage medians must still describe a run that ended minutes before they are read, and be the medians
     * whatever order the timer publishes its percentiles in.
     */
    @Test
    void stageMediansOutliveMicrometersDefaultTwoMinuteWindow() {
        MockClock clock = new MockClock();
        MeterRegistry registry = NodeBenchmark.wholeRunRegistry(clock);
        Timer inference = Timer.builder("mdeas.inference.duration").publishPercentiles(0.99, 0.5).register(registry);
        for (int i = 0; i < 100; i++) {
            inference.record(Duration.ofMillis(i < 90 ? 40 : 400));
            clock.add(50, TimeUnit.MILLISECONDS);
        }
        clock.add(Duration.ofMinutes(5)); // the paced run, model reloads, the classical baselines

        Map<String, Double> stages = NodeBenchmark.stageMedians(registry);

        assertEquals(40.0, stages.get("inference"), 1.0, stages.toString());
        assertFalse(stages.containsKey("analysis"), "a stage never timed is left out, not reported as 0: " + stages);
    }
}
