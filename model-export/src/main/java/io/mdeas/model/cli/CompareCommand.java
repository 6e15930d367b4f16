package io.mdeas.model.cli;

import io.mdeas.model.eval.BootstrapInterval;
import io.mdeas.model.eval.Metric;
import io.mdeas.model.eval.PerSampleCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code compare}: two models' per-sample metrics ({@code evaluate --per-sample}) on the same samples, paired. The
 * images of a validation set differ far more from each other than two checkpoints do, so comparing means with their
 * own intervals hides real differences; the paired difference does not.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two evaluations of the same samples (CSV files from evaluate --per-sample), paired:",
            "for each metric the candidate minus the base over the samples where both qualify, its 95 %% paired "
                + "bootstrap interval (" + BootstrapInterval.RESAMPLES + " resamples, fixed seed), and whether the "
                + "candidate is better, worse, or within noise."})
public final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASE.csv", description = "Per-sample metrics of the model to beat.")
    Path base;

    @Parameters(index = "1", paramLabel = "CANDIDATE.csv", description = "Per-sample metrics of the candidate.")
    Path candidate;

    @Option(names = "--csv", paramLabel = "FILE.csv", description = "Also write the table as CSV, one row per "
            + "metric that qualifies (metric,base,candidate,difference,ci_lo,ci_hi,pairs,verdict), for scripts.")
    Path csv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PerSampleCsv a = PerSampleCsv.read(base);
            PerSampleCsv b = PerSampleCsv.read(candidate);
            int[] inB = pairing(a.ids(), b.ids());
            out.printf(Locale.ROOT, "%s against %s on %d samples (paired 95 %% bootstrap intervals)%n", candidate,
                    base, inB.length);
            out.printf(Locale.ROOT, "%-16s %7s %10s %10s %19s %6s  %s%n", "metric", "base", "candidate",
                    "difference", "95% CI", "pairs", "verdict");
            List<String> rows = new ArrayList<>();
            rows.add("metric,base,candidate,difference,ci_lo,ci_hi,pairs,verdict");
            int better = 0;
            int worse = 0;
            for (Metric metric : Metric.values()) {
                String key = metric.key();
                double[] va = a.metrics().column(metric);
                double[] vb = new double[va.length];
                for (int r = 0; r < va.length; r++) {
                    vb[r] = b.metrics().get(inB[r], metric);
                }
                BootstrapInterval.Paired paired = BootstrapInterval.ofDifference(va, vb, metric.statistic());
                if (paired == null) {
                    out.printf(Locale.ROOT, "%-16s %s%n", key, "fewer than 2 samples qualify in both");
                    continue;
                }
                BootstrapInterval.Interval d = paired.difference();
                // One word for the CSV; the table says "within noise".
                String verdict = "same";
                if (d.excludesZero()) {
                    boolean up = d.estimate() > 0 == metric.higherIsBetter();
                    verdict = up ? "better" : "worse";
                    if (up) {
                        better++;
                    } else {
                        worse++;
                    }
                }
                String interval = String.format(Locale.ROOT, "%+.4f..%+.4f", d.lo(), d.hi());
                out.printf(Locale.ROOT, "%-16s %7.4f %10.4f %+10.4f %19s %6d  %s%n", key, paired.base(),
                        paired.candidate(), d.estimate(), interval, d.images(),
                        verdict.equals("same") ? "within noise" : verdict);
                rows.add(String.format(Locale.ROOT, "%s,%.6f,%.6f,%.6f,%.6f,%.6f,%d,%s", key, paired.base(),
                        paired.candidate(), d.estimate(), d.lo(), d.hi(), d.images(), verdict));
            }
            if (csv != null) {
                Files.write(csv, rows, StandardCharsets.UTF_8);
            }
            out.printf(Locale.ROOT, "candidate better on %d, worse on %d, within noise on the rest%n", better, worse);
            out.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("compare: " + e.getMessage());
            return 1;
        }
    }

    /**
     * For each of {@code a}'s ids, the row of the same id in {@code b}.
     *
     * @throws IllegalArgumentException when the two hold different samples (the message says which)
     */
    static int[] pairing(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("the candidate has " + b.size() + " samples, the base " + a.size()
                    + "; evaluate both on the same --data and --limit");
        }
        Map<String, Integer> rowOf = new HashMap<>();
        for (int r = 0; r < b.size(); r++) {
            if (rowOf.put(b.get(r), r) != null) {
                throw new IllegalArgumentException("sample " + b.get(r) + " appears twice in the candidate");
            }
        }
        int[] rows = new int[a.size()];
        for (int r = 0; r < a.size(); r++) {
            Integer row = rowOf.get(a.get(r));
            if (row == null) {
                throw new IllegalArgumentException("sample " + a.get(r) + " of the base is not in the candidate; "
                        + "evaluate both on the same --data and --limit");
            }
            rows[r] = row;
        }
        return rows;
    }
}
