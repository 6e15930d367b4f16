package io.mdeas.node.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A plain MQTT subscriber for tests: records every message on a filter, in arrival order. */
public final class TopicRecorder implements AutoCloseable {

    /** One received message. */
    public record Received(String topic, String payload, boolean retained, int qos) {}

    private final MqttClient client;
    /** Paho's threads run here, so closing the recorder ends them even after a failed connect (Paho leaks its
     *  own "MQTT Con" thread then). Daemon threads: a recorder never keeps a test JVM alive. Paho keeps up to
     *  four long-running tasks in it at once (connect, receiver, sender, callback): a smaller pool deadlocks. */
    private final ScheduledExecutorService pahoThreads;
    private final List<Received> messages = new ArrayList<>();

    private TopicRecorder(MqttClient client, ScheduledExecutorService pahoThreads) {
        this.client = client;
        this.pahoThreads = pahoThreads;
    }

    /** Connects to {@code uri} and subscribes to {@code filter} with QoS 1. */
    public static TopicRecorder subscribe(String uri, String filter) throws MqttException {
        return subscribe(uri, filter, null, null, null);
    }

    /** A subscriber whose session (and QoS 1 queue) outlives its connection: reuse {@code clientId} to resume. */
    public static TopicRecorder subscribePersistent(String uri, String filter, String clientId) throws MqttException {
        return subscribe(uri, filter, null, null, null, clientId);
    }

    public static TopicRecorder subscribe(String uri, String filter, String user, String password,
                                          SSLSocketFactory ssl) throws MqttException {
        return subscribe(uri, filter, user, password, ssl, null);
    }

    private static TopicRecorder subscribe(String uri, String filter, String user, String password,
                                           SSLSocketFactory ssl, String persistentId) throws MqttException {
        String id = persistentId != null ? persistentId : "rec-" + UUID.randomUUID().toString().substring(0, 8);
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(6, task -> {
            Thread t = new Thread(task, "recorder-paho-" + id);
            t.setDaemon(true);
            return t;
        });
        MqttClient c = new MqttClient(uri, id, new MemoryPersistence(), pool);
        TopicRecorder r = new TopicRecorder(c, pool);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(persistentId == null);
        o.setConnectionTimeout(5);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        if (ssl != null) {
            o.setSocketFactory(ssl);
        }
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage msg) {
                synchronized (r.messages) {
                    r.messages.add(new Received(topic, new String(msg.getPayload(), StandardCharsets.UTF_8),
                            msg.isRetained(), msg.getQos()));
                    r.messages.notifyAll();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        try {
            connectAndSubscribe(c, o, filter, id, uri);
        } catch (MqttException | RuntimeException e) {
            try {
                r.close();
            } catch (MqttException ignored) {
                // the connect failure is the error worth reporting
            }
            throw e;
        }
        return r;
    }

    /**
     * Seen on loaded 2-core CI machines with the embedded broker: Moquette closes the recorder's link right after
     * CONNECT ("SUBSCRIBE received on already closed connection"), and Paho then spends a moment in its
     * disconnecting state, refusing a new connect (32102). The cause is a race in Moquette 0.17 (see
     * {@code EmbeddedBroker}): a SUBSCRIBE sent at once on CONNACK can be read before the broker marks the link
     * connected. The recorder is only the test's eyes, so it retries a few times, waiting for Paho to finish
     * disconnecting; any other failure is reported at once.
     */
    private static void connectAndSubscribe(MqttClient c, MqttConnectOptions o, String filter, String id, String uri)
            throws MqttException {
        final int attempts = 4;
        for (int attempt = 1; ; attempt++) {
            try {
                c.connect(o);
                c.subscribe(filter, 1);
                return;
            } catch (MqttException e) {
                boolean transientLoss = e.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST
                        || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_DISCONNECTING;
                if (!transientLoss || attempt == attempts) {
                    throw e;
                }
                System.err.println("TopicRecorder " + id + ": " + e.getMessage() + " while connecting to " + uri
                        + " (attempt " + attempt + " of " + attempts + "); retrying");
                if (c.isConnected()) {
                    c.disconnectForcibly(100, 100);
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A copy of everything received so far. */
    public List<Received> all() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Waits for the first message matching {@code p}; throws AssertionError on timeout. */
    public Received await(Predicate<Received> p, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (true) {
                for (Received m : messages) {
                    if (p.test(m)) {
                        return m;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no message: " + what + "; got " + messages);
                }
                messages.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until at least {@code n} messages match {@code p}; returns them. */
    public List<Received> awaitCount(Predicate<Received> p, int n, Duration timeout, String what)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (true) {
                List<Received> hits = messages.stream().filter(p).toList();
                if (hits.size() >= n) {
                    return hits;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " messages: " + what + "; got " + hits.size());
                }
                messages.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect(500);
            }
        } finally {
            try {
                client.close(true);
            } finally {
                pahoThreads.shutdownNow();
            }
        }
    }
}
