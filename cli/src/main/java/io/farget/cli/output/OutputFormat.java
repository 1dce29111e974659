package io.farget.cli.output;

/** How a command prints its result: an aligned table for people, or JSON for programs. */
public enum OutputFormat {
    TABLE,
    JSON
}
