package io.farget.common;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the human forms of CPU and memory sizes: {@code 0.25}, {@code 250m}, {@code 64Mi}, {@code 1G}. */
public final class Quantities {
    private static final Pattern SIZE = Pattern.compile("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([KMGTP]i?|[kmgtp]i?)?[Bb]?\\s*$");
    private static final Pattern CPU = Pattern.compile("^\\s*([0-9]+(?:\\.[0-9]+)?)(m)?\\s*$");

    private Quantities() {}

    /**
     * Memory size in bytes. Binary suffixes (Ki, Mi, Gi, Ti) are powers of 1024, decimal ones (K, M, G, T)
     * powers of 1000, as in Kubernetes; a bare number is bytes.
     *
     * @throws IllegalArgumentException with a readable reason
     */
    public static long parseBytes(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a size is required, e.g. 64Mi");
        }
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (use e.g. 64Mi, 1Gi, 512M or plain bytes)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        long multiplier = switch (unit.toUpperCase(Locale.ROOT)) {
            case "" -> 1L;
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            case "P" -> 1_000_000_000_000_000L;
            case "KI" -> 1L << 10;
            case "MI" -> 1L << 20;
            case "GI" -> 1L << 30;
            case "TI" -> 1L << 40;
            case "PI" -> 1L << 50;
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
        };
        try {
            return number.multiply(BigDecimal.valueOf(multiplier)).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** CPU in millicores from cores ({@code 0.25}, {@code 2}) or millicores ({@code 250m}). */
    public static long parseCpuMillis(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a CPU amount is required, e.g. 0.5");
        }
        Matcher m = CPU.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a CPU amount (use cores like 0.25 or millicores like 250m)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        BigDecimal millis = m.group(2) != null ? number : number.multiply(BigDecimal.valueOf(1000));
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is finer than one millicore");
        }
        try {
            return millis.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** Cores as a plain decimal: 250 -> "0.25", 2000 -> "2". */
    public static String formatCores(long cpuMillis) {
        return BigDecimal.valueOf(cpuMillis, 3).stripTrailingZeros().toPlainString();
    }

    /** Cores as a number for JSON output. */
    public static BigDecimal cores(long cpuMillis) {
        BigDecimal d = BigDecimal.valueOf(cpuMillis, 3).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    /** A short binary size for tables: 67108864 -> "64Mi". */
    public static String formatBytes(long bytes) {
        String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return Long.toString(bytes);
        }
        return (value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value)) + units[unit];
    }
}
