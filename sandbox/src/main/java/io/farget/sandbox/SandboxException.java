package io.farget.sandbox;

/** A sandbox could not be created or started; the message is fit for users (it ends up in a pod's reason). */
public class SandboxException extends Exception {
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
