/**
 * Frame sources (V4L2 cameras, video files, RTSP/HTTP streams, image folders, the bundled demo clip) and the
 * capture thread that reads them into pooled buffers and hands them to the pipeline through a {@link
 * io.mdeas.node.capture.FrameSlot}: latest-frame-wins for live sources, none dropped for files and folders.
 */
package io.mdeas.node.capture;
