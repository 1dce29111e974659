package io.farget.cli.command;

import io.farget.cli.output.Json;
import io.farget.cli.view.Views;
import io.farget.proto.v1.Pod;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How write verbs (run, apply, kill) answer: the pod id, or the whole pod with {@code -o json}; for
 * several pods, one id per line, or a JSON array of them.
 */
final class PodPrinter {
    private PodPrinter() {}

    static void printCreated(ClientCommand command, OutputOptions output, Pod pod) {
        command.printLine(output.json() ? Json.write(Views.pod(pod)) : pod.getId());
    }

    static void printAllCreated(ClientCommand command, OutputOptions output, List<Pod> pods) {
        if (output.json()) {
            command.printLine(Json.write(Views.pods(pods)));
        } else {
            command.print(pods.stream().map(pod -> pod.getId() + "\n").collect(Collectors.joining()));
        }
    }
}
