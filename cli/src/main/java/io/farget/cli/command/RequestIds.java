package io.farget.cli.command;

import java.util.UUID;

/**
 * Client request ids. Each write command takes one before its first attempt and sends the same
 * one on every retry, so the scheduler can recognise a retried write and apply it only once.
 */
final class RequestIds {
    private RequestIds() {}

    static String next() {
        return UUID.randomUUID().toString();
    }
}
