package io.farget.cli.command;

import io.farget.common.Arches;
import io.farget.common.PodBatches;
import io.farget.common.PodPhases;
import io.farget.common.Quantities;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.RestartPolicy;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option parsers, so that a bad value is a usage error (exit 2) naming the option. */
public final class Converters {
    private Converters() {}

    static final class Cpu implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Quantities.parseCpuMillis(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Quantities.parseBytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Architecture implements ITypeConverter<Arch> {
        @Override
        public Arch convert(String value) {
            try {
                return Arches.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Restart implements ITypeConverter<RestartPolicy> {
        @Override
        public RestartPolicy convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "never" -> RestartPolicy.RESTART_POLICY_NEVER;
                case "on-failure" -> RestartPolicy.RESTART_POLICY_ON_FAILURE;
                case "always" -> RestartPolicy.RESTART_POLICY_ALWAYS;
                default -> throw new TypeConversionException("'" + value + "' is not never, on-failure or always");
            };
        }
    }

    /** How many pods one command creates: 1 to what one CreatePods call takes. */
    static final class PodCount implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int count = Integer.parseInt(value.trim());
                if (count >= 1 && count <= PodBatches.MAX_PODS) {
                    return count;
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new TypeConversionException("'" + value + "' is not a pod count from 1 to " + PodBatches.MAX_PODS);
        }
    }

    static final class Phase implements ITypeConverter<PodPhase> {
        @Override
        public PodPhase convert(String value) {
            try {
                PodPhase phase = PodPhases.parse(value);
                if (phase != PodPhase.POD_PHASE_UNSPECIFIED) {
                    return phase;
                }
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
            throw new TypeConversionException("'" + value
                    + "' is not a phase (PENDING, SCHEDULED, RUNNING, SUCCEEDED, FAILED, KILLED, LOST)");
        }
    }

    /** A length of time: 30s, 5m, 2h, 1d, or ISO 8601 (PT90S). */
    public static final class Span implements ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            String v = value.trim();
            try {
                if (v.matches("\\d+(ms|[smhd])")) {
                    String unit = v.endsWith("ms") ? "ms" : v.substring(v.length() - 1);
                    long amount = Long.parseLong(v.substring(0, v.length() - unit.length()));
                    return switch (unit) {
                        case "ms" -> java.time.Duration.ofMillis(amount);
                        case "s" -> java.time.Duration.ofSeconds(amount);
                        case "m" -> java.time.Duration.ofMinutes(amount);
                        case "h" -> java.time.Duration.ofHours(amount);
                        default -> java.time.Duration.ofDays(amount);
                    };
                }
                return java.time.Duration.parse(v);
            } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a length of time: use 30s, 5m, 2h or 1d");
            }
        }
    }

    /** A point in time: RFC 3339, a UTC date, or an age before now (90m, 24h, 7d). */
    static final class Time implements ITypeConverter<java.time.Instant> {
        @Override
        public java.time.Instant convert(String value) {
            return parseTime(value, java.time.Instant.now());
        }
    }

    static java.time.Instant parseTime(String value, java.time.Instant now) {
        String v = value.trim();
        try {
            if (v.matches("\\d+[smhd]")) {
                long amount = Long.parseLong(v.substring(0, v.length() - 1));
                java.time.temporal.ChronoUnit unit = switch (v.charAt(v.length() - 1)) {
                    case 's' -> java.time.temporal.ChronoUnit.SECONDS;
                    case 'm' -> java.time.temporal.ChronoUnit.MINUTES;
                    case 'h' -> java.time.temporal.ChronoUnit.HOURS;
                    default -> java.time.temporal.ChronoUnit.DAYS;
                };
                return now.minus(amount, unit);
            }
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            }
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a time: use RFC 3339 (2026-11-28T10:00:00Z), a date or an age (90m, 24h, 7d)");
        }
    }
}
