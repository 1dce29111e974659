package io.farget.cli.command;

import io.farget.common.Arches;
import io.farget.common.PodPhases;
import io.farget.common.Quantities;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.RestartPolicy;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option parsers, so that a bad value is a usage error (exit 2) naming the option. */
final class Converters {
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
}
