package io.mdeas.node.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.testing.MosquittoProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paho 1.2.5 leaks threads on failed connects and on close when its own reconnect is used, and a connect whose
 * connection drops during the handshake leaves its thread waiting forever; the sink owns the reconnect policy and
 * all of Paho's threads. Repeated broker outages must not grow the thread count, and close must end every thread
 * the sink started.
 */
class MqttOutageThreadsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** More dropped handshakes than a shared pool of six Paho threads survives. */
    private static final int DROPS = 8;

    @TempDir
    Path tmp;

    @Test
    void repeatedOutagesLeakNoThreadsAndCloseEndsThemAll() throws Exception {
        try (MosquittoProcess broker = MosquittoProcess.start(tmp, List.of())) {
            broker.stop(); // the first connects fail: the case Paho leaks a thread for
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MqttSink sink = new MqttSink(MqttSinkTest.options(broker.tcpUri(), MqttSinkTest.newNodeId(),
                    Map.of("mqtt.reconnect_min_s", "0.05", "mqtt.reconnect_max_s", "0.1", "mqtt.keepalive_s", "1")),
                    Payloads.mapper(), registry, NodeCommands.IGNORE);
            ThreadGroup paho = sink.pahoThreadGroup();
            Thread.sleep(1000); // about ten refused connects
            broker.start();
            assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());

            outage(broker, sink);
            outage(broker, sink); // the fixed pool has reached its size by now
            int warm = liveThreads().size();
            for (int i = 0; i < 6; i++) {
                outage(broker, sink);
                sink.publish(Topic.EVENTS, MqttSinkTest.event(i));
            }
            Set<String> after = liveThreads();
            assertTrue(after.size() <= warm, "thread count grew from " + warm + " to " + after.size() + ": " + after);
            assertEquals(8.0, registry.get("mdeas.mqtt.reconnects").counter().count(), 0.0);
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                ThreadGroup group = t.getThreadGroup(); // null once the thread has ended
                if (t.getName().startsWith("MQTT") && group != null) {
                    assertTrue(group == paho, "Paho thread outside the sink's pool: " + t.getName());
                }
            }

            sink.close();
            assertEquals(List.of(), awaitSinkThreadsEnded(paho),
                    "threads left " + WAIT.toSeconds() + " s after close: " + stacks(paho));
        }
    }

    /**
     * A "broker" that accepts TCP connections and drops them at once: every connect attempt hits the Paho race
     * above. The sink must keep its threads bounded and still connect once the broker answers.
     */
    @Test
    void connectionsDroppedDuringTheHandshakeLeaveNoStuckThreads() throws Exception {
        try (MosquittoProcess broker = MosquittoProcess.start(tmp, List.of());
                DroppingFront front = new DroppingFront(broker.port())) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MqttSink sink = new MqttSink(MqttSinkTest.options("tcp://127.0.0.1:" + front.port(),
                    MqttSinkTest.newNodeId(), Map.of("mqtt.reconnect_min_s", "0.05", "mqtt.reconnect_max_s", "0.1")),
                    Payloads.mapper(), registry, NodeCommands.IGNORE);
            ThreadGroup paho = sink.pahoThreadGroup();
            long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            int most = 0;
            while (front.dropped() < DROPS && System.nanoTime() < end) {
                Thread.sleep(20);
                most = Math.max(most, sinkThreads(paho).size());
            }
            assertTrue(front.dropped() >= DROPS, "only " + front.dropped() + " connect attempts reached the broker in "
                    + "40 s: the sink stopped connecting" + stacks(paho));
            // The link thread plus one client's pool of at most six; a stuck thread per attempt would pass this.
            assertTrue(most <= 7, "threads grew to " + most + " over " + front.dropped() + " dropped handshakes: "
                    + stacks(paho));
            front.forward();
            assertTrue(sink.awaitConnected(WAIT), "no connection after the broker came back: " + sink.lastProblem()
                    + stacks(paho));
            sink.close();
            assertEquals(List.of(), awaitSinkThreadsEnded(paho), "threads left after close: " + stacks(paho));
        }
    }

    /** Accepts connections and closes them at once until {@link #forward()}, then relays them to a broker. */
    private static final class DroppingFront implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        private final int brokerPort;
        private final AtomicInteger dropped = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile boolean forwarding;
        private final Thread acceptor;

        DroppingFront(int brokerPort) throws IOException {
            this.brokerPort = brokerPort;
            this.acceptor = new Thread(this::acceptLoop, "test-front-accept");
            this.acceptor.setDaemon(true);
            this.acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int dropped() {
            return dropped.get();
        }

        void forward() {
            forwarding = true;
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    if (!forwarding) {
                        s.close();
                        dropped.incrementAndGet();
                        continue;
                    }
                    Socket b = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                    open.add(s);
                    open.add(b);
                    pump(s, b);
                    pump(b, s);
                } catch (IOException e) {
                    // server closed, or one relay failed: the sink sees a dropped connection and retries
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException e) {
                    // the other side closed
                } finally {
                    try {
                        to.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            }, "test-front-relay");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static List<String> awaitSinkThreadsEnded(ThreadGroup paho) throws InterruptedException {
        // Threads end asynchronously after close; on a loaded machine that takes more than a fixed nap
        // (seen failing at 100 ms while training ran beside the build), so wait for them, up to WAIT.
        long end = System.nanoTime() + WAIT.toNanos();
        List<String> left = sinkThreads(paho);
        while (!left.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
            left = sinkThreads(paho);
        }
        return left;
    }

    private static void outage(MosquittoProcess broker, MqttSink sink) throws InterruptedException {
        broker.stop();
        long end = System.nanoTime() + WAIT.toNanos();
        while (sink.connected() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertTrue(!sink.connected(), "the sink noticed the outage");
        Thread.sleep(250); // a few refused reconnects
        broker.start();
        assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
    }

    private static boolean isSinkThread(Thread t, ThreadGroup paho) {
        return t.isAlive() && (t.getThreadGroup() == paho || t.getName().startsWith("MQTT")
                || t.getName().startsWith("mqtt-"));
    }

    private static List<String> sinkThreads(ThreadGroup paho) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> isSinkThread(t, paho))
                .map(Thread::getName).toList();
    }

    private static String stacks(ThreadGroup paho) {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, trace) -> {
            if (isSinkThread(t, paho)) {
                b.append('\n').append(t.getName()).append(" (").append(t.getState()).append(')');
                for (StackTraceElement e : trace) {
                    b.append("\n    at ").append(e);
                }
            }
        });
        return b.toString();
    }

    private static Set<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(t -> t.getName() + "@" + t.getId()).collect(Collectors.toSet());
    }
}
