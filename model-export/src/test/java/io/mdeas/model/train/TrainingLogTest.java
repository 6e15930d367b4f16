package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {

    @TempDir
    Path dir;

    @Test
    void aResumedRunAppendsUnderTheHeaderItsLogWasBegunWith() throws Exception {
        // A log written before dice_mask_loss existed.
        String old = "epoch,step,images,lr,loss,ssim_depth_loss,ssim_mask_loss,mse_depth,mse_mask,l1_depth,l1_mask,"
                + "val_mask_fg_iou,val_mask_miou,val_depth_ssim,val_depth_absrel,val_depth_rmse_m,val_depth_delta1,"
                + "val_nearest_relerr,seconds\n";
        Files.writeString(dir.resolve(TrainingLog.FILE), old, StandardCharsets.UTF_8);
        TrainingLog log = new TrainingLog(dir);
        double[] terms = {0.3, 0.1, 0.05, 0.01, 0.02, 0.07, 0.03, 0.4};
        log.append(2, 500, 4000, 1.5e-4, terms, Map.of("mask_miou", 0.87, "depth_ssim", 0.88), 1219.1);

        List<String> lines = Files.readAllLines(dir.resolve(TrainingLog.FILE), StandardCharsets.UTF_8);
        assertEquals(old.strip(), lines.get(0), "header kept");
        assertEquals(lines.get(0).split(",", -1).length, lines.get(1).split(",", -1).length, "one cell per column");
        Map<String, Double> row = log.rows().get(0);
        assertEquals(0.87, row.get("val_mask_miou"), 1e-9);
        assertEquals(0.88, row.get("val_depth_ssim"), 1e-9);
        assertEquals(0.03, row.get("l1_mask"), 1e-9);
        assertEquals(1219.1, row.get("seconds"), 1e-9);
        assertFalse(row.containsKey("dice_mask_loss"));
    }

    @Test
    void aNewLogHasAColumnPerLossTerm() throws Exception {
        TrainingLog log = new TrainingLog(dir);
        double[] terms = new double[CompoundLoss.TERM_NAMES.length];
        terms[7] = 0.25;
        log.append(1, 250, 2000, 1e-4, terms, null, 10);
        Map<String, Double> row = log.rows().get(0);
        assertEquals(0.25, row.get("dice_mask_loss"), 1e-9);
        assertEquals(Double.NaN, row.get("val_mask_miou"));
    }
}
