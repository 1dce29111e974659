package io.farget.bench.placement;

/** Mean and sample standard deviation. */
public record Stats(double mean, double sd) {
    public static Stats of(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Stats(round(mean), round(values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
