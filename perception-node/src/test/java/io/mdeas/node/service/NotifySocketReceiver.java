package io.mdeas.node.service;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The receiving end of {@code $NOTIFY_SOCKET} for tests: a real unix datagram socket bound in the test,
 * playing the part of PID 1.
 */
public final class NotifySocketReceiver implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int addrLen) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

        long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final LibC LIBC = Native.load("c", LibC.class);

    private final String name;
    private final int fd;

    /** Binds {@code name}: a filesystem path, or {@code @name} in the abstract namespace, as systemd writes it. */
    public NotifySocketReceiver(String name, Duration receiveTimeout) {
        this.name = name;
        this.fd = LIBC.socket(AF_UNIX, SOCK_DGRAM, 0);
        byte[] addr = SystemdNotifier.sockaddrUn(name);
        LIBC.bind(fd, addr, addr.length);
        ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        tv.putLong(receiveTimeout.toSeconds()).putLong(receiveTimeout.toMillisPart() * 1000L);
        LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String name() {
        return name;
    }

    /** The next datagram, or empty when none arrives within the receive timeout. */
    public Optional<String> receive() {
        byte[] buf = new byte[4096];
        try {
            long n = LIBC.recv(fd, buf, buf.length, 0);
            return Optional.of(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        LIBC.close(fd);
        if (!name.startsWith("@")) {
            Files.deleteIfExists(Path.of(name));
        }
    }
}
