package io.mdeas.node.capture;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameSlotTest {

    private static CapturedFrame publish(FrameSlot slot, long index) throws InterruptedException {
        CapturedFrame f = slot.acquire();
        f.index = index;
        slot.publish(f);
        return f;
    }

    @Test
    void latestWinsDropsAndCountsStaleFramesAndRecyclesTheirBuffers() throws Exception {
        AtomicInteger drops = new AtomicInteger();
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.LATEST_WINS, drops::incrementAndGet)) {
            // The pipeline holds one frame while the camera delivers many: the pool of three never runs dry.
            publish(slot, 0);
            CapturedFrame processing = slot.take(100);
            for (long i = 1; i <= 10; i++) {
                publish(slot, i);
            }
            assertEquals(9, drops.get());
            assertEquals(9, slot.staleDropped());
            slot.release(processing);
            CapturedFrame newest = slot.take(100);
            assertEquals(10, newest.index);
            slot.release(newest);
            assertNull(slot.take(10), "nothing waiting: time-out");
            assertFalse(slot.finished());
            slot.end();
            assertNull(slot.take(10));
            assertTrue(slot.finished());
        }
    }

    @Test
    void noneDroppedMakesCaptureWaitForThePipeline() throws Exception {
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { throw new AssertionError("no drops"); })) {
            publish(slot, 0);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try {
                    publish(slot, 1);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertFalse(second.isDone(), "capture must wait while frame 0 is not taken");
            CapturedFrame f0 = slot.take(100);
            assertEquals(0, f0.index);
            second.get(2, TimeUnit.SECONDS);
            slot.release(f0);
            CapturedFrame f1 = slot.take(100);
            assertEquals(1, f1.index);
            slot.release(f1);
            slot.end();
            assertTrue(slot.finished());
            assertEquals(0, slot.staleDropped());
        }
    }

    @Test
    void theLastFrameIsStillDeliveredAfterEnd() throws Exception {
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { })) {
            CapturedFrame last = publish(slot, 41);
            slot.end();
            assertFalse(slot.finished());
            assertSame(last, slot.take(10));
            assertTrue(slot.finished());
        }
    }
}
