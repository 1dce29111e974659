package io.farget.cli.command;

import io.farget.cli.output.Json;
import io.farget.cli.view.Views;
import io.farget.proto.v1.Pod;

/** How write verbs (run, apply, kill) answer: the pod id, or the whole pod with {@code -o json}. */
final class PodPrinter {
    private PodPrinter() {}

    static void printCreated(ClientCommand command, OutputOptions output, Pod pod) {
        command.printLine(output.json() ? Json.write(Views.pod(pod)) : pod.getId());
    }
}
