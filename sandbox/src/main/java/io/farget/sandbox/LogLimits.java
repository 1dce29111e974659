package io.farget.sandbox;

/**
 * How much output of one container the agent keeps: its live file is rotated once it passes
 * {@code maxBytes}, and at most {@code maxFiles} rotated files are kept beside it.
 */
public record LogLimits(long maxBytes, int maxFiles) {
    public static final LogLimits DEFAULT = new LogLimits(10L << 20, 3);

    public LogLimits {
        if (maxBytes <= 0 || maxFiles < 0) {
            throw new IllegalArgumentException("log limits need maxBytes > 0 and maxFiles >= 0, got " + maxBytes + ", " + maxFiles);
        }
    }
}
