package io.farget.sandbox.net;

/** A CNI plugin or iptables call failed; the message says which and why (the plugin's own "msg"). */
public class CniException extends Exception {
    private static final long serialVersionUID = 1L;

    public CniException(String message) {
        super(message);
    }

    public CniException(String message, Throwable cause) {
        super(message, cause);
    }
}
