package io.mdeas.model.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Line charts of a run, drawn with Java2D from the CSV log: {@code loss.png} (training loss per epoch) and
 * {@code accuracy.png} (validation mask_miou and depth_ssim per epoch).
 */
public final class TrainingCharts {

    private static final int W = 800;
    private static final int H = 480;
    private static final int PAD = 60;

    private TrainingCharts() {}

    /** Redraws both charts into {@code runDir}. */
    public static void render(List<Map<String, Double>> rows, Path runDir) throws IOException {
        draw(rows, new String[] {"loss"}, new Color[] {new Color(200, 60, 40)}, "Training loss",
                runDir.resolve("loss.png"));
        draw(rows, new String[] {"val_mask_miou", "val_depth_ssim"},
                new Color[] {new Color(40, 110, 200), new Color(40, 160, 80)}, "Validation accuracy",
                runDir.resolve("accuracy.png"));
    }

    private static void draw(List<Map<String, Double>> rows, String[] cols, Color[] colors, String title, Path out)
            throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            double xMin = Double.POSITIVE_INFINITY;
            double xMax = Double.NEGATIVE_INFINITY;
            double yMin = Double.POSITIVE_INFINITY;
            double yMax = Double.NEGATIVE_INFINITY;
            for (Map<String, Double> r : rows) {
                double x = r.getOrDefault("epoch", Double.NaN);
                for (String c : cols) {
                    double y = r.getOrDefault(c, Double.NaN);
                    if (Double.isFinite(x) && Double.isFinite(y)) {
                        xMin = Math.min(xMin, x);
                        xMax = Math.max(xMax, x);
                        yMin = Math.min(yMin, y);
                        yMax = Math.max(yMax, y);
                    }
                }
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, PAD, 30);
            g.drawRect(PAD, PAD, W - 2 * PAD, H - 2 * PAD);
            if (!Double.isFinite(xMin)) {
                g.drawString("no data yet", W / 2 - 40, H / 2);
                ImageIO.write(img, "png", out.toFile());
                return;
            }
            if (xMax == xMin) {
                xMax = xMin + 1;
            }
            if (yMax == yMin) {
                yMax = yMin + Math.max(1e-6, Math.abs(yMin) * 0.1);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i <= 4; i++) {
                double y = yMin + (yMax - yMin) * i / 4;
                int py = py(y, yMin, yMax);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(PAD, py, W - PAD, py);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.4g", y), 4, py + 4);
                double x = xMin + (xMax - xMin) * i / 4;
                g.drawString(String.format(Locale.ROOT, "%.0f", x), px(x, xMin, xMax) - 8, H - PAD + 18);
            }
            g.drawString("epoch", W / 2 - 15, H - 15);
            g.setStroke(new BasicStroke(2f));
            for (int c = 0; c < cols.length; c++) {
                Path2D.Double line = new Path2D.Double();
                boolean started = false;
                for (Map<String, Double> r : rows) {
                    double x = r.getOrDefault("epoch", Double.NaN);
                    double y = r.getOrDefault(cols[c], Double.NaN);
                    if (!Double.isFinite(x) || !Double.isFinite(y)) {
                        continue;
                    }
                    if (started) {
                        line.lineTo(px(x, xMin, xMax), py(y, yMin, yMax));
                    } else {
                        line.moveTo(px(x, xMin, xMax), py(y, yMin, yMax));
                        started = true;
                    }
                }
                g.setColor(colors[c]);
                g.draw(line);
                g.drawString(cols[c], W - PAD - 130, PAD + 18 + 16 * c);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", out.toFile());
    }

    private static int px(double x, double min, double max) {
        return (int) Math.round(PAD + (x - min) / (max - min) * (W - 2 * PAD));
    }

    private static int py(double y, double min, double max) {
        return (int) Math.round(H - PAD - (y - min) / (max - min) * (H - 2 * PAD));
    }
}
