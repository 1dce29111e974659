package io.farget.cli;

import io.farget.common.FargetException;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * How failures reach the user: a failed command prints one {@code error: ...} line (exit 1); a
 * command line picocli cannot parse prints the problem and a hint where help is (exit 2).
 */
final class ErrorReporting {
    private static final Logger log = LoggerFactory.getLogger(ErrorReporting.class);

    private ErrorReporting() {}

    static int onExecutionFailure(Exception failure, CommandLine commandLine, CommandLine.ParseResult parsed) {
        log.debug("command failed", failure);
        commandLine.getErr().println("error: " + oneLine(failure));
        return ExitCodes.FAILURE;
    }

    static int onBadUsage(CommandLine.ParameterException problem, String[] args) {
        CommandLine commandLine = problem.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("error: " + singleLine(problem.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(problem, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }

    /** The message a user should see for a failure, on a single line. */
    static String oneLine(Throwable failure) {
        String message;
        if (failure instanceof CliFailure || failure instanceof FargetException) {
            message = failure.getMessage();
        } else if (failure instanceof StatusRuntimeException sre) {
            String description = sre.getStatus().getDescription();
            message = description == null ? sre.getStatus().getCode().name() : description;
        } else {
            // Unexpected: still one line, but keep the type so a bug report means something.
            message = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        }
        return singleLine(message);
    }

    private static String singleLine(String text) {
        return text == null ? "unknown error" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
