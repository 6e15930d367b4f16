package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.mdeas.model.net.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdamTest {

    /** Gradients of sum(W·x + b) for x = (100, 200, 300) and two outputs: dW = (x; x), db = (1, 1). */
    private static final double NORM = Math.sqrt(2 * (100 * 100 + 200 * 200 + 300 * 300) + 2);

    @BeforeAll
    static void engine() {
        TorchRuntime.start(null, 1);
    }

    private static Linear backwardOnce(NDManager m) {
        Linear lin = Linear.builder().setUnits(2).build();
        lin.setInitializer(new ConstantInitializer(0.5f), Parameter.Type.WEIGHT);
        lin.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        lin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = m.create(new float[] {100, 200, 300}, new Shape(1, 3));
            NDArray y = lin.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
            gc.backward(y.sum());
        }
        return lin;
    }

    @Test
    void measuresTheGlobalGradientNormWithoutChangingIt() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Linear lin = backwardOnce(m);
            try (Adam adam = new Adam(m, lin.getParameters(), 0.5, 0.999, 1e-8)) {
                assertEquals(NORM, adam.clipGradientNorm(0), 1e-3 * NORM);
                assertEquals(NORM, adam.clipGradientNorm(2 * NORM), 1e-3 * NORM, "under the limit: untouched");
                assertEquals(NORM, adam.clipGradientNorm(0), 1e-3 * NORM);
            }
        }
    }

    @Test
    void namesTheParametersWithTheLargestGradientsLargestFirst() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Linear lin = backwardOnce(m);
            try (Adam adam = new Adam(m, lin.getParameters(), 0.5, 0.999, 1e-8)) {
                adam.clipGradientNorm(1.0);
                // |dW| = sqrt(2·(100² + 200² + 300²)) = 529, |db| = sqrt(2) = 1.41, measured before the scaling.
                assertEquals("weight 529 (100.0 %), bias 1.41 (0.0 %)", adam.largestGradients(5));
                assertEquals("weight 529 (100.0 %)", adam.largestGradients(1));
                try (NDArray b = lin.getParameters().valueAt(1).getArray().getGradient()) {
                    b.muli(Float.NaN);
                }
                adam.clipGradientNorm(0);
                assertEquals("bias NaN, weight 1.00", adam.largestGradients(2),
                        "a NaN gradient heads the list; no shares of a NaN total");
            }
        }
    }

    @Test
    void scalesGradientsOverTheLimitDownToIt() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Linear lin = backwardOnce(m);
            try (Adam adam = new Adam(m, lin.getParameters(), 0.5, 0.999, 1e-8)) {
                assertEquals(NORM, adam.clipGradientNorm(1.0), 1e-3 * NORM, "returns the norm before scaling");
                assertEquals(1.0, adam.clipGradientNorm(0), 1e-4);
                // Direction kept: the bias gradient stays 1/100 of the first weight's.
                NDArray w = lin.getParameters().valueAt(0).getArray().getGradient();
                NDArray b = lin.getParameters().valueAt(1).getArray().getGradient();
                assertEquals(100 * b.getFloat(0), w.getFloat(0, 0), 1e-4);
            }
        }
    }

    @Test
    void discardedGradientsLeaveTheWeightsAndTheNextStepClean() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Linear lin = backwardOnce(m);
            try (Adam adam = new Adam(m, lin.getParameters(), 0.5, 0.999, 1e-8)) {
                NDArray w = lin.getParameters().valueAt(0).getArray();
                float before = w.getFloat(0, 0);
                assertFalse(Adam.scales(Double.NaN, 1.0), "a NaN norm cannot be scaled");
                assertFalse(Adam.scales(Double.POSITIVE_INFINITY, 1.0));
                assertTrue(Adam.scales(2.0, 1.0));
                assertFalse(Adam.scales(2.0, 0), "0 = no limit");
                adam.discardGradients();
                assertEquals(0, adam.clipGradientNorm(0), 0, "nothing carried into the next backward pass");
                assertEquals(before, w.getFloat(0, 0), 0, "no update");
                assertEquals(0, adam.step());
            }
        }
    }
}
