package io.farget.cli;

/** A failure to report to the user as one line on stderr, with exit status 1. Never shown with a stack trace. */
public final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliFailure(String message) {
        super(message);
    }

    public CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
