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
    void noneDroppedReadsOnlyWhenThePipelineAsks() throws Exception {
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { throw new AssertionError("no drops"); })) {
            CompletableFuture<Void> capture = CompletableFuture.runAsync(() -> {
                try {
                    for (long i = 0; i < 3; i++) {
                        publish(slot, i);
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertNull(slot.take(0), "no frame is read before the pipeline asks");
            for (long i = 0; i < 3; i++) {
                CapturedFrame f = slot.take(2000);
                assertEquals(i, f.index);
                Thread.sleep(30); // processing: the capture side must not read the next frame meanwhile
                assertNull(peekWithoutDemand(slot), "frame " + (i + 1) + " read ahead while " + i + " was processed");
                slot.release(f);
            }
            capture.get(2, TimeUnit.SECONDS);
            slot.end();
            assertTrue(slot.finished());
            assertEquals(0, slot.staleDropped());
        }
    }

    /** The waiting frame, if any, without registering demand (a take with no wait still counts as asking). */
    private static CapturedFrame peekWithoutDemand(FrameSlot slot) {
        return slot.finished() ? null : slot.waitingFrame();
    }

    @Test
    void endWakesACaptureWaitingForDemand() throws Exception {
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.NONE_DROPPED, () -> { })) {
            CompletableFuture<CapturedFrame> capture = CompletableFuture.supplyAsync(() -> {
                try {
                    return slot.acquire();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertFalse(capture.isDone(), "no demand yet");
            slot.end();
            slot.giveBack(capture.get(2, TimeUnit.SECONDS));
        }
    }

    @Test
    void theLastFrameIsStillDeliveredAfterEnd() throws Exception {
        // LATEST_WINS publishes without demand, so the frame can be waiting when the source ends.
        try (FrameSlot slot = new FrameSlot(FrameSlot.Policy.LATEST_WINS, () -> { })) {
            CapturedFrame last = publish(slot, 41);
            slot.end();
            assertFalse(slot.finished());
            assertSame(last, slot.take(10));
            assertTrue(slot.finished());
        }
    }
}
