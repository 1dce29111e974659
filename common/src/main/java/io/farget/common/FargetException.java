package io.farget.common;

/**
 * The one domain error type. Code decides how callers react; the message is for humans and, for
 * {@link ErrorCode#INVALID_ARGUMENT}, starts with the name of the offending field.
 */
public class FargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public FargetException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public FargetException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static FargetException invalid(String field, String problem) {
        return new FargetException(ErrorCode.INVALID_ARGUMENT, field + ": " + problem);
    }

    public static FargetException notFound(String what) {
        return new FargetException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static FargetException unavailable(String why) {
        return new FargetException(ErrorCode.UNAVAILABLE, why);
    }
}
