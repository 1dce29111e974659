package io.farget.cli.command;

import io.farget.cli.output.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o json} for programs; tables otherwise. */
public final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "Output format: table (default) or json. With json, stdout holds only JSON.")
    OutputFormat format = OutputFormat.TABLE;

    boolean json() {
        return format == OutputFormat.JSON;
    }
}
