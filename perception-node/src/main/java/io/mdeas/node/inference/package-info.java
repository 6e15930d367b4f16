/**
 * The MDEAS network in ONNX Runtime: one session, execution providers tried in order, inputs and outputs in
 * direct buffers allocated once, the model contract checked at load.
 */
package io.mdeas.node.inference;
