package io.mdeas.model.eval;

import java.util.Arrays;

/**
 * The {@link Metric}s of every image, in the order the images were added; {@code NaN} where an
 * image did not qualify for a metric (no valid depth, no predicted foreground for the nearest obstacle). Kept so an
 * evaluation can say how sure its means are ({@link BootstrapInterval}) and two models can be compared image by
 * image on the same samples ({@code compare}), which is far more sensitive than comparing their means.
 */
public final class PerSampleMetrics {

    /** Columns: one per {@link Metric}, in its order. */
    public static final int COLUMNS = Metric.values().length;

    private double[] values;
    private int rows;

    /** An empty table. */
    public PerSampleMetrics() {
        values = new double[16 * COLUMNS];
    }

    /** A table of the given rows, each {@link #COLUMNS} long. */
    public static PerSampleMetrics of(double[]... rows) {
        PerSampleMetrics t = new PerSampleMetrics();
        for (double[] r : rows) {
            if (r.length != COLUMNS) {
                throw new IllegalArgumentException("a row holds " + COLUMNS + " metrics, got " + r.length);
            }
            int at = t.addRow();
            System.arraycopy(r, 0, t.values, at * COLUMNS, COLUMNS);
        }
        return t;
    }

    /** An independent copy of this table. */
    public PerSampleMetrics copy() {
        PerSampleMetrics t = new PerSampleMetrics();
        t.values = Arrays.copyOf(values, Math.max(values.length, COLUMNS));
        t.rows = rows;
        return t;
    }

    /** Appends a row of {@code NaN}s and returns its index. */
    int addRow() {
        if ((rows + 1) * COLUMNS > values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        Arrays.fill(values, rows * COLUMNS, (rows + 1) * COLUMNS, Double.NaN);
        return rows++;
    }

    void set(int row, Metric metric, double value) {
        values[row * COLUMNS + metric.ordinal()] = value;
    }

    /** Number of images. */
    public int rows() {
        return rows;
    }

    /** The value of {@code metric} for image {@code row}; {@code NaN} where it did not qualify. */
    public double get(int row, Metric metric) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        return values[row * COLUMNS + metric.ordinal()];
    }

    /** One metric over all images (a copy). */
    public double[] column(Metric metric) {
        double[] c = new double[rows];
        for (int r = 0; r < rows; r++) {
            c[r] = get(r, metric);
        }
        return c;
    }
}
