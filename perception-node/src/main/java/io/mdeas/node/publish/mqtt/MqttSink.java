package io.mdeas.node.publish.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.publish.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes node messages to an MQTT broker with the Eclipse Paho v3 client (MQTT 3.1.1: retained messages,
 * last will, QoS, TLS and passwords are all the node needs, and the embedded Moquette broker speaks 3.1.1 only;
 * see docs/SERVICE.md).
 *
 * <p>Paho's own reconnect machinery is not used (it leaks threads and timers); this class owns the
 * lifecycle instead. One thread, {@code mqtt-link}, connects, publishes and reconnects with exponential
 * backoff, making a fresh client per connection and closing the old one. Each client's Paho threads run in a
 * small pool of its own ({@link PahoClientThreads}, handed to Paho as its executor) that ends with the client,
 * so outages cannot add threads and {@link #close()} ends all of them.
 *
 * <p>Delivery policy: {@link Topic#EVENTS} wait in a bounded buffer while the broker is unreachable (the
 * oldest is dropped and counted when it is full) and each leaves the buffer only once the broker has
 * acknowledged it (QoS ≥ 1), so a broker restart loses none. {@link Topic#OBSTACLES}, {@link Topic#SCAN}
 * and {@link Topic#STATS} are state: only the newest waits, and nothing stale is replayed after an outage.
 * {@link Topic#AVAILABILITY} belongs to the sink: {@code online} (retained) on every connect, the last will
 * {@code offline} (retained), and {@code offline} on {@link #close()}.
 */
public final class MqttSink implements MessageSink {
    private static final Logger log = LoggerFactory.getLogger(MqttSink.class);
    private static final byte[] ONLINE = "online".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.US_ASCII);
    /** Latest-value topics, in the order they are sent when several wait. */
    private static final List<Topic> STATE_TOPICS = List.of(Topic.OBSTACLES, Topic.SCAN, Topic.STATS);
    private static final AtomicInteger SINKS = new AtomicInteger();

    private final MqttLinkOptions options;
    private final NodeCommands commands;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final SSLSocketFactory socketFactory;
    private final String clientId;
    private final Duration ackTimeout;
    private final Duration connectTimeout;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<Outgoing> events = new ArrayDeque<>(); // guarded by lock
    private final EnumMap<Topic, Outgoing> latest = new EnumMap<>(Topic.class); // guarded by lock
    private boolean closing; // guarded by lock
    private boolean reassertOnline; // guarded by lock
    private volatile boolean connected;
    private volatile String lastProblem = "not connected yet";

    private final ThreadGroup pahoGroup;
    private final String pahoThreadPrefix;
    private final Thread link;
    private volatile MqttAsyncClient client; // written by the link thread only
    private volatile PahoClientThreads clientThreads; // the client's; written by the link thread only

    private final Map<Topic, Counter> published = new EnumMap<>(Topic.class);
    private final Counter reconnects;

    private record Outgoing(Topic topic, byte[] body, boolean retained) {}

    /**
     * Creates the sink and starts connecting in the background; {@link #publish} never blocks on the network.
     *
     * @param json     mapper for payloads (snake_case records)
     * @param commands receives {@code cmd/background} and {@code cmd/motion}
     */
    public MqttSink(MqttLinkOptions options, ObjectMapper json, MeterRegistry registry, NodeCommands commands) {
        this.options = Objects.requireNonNull(options, "options");
        this.json = Objects.requireNonNull(json, "json");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.commands = Objects.requireNonNull(commands, "commands");
        boolean ssl = options.serverUri().startsWith("ssl://");
        this.socketFactory = ssl && options.tls() != null ? PemTls.socketFactory(options.tls()) : null;
        String leaf = options.topicRoot().substring(options.topicRoot().lastIndexOf('/') + 1);
        this.clientId = "mdeas-" + leaf + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        this.ackTimeout = Duration.ofMillis(Math.min(3000, Math.max(1000, options.keepAlive().toMillis())));
        this.connectTimeout = Duration.ofSeconds(3);
        for (Topic t : Topic.values()) {
            published.put(t, Counter.builder("mdeas.mqtt.messages.published").tag("topic", t.suffix())
                    .description("MQTT messages handed to the broker, per topic").register(registry));
        }
        this.reconnects = Counter.builder("mdeas.mqtt.reconnects")
                .description("Successful reconnections to the MQTT broker after a loss").register(registry);
        Gauge.builder("mdeas.mqtt.connected", this, s -> s.connected ? 1 : 0)
                .description("1 while connected to the MQTT broker").register(registry);

        int n = SINKS.incrementAndGet();
        this.pahoGroup = new ThreadGroup("mqtt-" + n);
        this.pahoThreadPrefix = "mqtt-io-" + n;
        this.link = new Thread(this::runLink, "mqtt-link-" + n);
        this.link.setDaemon(true);
        this.link.start();
    }

    /** True while a connection to the broker is up. */
    public boolean connected() {
        return connected;
    }

    /** Why the sink is not connected (the last connection problem), for health reports. */
    public String lastProblem() {
        return lastProblem;
    }

    /** The broker address. */
    public String serverUri() {
        return options.serverUri();
    }

    /** Events waiting for the broker. */
    public int bufferedEvents() {
        lock.lock();
        try {
            return events.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until connected; true if connected in time. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!connected) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** The thread group all of this sink's Paho threads belong to (for leak checks). */
    ThreadGroup pahoThreadGroup() {
        return pahoGroup;
    }

    @Override
    public void publish(Topic topic, Object payload) {
        if (topic == Topic.AVAILABILITY) {
            log.debug("availability is published by the MQTT sink itself; ignoring {}", payload);
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            log.warn("cannot serialise {} payload: {}", topic.suffix(), e.getOriginalMessage());
            dropped(topic, "unserialisable");
            return;
        }
        Outgoing o = new Outgoing(topic, body, false);
        lock.lock();
        try {
            if (closing) {
                dropped(topic, "closed");
                return;
            }
            if (topic == Topic.EVENTS) {
                if (events.size() >= options.eventBuffer()) {
                    events.pollFirst();
                    dropped(topic, "buffer_full");
                }
                events.addLast(o);
            } else if (!connected) {
                dropped(topic, "disconnected");
                return;
            } else if (latest.put(topic, o) != null) {
                dropped(topic, "superseded");
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes {@code offline}, sends what waits (up to about a second), disconnects and ends every thread
     * this sink started.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            link.join(3000);
            if (link.isAlive()) {
                log.warn("MQTT link did not stop in time; forcing it");
                retire(client, clientThreads);
                link.interrupt();
                link.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            events.forEach(o -> dropped(o.topic(), "closed"));
            events.clear();
            latest.clear();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The link thread

    private void runLink() {
        long backoffNanos = options.reconnectMin().toNanos();
        int failures = 0;
        boolean everConnected = false;
        while (!isClosing()) {
            if (client == null) {
                if (connectOnce(everConnected, failures)) {
                    everConnected = true;
                    failures = 0;
                    backoffNanos = options.reconnectMin().toNanos();
                } else {
                    failures++;
                    long jitter = ThreadLocalRandom.current().nextLong(backoffNanos / 5 + 1);
                    sleepUnlessClosing(backoffNanos - jitter);
                    backoffNanos = Math.min(backoffNanos * 2, options.reconnectMax().toNanos());
                }
                continue;
            }
            Outgoing next = awaitNext();
            if (next == null) {
                if (!connected) {
                    teardown("connection lost");
                }
                continue;
            }
            if (!send(client, next)) {
                teardown("publish failed");
            }
        }
        shutdownConnection();
    }

    /** One connection attempt: fresh client, connect with last will, subscribe, announce online. */
    private boolean connectOnce(boolean everConnected, int failures) {
        MqttAsyncClient c = null;
        PahoClientThreads threads = new PahoClientThreads(pahoGroup, pahoThreadPrefix);
        try {
            c = new MqttAsyncClient(options.serverUri(), clientId, new MemoryPersistence(),
                    new ScheduledExecutorPingSender(threads.executor()), threads.executor());
            c.setCallback(new Callback(c));
            c.connect(connectOptions()).waitForCompletion(connectTimeout.toMillis() + 500);
            c.subscribe(new String[] {options.topic("cmd/background"), options.topic("cmd/motion"),
                    options.topic(Topic.AVAILABILITY.suffix())}, new int[] {1, 1, 1})
                    .waitForCompletion(ackTimeout.toMillis());
            c.publish(options.topic(Topic.AVAILABILITY.suffix()), ONLINE, options.qos().get(Topic.AVAILABILITY), true)
                    .waitForCompletion(ackTimeout.toMillis());
            published.get(Topic.AVAILABILITY).increment();
            // Connected only once the whole handshake (subscribe, online) has worked, and counted before anyone
            // can see it: a link that drops during the handshake is a failed attempt, not a reconnect.
            if (everConnected) {
                reconnects.increment();
            }
            client = c;
            clientThreads = threads;
            lock.lock();
            try {
                // A loss between the handshake and here was reported with client still unset: ask the client.
                connected = c.isConnected();
                reassertOnline = false;
            } finally {
                lock.unlock();
            }
            lastProblem = "";
            if (everConnected) {
                log.info("MQTT reconnected to {} after {} failed attempt(s); {} event(s) waiting",
                        options.serverUri(), failures, bufferedEvents());
            } else {
                log.info("MQTT connected to {} as {}; topics under {}/", options.serverUri(), clientId,
                        options.topicRoot());
            }
            return true;
        } catch (MqttException e) {
            lastProblem = "cannot connect to " + options.serverUri() + ": " + describe(e);
            if (failures == 0) {
                log.warn("{}; retrying with backoff up to {} ms", lastProblem, options.reconnectMax().toMillis());
            } else {
                log.debug("{} (attempt {})", lastProblem, failures + 1);
            }
            connected = false;
            client = null;
            retire(c, threads);
            return false;
        }
    }

    private MqttConnectOptions connectOptions() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) Math.max(1, options.keepAlive().toSeconds()));
        o.setConnectionTimeout((int) connectTimeout.toSeconds());
        o.setMaxInflight(64);
        o.setWill(options.topic(Topic.AVAILABILITY.suffix()), OFFLINE, options.qos().get(Topic.AVAILABILITY), true);
        if (!options.username().isEmpty()) {
            o.setUserName(options.username());
            o.setPassword(options.password().toCharArray());
        }
        if (socketFactory != null) {
            o.setSocketFactory(socketFactory);
            o.setHttpsHostnameVerificationEnabled(true);
        }
        return o;
    }

    /** The next message to send, or null when the connection dropped, the sink closes or nothing came. */
    private Outgoing awaitNext() {
        lock.lock();
        try {
            long waitNanos = TimeUnit.MILLISECONDS.toNanos(250);
            while (!closing && connected) {
                if (reassertOnline) {
                    reassertOnline = false;
                    return new Outgoing(Topic.AVAILABILITY, ONLINE, true);
                }
                Outgoing o = events.pollFirst();
                if (o != null) {
                    return o;
                }
                for (Topic t : STATE_TOPICS) {
                    o = latest.remove(t);
                    if (o != null) {
                        return o;
                    }
                }
                if (waitNanos <= 0) {
                    return null;
                }
                waitNanos = wake.awaitNanos(waitNanos);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Sends one message; false if the connection failed (a reliable message is put back first in line). */
    /** Sends one message on {@code c} (the connection being used or, on close, the one being shut down). */
    private boolean send(MqttAsyncClient c, Outgoing o) {
        int qos = options.qos().get(o.topic());
        boolean reliable = o.topic() == Topic.EVENTS;
        try {
            IMqttDeliveryToken token = c.publish(options.topic(o.topic().suffix()), o.body(), qos, o.retained());
            if ((reliable || o.topic() == Topic.AVAILABILITY) && qos > 0) {
                token.waitForCompletion(ackTimeout.toMillis());
            }
            published.get(o.topic()).increment();
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT && !reliable) {
                dropped(o.topic(), "backpressure");
                return true;
            }
            lastProblem = "publish to " + options.serverUri() + " failed: " + describe(e);
            if (reliable) {
                requeueFirst(o);
            } else {
                dropped(o.topic(), "disconnected");
            }
            return false;
        }
    }

    private void requeueFirst(Outgoing o) {
        lock.lock();
        try {
            if (events.size() >= options.eventBuffer()) {
                dropped(o.topic(), "buffer_full");
            } else {
                events.addFirst(o);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops the broken connection; state messages waiting are stale by the time we are back, so they go. */
    private void teardown(String why) {
        log.warn("MQTT connection to {} lost ({}); reconnecting with backoff, up to {} events buffered",
                options.serverUri(), lastProblem.isEmpty() ? why : lastProblem, options.eventBuffer());
        lock.lock();
        try {
            connected = false;
            latest.keySet().forEach(t -> dropped(t, "disconnected"));
            latest.clear();
        } finally {
            lock.unlock();
        }
        retire(client, clientThreads);
        client = null;
        clientThreads = null;
    }

    /** Clean end: flush events briefly, announce offline, disconnect. */
    private void shutdownConnection() {
        MqttAsyncClient c = client;
        PahoClientThreads threads = clientThreads;
        client = null;
        clientThreads = null;
        if (c == null) {
            return;
        }
        if (connected) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < end) {
                Outgoing o;
                lock.lock();
                try {
                    o = events.pollFirst();
                } finally {
                    lock.unlock();
                }
                if (o == null || !send(c, o)) {
                    break;
                }
            }
            try {
                c.publish(options.topic(Topic.AVAILABILITY.suffix()), OFFLINE, options.qos().get(Topic.AVAILABILITY),
                        true).waitForCompletion(1000);
                published.get(Topic.AVAILABILITY).increment();
                c.disconnect(200).waitForCompletion(1000);
            } catch (MqttException e) {
                log.warn("MQTT: could not announce offline to {}: {}", options.serverUri(), describe(e));
            }
        }
        connected = false;
        retire(c, threads);
        log.info("MQTT link to {} closed", options.serverUri());
    }

    /** Closes a client that is no longer used and ends its threads. */
    private static void retire(MqttAsyncClient c, PahoClientThreads threads) {
        if (threads == null) {
            closeQuietly(c);
        } else {
            threads.retire(c, () -> closeQuietly(c), Duration.ofSeconds(1));
        }
    }

    private static void closeQuietly(MqttAsyncClient c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 200, false);
            }
        } catch (MqttException | RuntimeException e) {
            log.debug("MQTT forced disconnect: {}", e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            log.debug("MQTT close: {}", e.toString());
        }
    }

    private boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    private void sleepUnlessClosing(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (!closing && left > 0) {
                left = wake.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void dropped(Topic topic, String reason) {
        registry.counter("mdeas.mqtt.messages.dropped", "topic", topic.suffix(), "reason", reason).increment();
    }

    private static String describe(MqttException e) {
        Throwable cause = e.getCause();
        String msg = e.getMessage() == null ? "reason " + e.getReasonCode() : e.getMessage();
        return cause == null ? msg : msg + " (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
    }

    /** Paho callbacks for one client instance; callbacks of a replaced client are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void connectionLost(Throwable cause) {
            lastProblem = "connection lost: " + (cause == null ? "unknown" : cause.getMessage());
            lock.lock();
            try {
                if (client == owner || client == null) {
                    connected = false;
                }
                wake.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // An exception here would make Paho drop the connection: report and carry on.
            try {
                String text = new String(message.getPayload(), StandardCharsets.UTF_8).trim()
                        .replace("\"", "").toLowerCase(Locale.ROOT);
                if (topic.equals(options.topic("cmd/background"))) {
                    if (text.equals("reset")) {
                        log.info("command: background reset");
                        commands.resetBackground();
                    } else {
                        log.warn("ignored cmd/background \"{}\": expected reset", text);
                    }
                } else if (topic.equals(options.topic("cmd/motion"))) {
                    switch (text) {
                        case "moving" -> commands.setMoving(true);
                        case "stopped" -> commands.setMoving(false);
                        default -> log.warn("ignored cmd/motion \"{}\": expected moving or stopped", text);
                    }
                } else if (topic.equals(options.topic(Topic.AVAILABILITY.suffix())) && text.equals("offline")) {
                    // A last will of an earlier run of this node (crash and quick restart) arrived after
                    // our "online": say online again.
                    lock.lock();
                    try {
                        if (!closing && connected) {
                            reassertOnline = true;
                            wake.signalAll();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (RuntimeException e) {
                log.warn("MQTT command on {} failed: {}", topic, e.toString());
            }
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            // Delivery is awaited where it matters (events, availability).
        }
    }
}
