package io.farget.cli.spec;

/** A spec file the CLI cannot turn into a pod spec; the message starts with the field's path. */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem);
    }
}
