package io.mdeas.node.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sd_notify messages arrive on a real unix datagram socket bound by the test; a stalled pipeline stops the pings. */
class SystemdNotifierTest {
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(5);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    @Test
    void withoutNotifySocketNothingIsSent() {
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of(), 42);
        assertFalse(notifier.enabled());
        assertFalse(notifier.send("READY=1"));
        assertTrue(notifier.watchdogTimeout().isEmpty());
    }

    @Test
    void watchdogTimeoutIsReadOnlyWhenItIsMeantForThisProcess() {
        Map<String, String> env = Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "30000000",
                "WATCHDOG_PID", "42");
        assertEquals(Optional.of(Duration.ofSeconds(30)), SystemdNotifier.fromEnvironment(env, 42).watchdogTimeout());
        assertTrue(SystemdNotifier.fromEnvironment(env, 43).watchdogTimeout().isEmpty(), "WATCHDOG_PID of another process");
        assertTrue(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "soon"), 42)
                .watchdogTimeout().isEmpty());
    }

    @Test
    void messagesArriveOnTheNotifySocket() throws Exception {
        try (NotifySocketReceiver pid1 = new NotifySocketReceiver(dir.resolve("notify").toString(), RECEIVE_TIMEOUT);
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", pid1.name()), 1)) {
            assertTrue(notifier.enabled());
            notifier.ready();
            notifier.status("12.5 fps\nsecond line folded");
            notifier.watchdog();
            notifier.stopping();
            assertEquals(Optional.of("READY=1"), pid1.receive());
            assertEquals(Optional.of("STATUS=12.5 fps second line folded"), pid1.receive());
            assertEquals(Optional.of("WATCHDOG=1"), pid1.receive());
            assertEquals(Optional.of("STOPPING=1"), pid1.receive());
        }
    }

    @Test
    void abstractNamespaceSocketsWork() throws Exception {
        String name = "@mdeas-notify-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifySocketReceiver pid1 = new NotifySocketReceiver(name, RECEIVE_TIMEOUT);
             SystemdNotifier notifier = SystemdNotifier.forSocket(name, null)) {
            assertTrue(notifier.send("READY=1\nSTATUS=up"));
            assertEquals(Optional.of("READY=1\nSTATUS=up"), pid1.receive());
        }
    }

    @Test
    void aMissingSocketIsReportedNotThrown() {
        try (SystemdNotifier notifier = SystemdNotifier.forSocket(dir.resolve("absent").toString(), null)) {
            assertFalse(notifier.send("READY=1"));
        }
    }

    @Test
    void readyAfterTheFirstFramePingsWhileFramesFlowAndStopsWhenThePipelineStalls() throws Exception {
        AtomicLong lastFrame = new AtomicLong(FrameWatchdog.NO_FRAME);
        try (NotifySocketReceiver pid1 = new NotifySocketReceiver(dir.resolve("notify").toString(), Duration.ofMillis(300));
             SystemdNotifier notifier = SystemdNotifier.forSocket(pid1.name(), Duration.ofSeconds(10));
             FrameWatchdog watchdog = new FrameWatchdog(notifier, lastFrame::get, Duration.ofSeconds(4), () -> "15.0 fps")) {
            long t0 = 1_000 * S;

            // Model loading: no frame yet, so no READY=1 and no pings (TimeoutStartSec= covers this phase).
            assertEquals(new FrameWatchdog.Sent(false, false, true), watchdog.tick(t0));
            assertEquals(List.of("STATUS=starting: waiting for the first frame"), drain(pid1));

            // First processed frame: READY=1 and the first ping at once.
            lastFrame.set(t0 + S);
            assertEquals(new FrameWatchdog.Sent(true, true, true), watchdog.tick(t0 + S + S / 10));
            assertEquals(List.of("READY=1", "WATCHDOG=1", "STATUS=15.0 fps"), drain(pid1));

            // Frames keep flowing: a ping every WatchdogSec/2 = 5 s, not more often.
            lastFrame.set(t0 + 3 * S);
            assertEquals(new FrameWatchdog.Sent(false, false, false), watchdog.tick(t0 + 3 * S));
            lastFrame.set(t0 + 6 * S);
            assertEquals(new FrameWatchdog.Sent(false, true, true), watchdog.tick(t0 + 6 * S + S / 2));
            assertEquals(List.of("WATCHDOG=1", "STATUS=15.0 fps"), drain(pid1));

            // The pipeline stalls (last frame at t0+6 s): past the 4 s threshold no more pings, ever.
            for (long t = t0 + 11 * S; t <= t0 + 40 * S; t += S) {
                assertFalse(watchdog.tick(t).watchdog(), "pinged at t0+" + (t - t0) / S + " s while stalled");
            }
            List<String> whileStalled = drain(pid1);
            assertFalse(whileStalled.contains("WATCHDOG=1"), whileStalled.toString());
            assertTrue(whileStalled.stream().anyMatch(m -> m.startsWith("STATUS=stalled: no frame for")), whileStalled.toString());

            // Frames again (e.g. the camera came back before systemd acted): pings resume, READY=1 is not repeated.
            lastFrame.set(t0 + 41 * S);
            assertEquals(new FrameWatchdog.Sent(false, true, false), watchdog.tick(t0 + 41 * S));
            assertEquals(List.of("WATCHDOG=1"), drain(pid1));
        }
    }

    @Test
    void theWatchdogThreadSendsReadyAndPings() throws Exception {
        AtomicLong lastFrame = new AtomicLong(FrameWatchdog.NO_FRAME);
        try (NotifySocketReceiver pid1 = new NotifySocketReceiver(dir.resolve("notify").toString(), RECEIVE_TIMEOUT);
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(
                     Map.of("NOTIFY_SOCKET", pid1.name(), "WATCHDOG_USEC", "400000"), 1);
             FrameWatchdog watchdog = new FrameWatchdog(notifier, () -> lastFrame.get() == FrameWatchdog.NO_FRAME
                     ? FrameWatchdog.NO_FRAME : System.nanoTime(), Duration.ofSeconds(10), () -> "running")) {
            watchdog.start();
            assertEquals(Optional.of("STATUS=starting: waiting for the first frame"), pid1.receive());
            lastFrame.set(1);
            assertEquals(Optional.of("READY=1"), pid1.receive());
            int pings = 0;
            for (int i = 0; i < 20 && pings < 2; i++) {
                if (pid1.receive().orElseThrow().equals("WATCHDOG=1")) {
                    pings++;
                }
            }
            assertEquals(2, pings, "two pings while frames flow");
        }
    }

    /** All datagrams queued on the socket, in order (stops at the first receive timeout). */
    private static List<String> drain(NotifySocketReceiver receiver) {
        List<String> messages = new ArrayList<>();
        for (Optional<String> m = receiver.receive(); m.isPresent(); m = receiver.receive()) {
            messages.add(m.get());
        }
        return messages;
    }
}
