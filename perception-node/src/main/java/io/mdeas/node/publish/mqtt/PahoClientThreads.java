package io.mdeas.node.publish.mqtt;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of one Paho client: a small pool in the sink's thread group, handed to Paho as its executor and
 * ended together with the client.
 *
 * <p>Why one pool per client, and why {@link #retire} may have to release a thread: Paho 1.2.5 starts its
 * receiver, sender and callback by submitting them and then waiting, ignoring interrupts, until the submitted
 * task says it is running. A task that ended before the wait looked (the broker dropped the connection during
 * the handshake, e.g. while it restarts) or was cancelled never says so, and the connecting thread waits
 * forever. In one shared pool every such thread is lost for good, and a few broker restarts at the wrong moment
 * leave too few threads for any connection. Here the dropped client's pool is shut down, the waiting component is
 * marked running so the wait ends, the connect's next submit is refused, and the thread ends.
 * Only threads whose stack shows them in such a wait are released, and only after their client is closed.
 */
final class PahoClientThreads {
    private static final Logger log = LoggerFactory.getLogger(PahoClientThreads.class);

    /** Connect, receiver, sender, callback, ping and disconnect tasks of one connection. */
    private static final int THREADS = 6;

    /** Paho's components whose {@code start} waits uninterruptibly, by the ClientComms field that holds them. */
    private static final Map<String, String> START_WAITS = Map.of(
            "org.eclipse.paho.client.mqttv3.internal.CommsReceiver", "receiver",
            "org.eclipse.paho.client.mqttv3.internal.CommsSender", "sender",
            "org.eclipse.paho.client.mqttv3.internal.CommsCallback", "callback");

    private final ScheduledThreadPoolExecutor pool;
    private final List<Thread> threads = new ArrayList<>(THREADS); // guarded by itself

    PahoClientThreads(ThreadGroup group, String prefix) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ScheduledThreadPoolExecutor(THREADS, r -> {
            Thread t = new Thread(group, r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            synchronized (threads) {
                threads.add(t);
            }
            return t;
        });
        this.pool.setRemoveOnCancelPolicy(true);
    }

    /** The executor to hand to Paho (tasks and ping timer). */
    ScheduledExecutorService executor() {
        return pool;
    }

    /**
     * Closes {@code client} with {@code close} and ends every thread of the pool, waiting up to {@code wait}; a
     * thread that does not end is named in a warning.
     */
    void retire(MqttAsyncClient client, Runnable close, Duration wait) {
        // Closing clears the client's references to its components, and a stuck thread's is needed to free it.
        Map<String, Object> components = client == null ? Map.of() : components(client);
        close.run();
        pool.shutdownNow();
        try {
            if (pool.awaitTermination(Math.min(200, wait.toMillis()), TimeUnit.MILLISECONDS)) {
                return;
            }
            int released = releaseStartWaits(components);
            if (released > 0) {
                log.debug("MQTT: released {} Paho thread(s) waiting for a component that had already stopped",
                        released);
            }
            if (pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> left;
        synchronized (threads) {
            left = threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        }
        log.warn("MQTT client threads still running after close: {}", left);
    }

    /** The client's receiver, sender and callback by ClientComms field name (absent: not created yet). */
    private static Map<String, Object> components(MqttAsyncClient client) {
        Map<String, Object> out = new HashMap<>();
        try {
            Object comms = readField(MqttAsyncClient.class, "comms", client);
            for (String name : START_WAITS.values()) {
                Object part = comms == null ? null : readField(comms.getClass(), name, comms);
                if (part != null) {
                    out.put(name, part);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Another Paho version: a stuck thread would stay, and retire() names it.
            log.warn("MQTT: cannot read the Paho client's components ({}); a stuck Paho thread cannot be freed",
                    e.toString());
        }
        return out;
    }

    /** Marks running each component a pool thread is stuck starting; returns how many were released. */
    private int releaseStartWaits(Map<String, Object> components) {
        List<Thread> live;
        synchronized (threads) {
            live = threads.stream().filter(Thread::isAlive).toList();
        }
        int released = 0;
        for (Thread t : live) {
            for (StackTraceElement frame : t.getStackTrace()) {
                String name = START_WAITS.get(frame.getClassName());
                if (name != null && frame.getMethodName().equals("start")) {
                    Object part = components.get(name);
                    released += part != null && markRunning(part) ? 1 : 0;
                    break;
                }
            }
        }
        return released;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean markRunning(Object component) {
        try {
            Field current = field(component.getClass(), "current_state");
            Field target = field(component.getClass(), "target_state");
            Object running = Enum.valueOf((Class<? extends Enum>) current.getType(), "RUNNING");
            synchronized (readField(component.getClass(), "lifecycle", component)) {
                current.set(component, running);
                target.set(component, running);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("MQTT: cannot release a Paho thread stuck starting its {} ({}); it will stay",
                    component.getClass().getSimpleName(), e.toString());
            return false;
        }
    }

    private static Object readField(Class<?> type, String name, Object owner) throws ReflectiveOperationException {
        return field(type, name).get(owner);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
