package io.farget.placement.model;

/**
 * GPUs a pod asks for: {@code count} devices with {@code milliEach} thousandths of each. A share
 * below 1000 is a fractional GPU and always means one device: a share must fit on a single GPU.
 */
public record GpuRequest(int count, int milliEach) {
    public static final GpuRequest NONE = new GpuRequest(0, 0);
    public static final int WHOLE = 1000;

    public GpuRequest {
        if (count < 0 || milliEach < 0 || milliEach > WHOLE) {
            throw new IllegalArgumentException("bad GPU request: " + count + " x " + milliEach + " milli");
        }
        if (count == 0 || milliEach == 0) {
            count = 0;
            milliEach = 0;
        }
        if (milliEach < WHOLE && count > 1) {
            throw new IllegalArgumentException("a fractional GPU share is for one device, not " + count);
        }
    }

    public static GpuRequest whole(int count) {
        return new GpuRequest(count, WHOLE);
    }

    public static GpuRequest share(int milli) {
        return new GpuRequest(1, milli);
    }

    public boolean none() {
        return count == 0;
    }

    public boolean fractional() {
        return count == 1 && milliEach < WHOLE;
    }

    public long totalMilli() {
        return (long) count * milliEach;
    }
}
