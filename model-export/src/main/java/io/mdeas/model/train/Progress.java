package io.mdeas.model.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Step progress: an in-place bar (images/s, loss, ETA) when stdout is a terminal, otherwise one plain line
 * every {@code lineSeconds}.
 */
final class Progress {

    private final PrintStream out;
    private final boolean tty;
    private final double lineSeconds;
    private long lastLineNanos = System.nanoTime();
    private double emaLoss = Double.NaN;

    Progress(PrintStream out, boolean tty, double lineSeconds) {
        this.out = out;
        this.tty = tty;
        this.lineSeconds = lineSeconds;
    }

    /** Whether stdout looks like a terminal. */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    /**
     * Reports one finished step.
     *
     * @param epochFraction progress through the current epoch, 0..1
     * @param etaSeconds estimated seconds until the run stops (NaN if unknown)
     */
    void step(double epoch, double epochFraction, long step, double loss, double lr, double imagesPerSecond,
            double etaSeconds) {
        emaLoss = Double.isNaN(emaLoss) ? loss : 0.95 * emaLoss + 0.05 * loss;
        long now = System.nanoTime();
        if (tty) {
            int width = 30;
            int filled = (int) Math.round(Math.max(0, Math.min(1, epochFraction)) * width);
            out.printf(Locale.ROOT, "\repoch %d [%s%s] step %d loss %.4f lr %.2e %.1f img/s ETA %s   ",
                    (long) Math.floor(epoch), "#".repeat(filled), ".".repeat(width - filled), step, emaLoss, lr,
                    imagesPerSecond, eta(etaSeconds));
            out.flush();
        } else if ((now - lastLineNanos) / 1e9 >= lineSeconds) {
            lastLineNanos = now;
            out.printf(Locale.ROOT, "epoch %.3f step %d loss %.4f (avg %.4f) lr %.2e %.1f img/s ETA %s rss %s%n",
                    epoch, step, loss, emaLoss, lr, imagesPerSecond, eta(etaSeconds), ResourceUse.peakRss());
            out.flush();
        }
    }

    /** Prints a full line (ends the bar's line first on a terminal). */
    void line(String text) {
        if (tty) {
            out.print("\r\n");
        }
        out.println(text);
        out.flush();
    }

    private static String eta(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
    }
}
