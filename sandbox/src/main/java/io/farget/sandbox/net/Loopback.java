package io.farget.sandbox.net;

import io.farget.sandbox.linux.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Brings {@code lo} up in the calling thread's network namespace, as {@code ip link set lo up} does
 * (two ioctls on a socket of that namespace). runc does it only for a namespace it makes itself; one
 * made beforehand and joined by path starts with its loopback down.
 */
final class Loopback {
    /** {@code struct ifreq}: a 16-byte interface name, then a 24-byte union whose first member is the short flags. */
    private static final int IFREQ_SIZE = 40;
    private static final int FLAGS_OFFSET = 16;
    private static final short IFF_UP = 0x1;

    private Loopback() {}

    static void up(LibC libc) {
        int fd = libc.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        try {
            byte[] ifreq = new byte[IFREQ_SIZE];
            byte[] name = "lo".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, ifreq, 0, name.length);
            libc.ioctl(fd, LibC.SIOCGIFFLAGS, ifreq);
            ByteBuffer flags = ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder());
            flags.putShort(FLAGS_OFFSET, (short) (flags.getShort(FLAGS_OFFSET) | IFF_UP));
            libc.ioctl(fd, LibC.SIOCSIFFLAGS, ifreq);
        } finally {
            libc.close(fd);
        }
    }
}
