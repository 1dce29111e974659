package io.farget.sandbox.image;

/** An image could not be pulled, unpacked or used; the message is fit for users. */
public class ImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
