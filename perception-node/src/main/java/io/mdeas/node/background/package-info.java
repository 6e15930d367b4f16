/**
 * The rolling background: learnt from a quiet scene, blended slowly outside the change mask, re-initialised on a
 * global change or command, replaced by the current frame while the robot moves (depth only).
 */
package io.mdeas.node.background;
