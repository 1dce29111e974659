package io.farget.sandbox.net;

import java.util.Locale;

/** A container port published on the host: {@code hostPort} forwards to the pod's {@code containerPort}. */
public record HostPort(int hostPort, int containerPort, String protocol) {
    public HostPort {
        if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("ports must be 1-65535, got " + hostPort + " -> " + containerPort);
        }
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol must be tcp or udp, got '" + protocol + "'");
        }
    }
}
