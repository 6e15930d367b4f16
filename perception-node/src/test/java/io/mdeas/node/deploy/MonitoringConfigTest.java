package io.mdeas.node.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard queries series under the names Micrometer's Prometheus registry gives the node's meters
 * (NODE.md metric contract), and the Prometheus config scrapes the port the robot profile serves /metrics on.
 */
class MonitoringConfigTest {
    private static final Pattern METRIC = Pattern.compile("\\bmdeas_[a-z0-9_]+");

    /** The node's meters as the metric contract declares them, plus the nearest-obstacle gauge the dashboard shows. */
    static PrometheusMeterRegistry contractMeters() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (String c : List.of("mdeas.frames.captured", "mdeas.frames.processed")) {
            Counter.builder(c).register(r).increment();
        }
        Counter.builder("mdeas.frames.dropped").tag("reason", "stale").register(r).increment();
        for (String t : List.of("mdeas.preprocess.duration", "mdeas.inference.duration", "mdeas.analysis.duration",
                "mdeas.frame.latency")) {
            Timer.builder(t).publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(r)
                    .record(Duration.ofMillis(20));
        }
        Gauge.builder("mdeas.background.age", () -> 1).baseUnit("seconds").register(r);
        Gauge.builder("mdeas.obstacle.nearest", () -> 1.5).baseUnit("meters").register(r);
        for (String g : List.of("mdeas.mqtt.connected", "mdeas.fps.in", "mdeas.fps.processed")) {
            Gauge.builder(g, () -> 1).register(r);
        }
        Gauge.builder("mdeas.model.info", () -> 1).tag("provider", "cpu").tag("version", "1").register(r);
        return r;
    }

    /** Every mdeas_* series name a dashboard query uses. */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(RepoFiles.root().resolve("deploy/grafana/mdeas-perception.json").toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    /** Series names in a Prometheus text exposition. */
    static Set<String> exposed(String scrape) {
        Set<String> names = new HashSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    @Test
    void everyDashboardQueryNamesASeriesTheNodeExposes() throws Exception {
        Set<String> used = dashboardMetrics();
        for (String wanted : List.of("mdeas_fps_processed", "mdeas_frame_latency_seconds_bucket",
                "mdeas_frames_dropped_total", "mdeas_obstacle_nearest_meters")) {
            assertTrue(used.contains(wanted), "the dashboard shows no " + wanted + ": " + used);
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exposed(contractMeters().scrape()));
        assertEquals(Set.of(), missing, "dashboard series that Micrometer does not expose under that name");
    }

    @Test
    void dashboardPanelsAreWellFormed() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(RepoFiles.root().resolve("deploy/grafana/mdeas-perception.json").toFile());
        assertEquals("mdeas-perception", dashboard.get("uid").asText());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(ids.add(panel.get("id").asInt()), "duplicate panel id " + panel.get("id"));
            assertTrue(panel.get("gridPos").has("w") && panel.get("gridPos").has("h"), panel.get("title").asText());
            assertFalse(panel.get("targets").isEmpty(), panel.get("title").asText() + " has no query");
        }
    }

    @Test
    void prometheusScrapesThePortTheRobotProfileServes() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode prometheus = yaml.readTree(RepoFiles.root().resolve("deploy/prometheus/prometheus.yml").toFile());
        JsonNode job = prometheus.get("scrape_configs").get(0);
        assertEquals("/metrics", job.get("metrics_path").asText());
        String target = job.get("static_configs").get(0).get("targets").get(0).asText();
        JsonNode profile = yaml.readTree(RepoFiles.root().resolve("deploy/profiles/robot-jetson.yaml").toFile());
        assertEquals(profile.get("http").get("listen").asText(), target);
        assertTrue(target.endsWith(":9464"), target);
    }
}
