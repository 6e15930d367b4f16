package io.mdeas.node.service;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Tells systemd about the node's state over the {@code sd_notify} protocol: one datagram per message,
 * sent to the unix datagram socket named by {@code $NOTIFY_SOCKET}.
 *
 * <p>Why JNA: {@code java.nio} (JEP 380) supports unix-domain <em>stream</em> sockets only;
 * {@code DatagramChannel.open(StandardProtocolFamily.UNIX)} throws "Protocol family not supported".
 * Spawning {@code systemd-notify} instead would need {@code NotifyAccess=all} and, before systemd 246,
 * races (the child exits before PID 1 reads its credentials and the message is dropped). Calling libc's
 * {@code socket}/{@code sendto} through JNA sends from the main PID itself, so the unit keeps the
 * default, tighter {@code NotifyAccess=main} and every message is attributed reliably.
 *
 * <p>Outside systemd ({@code NOTIFY_SOCKET} unset) {@link #fromEnvironment()} returns a notifier that
 * does nothing, so callers never branch. A send that fails is logged once and otherwise ignored: losing a
 * status line must never take the pipeline down (a missed {@code WATCHDOG=1} is what systemd acts on).
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(sockaddr_un.sun_path) on Linux. */
    private static final int SUN_PATH_MAX = 108;

    /** The libc calls we need; {@code long} is size_t/ssize_t on the 64-bit boards we target. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final String socketName;
    private final byte[] address;
    private final Duration watchdogInterval;
    private final Object lock = new Object();
    private LibC libc;
    private int fd = -1;
    private boolean failureLogged;

    private SystemdNotifier(String socketName, Duration watchdogInterval) {
        this.socketName = socketName;
        this.address = socketName == null ? null : sockaddrUn(socketName);
        this.watchdogInterval = watchdogInterval;
    }

    /**
     * A notifier for the current process: real when started by systemd with {@code Type=notify},
     * a no-op otherwise. Reads {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}.
     */
    public static SystemdNotifier fromEnvironment() {
        return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    }

    /** As {@link #fromEnvironment()}, from the given variables (tests, or a launcher that rewrites them). */
    public static SystemdNotifier fromEnvironment(Map<String, String> env, long ownPid) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isBlank()) {
            return new SystemdNotifier(null, null);
        }
        return new SystemdNotifier(socket, watchdogInterval(env, ownPid));
    }

    /** A notifier sending to the given socket (a path, or {@code @name} for the abstract namespace). */
    public static SystemdNotifier forSocket(String socketName, Duration watchdogInterval) {
        return new SystemdNotifier(socketName, watchdogInterval);
    }

    /** {@code WATCHDOG_USEC} when it is meant for this process: systemd sets {@code WATCHDOG_PID} to the main PID. */
    private static Duration watchdogInterval(Map<String, String> env, long ownPid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isBlank()) {
            return null;
        }
        String pid = env.get("WATCHDOG_PID");
        if (pid != null && !pid.isBlank() && !pid.trim().equals(Long.toString(ownPid))) {
            return null;
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Duration.ofNanos(micros * 1000L) : null;
        } catch (NumberFormatException e) {
            log.warn("WATCHDOG_USEC='{}' is not a number of microseconds; watchdog pings disabled", usec);
            return null;
        }
    }

    /** Whether messages go anywhere (we run under systemd with {@code Type=notify}). */
    public boolean enabled() {
        return address != null;
    }

    /** The watchdog timeout systemd enforces ({@code WatchdogSec=}), if any; ping at half of it. */
    public Optional<Duration> watchdogTimeout() {
        return Optional.ofNullable(watchdogInterval);
    }

    /** Start-up is complete: systemd moves the unit from "activating" to "active". */
    public void ready() {
        send("READY=1");
    }

    /** A one-line status shown by {@code systemctl status}. */
    public void status(String text) {
        send("STATUS=" + text.replace('\n', ' '));
    }

    /** The node is shutting down cleanly. */
    public void stopping() {
        send("STOPPING=1");
    }

    /** Keep-alive: the node is healthy. Sent by {@link FrameWatchdog} only while frames flow. */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /**
     * Sends one raw message (newline-separated {@code KEY=VALUE} assignments, see sd_notify(3)).
     *
     * @return whether the datagram was handed to the kernel
     */
    public boolean send(String message) {
        if (address == null) {
            return false;
        }
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            try {
                if (fd < 0) {
                    if (libc == null) {
                        libc = Native.load("c", LibC.class);
                    }
                    fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                }
                libc.sendto(fd, payload, payload.length, MSG_NOSIGNAL, address, address.length);
                return true;
            } catch (LastErrorException | UnsatisfiedLinkError e) {
                if (!failureLogged) {
                    failureLogged = true;
                    log.warn("cannot notify systemd on NOTIFY_SOCKET={}: {} (further failures are not logged)",
                            socketName, e.getMessage());
                }
                return false;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (fd >= 0) {
                try {
                    libc.close(fd);
                } catch (LastErrorException e) {
                    log.debug("closing the notify socket: {}", e.getMessage());
                }
                fd = -1;
            }
        }
    }

    /**
     * A {@code struct sockaddr_un} for the socket name, with the exact length to pass to {@code sendto}.
     * A leading {@code @} names a socket in the abstract namespace (sun_path starts with a NUL byte).
     */
    static byte[] sockaddrUn(String socketName) {
        boolean isAbstract = socketName.startsWith("@");
        byte[] path = (isAbstract ? socketName.substring(1) : socketName).getBytes(StandardCharsets.UTF_8);
        // Abstract names carry a leading NUL; filesystem paths a trailing NUL.
        int pathBytes = path.length + 1;
        if (pathBytes > SUN_PATH_MAX) {
            throw new IllegalArgumentException("notify socket name is longer than " + (SUN_PATH_MAX - 1)
                    + " bytes: " + socketName);
        }
        ByteBuffer addr = ByteBuffer.allocate(2 + pathBytes).order(ByteOrder.nativeOrder());
        addr.putShort((short) AF_UNIX);
        if (isAbstract) {
            addr.put((byte) 0).put(path);
        } else {
            addr.put(path).put((byte) 0);
        }
        return addr.array();
    }

    @Override
    public String toString() {
        return enabled() ? "SystemdNotifier[" + socketName + ", watchdog=" + watchdogInterval + "]"
                : "SystemdNotifier[disabled]";
    }
}
