package io.mdeas.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private Mosquitto broker on a free port, started by a test so it can be stopped and restarted without
 * touching the shared broker on 1883. Extra config lines set up passwords or TLS.
 */
public final class MosquittoProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final List<String> extraConfig;
    private Process process;

    private MosquittoProcess(Path dir, int port, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.extraConfig = extraConfig;
    }

    /** Starts an anonymous broker on a free port (listener {@code 127.0.0.1}); {@code extra} adds config lines. */
    public static MosquittoProcess start(Path dir, List<String> extra) {
        MosquittoProcess m = new MosquittoProcess(dir, freePort(), List.copyOf(extra));
        m.start();
        return m;
    }

    public int port() {
        return port;
    }

    public String tcpUri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** (Re)starts the broker on the same port and waits until it accepts connections. */
    public void start() {
        try {
            Path conf = dir.resolve("mosquitto-" + port + ".conf");
            StringBuilder sb = new StringBuilder();
            sb.append("listener ").append(port).append(" 127.0.0.1\n");
            // Started as root, mosquitto would switch to the "mosquitto" user and could not write our temp dir.
            sb.append("user ").append(System.getProperty("user.name")).append('\n');
            if (extraConfig.stream().noneMatch(l -> l.startsWith("persistence"))) {
                sb.append("persistence false\n");
            }
            boolean auth = extraConfig.stream().anyMatch(l -> l.startsWith("password_file"));
            sb.append("allow_anonymous ").append(!auth).append('\n');
            extraConfig.forEach(l -> sb.append(l).append('\n'));
            Files.writeString(conf, sb.toString());
            process = new ProcessBuilder("mosquitto", "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto-" + port + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + readLog());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + ": " + readLog());
    }

    /** Kills the broker (SIGKILL) and waits until it is gone. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Stops the broker with SIGTERM, so a persistent broker saves its sessions. */
    public void stopGracefully() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public String readLog() {
        try {
            return Files.readString(dir.resolve("mosquitto-" + port + ".log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A TCP port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
