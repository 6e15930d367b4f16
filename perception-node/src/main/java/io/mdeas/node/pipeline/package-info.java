/**
 * The running node: capture thread → frame slot → pipeline thread (background → preprocess → inference →
 * analysis → tracking → sinks), its metrics, status and commands.
 */
package io.mdeas.node.pipeline;
