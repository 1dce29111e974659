package io.farget.sandbox;

/** A terminal's size in character cells; zero rows or columns mean "unknown" (the kernel's default). */
public record WindowSize(int rows, int cols) {
    public static final WindowSize UNKNOWN = new WindowSize(0, 0);

    public WindowSize {
        if (rows < 0 || cols < 0 || rows > 0xFFFF || cols > 0xFFFF) {
            throw new IllegalArgumentException("window size out of range: " + rows + "x" + cols);
        }
    }

    public boolean known() {
        return rows > 0 && cols > 0;
    }
}
