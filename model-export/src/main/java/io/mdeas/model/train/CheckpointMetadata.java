package io.mdeas.model.train;

import java.util.Map;

/**
 * {@code checkpoint.json}: what a checkpoint is and where its run stood.
 *
 * @param architecture network architecture id ({@code MdeasNet.ARCHITECTURE})
 * @param inputSize input side the run trained at
 * @param depthEncoding depth output encoding ({@code linear} or {@code log}, see DepthEncoding)
 * @param maxDepthM metres that encoded 1.0 stands for
 * @param kind {@code latest}, {@code best-depth} or {@code best-mask}
 * @param config the run's configuration
 * @param epoch fractional epoch reached (images seen / epoch samples)
 * @param step optimiser steps taken
 * @param imagesSeen training images consumed
 * @param sampleCursor position in the data order stream (resume continues here)
 * @param completedEpochs whole epochs finished (validated and logged)
 * @param cpuSeconds process CPU time spent training, summed over resumed sessions
 * @param wallSeconds wall time spent training, summed over sessions
 * @param trainDataInfo what the training set says about itself (camera.json), if anything
 * @param valDataInfo same for the validation set
 * @param lastValidation metrics of the latest validation pass, if any
 * @param bestDepthSsim best validation depth_ssim so far (NaN before any)
 * @param bestMaskMiou best validation mask_miou so far (NaN before any)
 * @param initFrom checkpoint whose weights started this run, or null
 * @param savedAt ISO-8601 time of saving
 * @param runEpochs the run's epoch limit ({@code train --epochs}, 0 = none), which {@code --resume} keeps unless
 *     told otherwise; null in checkpoints saved before it was recorded
 * @param epochSnapshots whether the run keeps a snapshot of every epoch ({@code train --epoch-snapshots}), which
 *     {@code --resume} keeps; null in checkpoints saved before it was recorded
 */
public record CheckpointMetadata(
        String architecture,
        int inputSize,
        String depthEncoding,
        double maxDepthM,
        String kind,
        TrainConfig config,
        double epoch,
        long step,
        long imagesSeen,
        long sampleCursor,
        long completedEpochs,
        double cpuSeconds,
        double wallSeconds,
        Map<String, Object> trainDataInfo,
        Map<String, Object> valDataInfo,
        Map<String, Double> lastValidation,
        double bestDepthSsim,
        double bestMaskMiou,
        String initFrom,
        String savedAt,
        Double runEpochs,
        Boolean epochSnapshots) {}
