/**
 * {@code perception-node bench}: the bare model and the full pipeline measured on the same frames in one run
 * ({@link io.mdeas.node.bench.ModelBenchmark}, {@link io.mdeas.node.bench.PipelineBench}), reported as one JSON
 * object ({@link io.mdeas.node.bench.BenchReport}). Sources are read unpaced, as fast as they decode.
 */
package io.mdeas.node.bench;
