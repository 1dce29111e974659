package io.farget.cli.client;

import java.util.ArrayList;
import java.util.List;

/** A scheduler's HOST:PORT; IPv6 hosts are written in brackets, {@code [::1]:7070}. */
public record ServerAddress(String host, int port) {
    public static final String DEFAULT = "127.0.0.1:7070";

    public ServerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /** Parses one HOST:PORT. */
    public static ServerAddress parse(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (write IPv6 hosts as [::1]:7070)");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric port");
        }
        try {
            return new ServerAddress(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }

    /** Parses a comma-separated list, {@code HOST:PORT[,HOST:PORT...]}. */
    public static List<ServerAddress> parseList(String text) {
        List<ServerAddress> addresses = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                addresses.add(parse(part));
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no server address given (HOST:PORT[,HOST:PORT...])");
        }
        return List.copyOf(addresses);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
