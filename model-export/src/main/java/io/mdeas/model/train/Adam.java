package io.mdeas.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adam over a network's trainable parameters, written here (not DJL's) so that its state — first and second
 * moments per parameter and the step count — can be saved and restored exactly. Update, per parameter with
 * gradient g at step t (from 1):
 *
 * <pre>
 * m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
 * p = p − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * </pre>
 *
 * (PyTorch's {@code torch.optim.Adam} without weight decay). Gradients are zeroed after each update.
 */
public final class Adam implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final NDManager stateManager;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    /** Each parameter's sum of squared gradients at the last {@link #clipGradientNorm}, before any scaling. */
    private final double[] lastSquares;
    private long step;

    /**
     * @param parent manager that owns the moment arrays (via a sub-manager closed with this optimiser)
     * @param namedParameters all parameters of the network; those that do not require a gradient are skipped
     */
    public Adam(NDManager parent, Iterable<Pair<String, Parameter>> namedParameters, double beta1, double beta2,
            double epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.stateManager = parent.newSubManager();
        for (Pair<String, Parameter> p : namedParameters) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            names.add(p.getKey());
            parameters.add(p.getValue());
            NDArray w = p.getValue().getArray();
            first.add(stateManager.zeros(w.getShape(), w.getDataType()));
            second.add(stateManager.zeros(w.getShape(), w.getDataType()));
        }
        lastSquares = new double[parameters.size()];
    }

    /** Number of updates applied so far. */
    public long step() {
        return step;
    }

    /**
     * The global L2 norm of all gradients of the last backward pass. Where it exceeds {@code maxNorm} (> 0), every
     * gradient is first scaled by maxNorm / norm (as {@code torch.nn.utils.clip_grad_norm_}): with β1 = 0.5 and
     * β2 = 0.999 one outlying batch can otherwise move the weights up to (1 − β1) / √(1 − β2) ≈ 16 times lr per
     * weight, many usual steps (session 13 saw a loss spike at 7.5e-6 ruin the depth head for the rest of an
     * epoch). Call between the backward pass and {@link #update}.
     *
     * @param maxNorm the limit; 0 or less only measures
     * @return the norm before any scaling
     */
    public double clipGradientNorm(double maxNorm) {
        double sumSquares = 0;
        for (int i = 0; i < parameters.size(); i++) {
            try (NDArray g = parameters.get(i).getArray().getGradient();
                    NDArray squares = g.square();
                    NDArray sum = squares.sum()) {
                lastSquares[i] = sum.getFloat();
                sumSquares += lastSquares[i];
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (scales(norm, maxNorm)) {
            float scale = (float) (maxNorm / norm);
            for (Parameter p : parameters) {
                try (NDArray g = p.getArray().getGradient()) {
                    g.muli(scale);
                }
            }
        }
        return norm;
    }

    /**
     * The {@code k} parameters with the largest gradient norms at the last {@link #clipGradientNorm} (before any
     * scaling), largest first, as {@code name norm (share of the squared global norm)}: for the log line of an
     * outlying step, so that a gradient explosion names the layer it comes from. A norm that is not finite sorts
     * first.
     */
    public String largestGradients(int k) {
        double total = 0;
        for (double sq : lastSquares) {
            total += sq;
        }
        Integer[] order = new Integer[lastSquares.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Double.compare ranks NaN above +Inf: a non-finite gradient heads the list.
        Arrays.sort(order, (a, b) -> Double.compare(lastSquares[b], lastSquares[a]));
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < Math.min(k, order.length); r++) {
            double sq = lastSquares[order[r]];
            if (r > 0) {
                out.append(", ");
            }
            out.append(names.get(order[r])).append(' ').append(String.format(Locale.ROOT, "%.3g", Math.sqrt(sq)));
            if (Double.isFinite(total) && total > 0) {
                out.append(String.format(Locale.ROOT, " (%.1f %%)", 100 * sq / total));
            }
        }
        return out.toString();
    }

    /**
     * Whether {@link #clipGradientNorm} scales gradients of this norm down to {@code maxNorm}; a norm that is not
     * finite cannot be scaled to anything (see {@link #discardGradients}).
     */
    public static boolean scales(double norm, double maxNorm) {
        return maxNorm > 0 && norm > maxNorm && Double.isFinite(norm);
    }

    /**
     * Drops the last backward pass's gradients without an update: the step to take instead of {@link #update} when
     * their norm is not finite, since one NaN or infinite gradient would make every weight it reaches NaN for good.
     */
    public void discardGradients() {
        for (Parameter p : parameters) {
            try (NDArray g = p.getArray().getGradient()) {
                g.muli(0f);
            }
        }
    }

    /** Applies one update with learning rate {@code lr} from the gradients of the last backward pass. */
    public void update(double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr * Math.sqrt(bc2) / bc1);
        float eps = (float) (epsilon * Math.sqrt(bc2));
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            NDArray m = first.get(i);
            NDArray v = second.get(i);
            try (NDArray g = w.getGradient();
                    NDArray gm = g.mul((float) (1 - beta1));
                    NDArray gv = g.square()) {
                m.muli((float) beta1).addi(gm);
                v.muli((float) beta2).addi(gv.muli((float) (1 - beta2)));
                g.muli(0f);
            }
            try (NDArray denom = v.sqrt().addi(eps);
                    NDArray delta = m.div(denom)) {
                w.subi(delta.muli(stepSize));
            }
        }
    }

    /** The state as named float arrays: {@code m/<param>}, {@code v/<param>}, in parameter order. */
    public Map<String, TensorFile.Tensor> state() {
        Map<String, TensorFile.Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put("m/" + names.get(i), TensorFile.Tensor.of(first.get(i)));
            out.put("v/" + names.get(i), TensorFile.Tensor.of(second.get(i)));
        }
        return out;
    }

    /** Restores moments saved by {@link #state()} and the step count. */
    public void restore(Map<String, TensorFile.Tensor> state, long stepCount) {
        for (int i = 0; i < names.size(); i++) {
            TensorFile.Tensor m = state.get("m/" + names.get(i));
            TensorFile.Tensor v = state.get("v/" + names.get(i));
            if (m == null || v == null) {
                throw new IllegalArgumentException("optimiser state lacks moments for parameter " + names.get(i));
            }
            m.copyInto(first.get(i), "m/" + names.get(i));
            v.copyInto(second.get(i), "v/" + names.get(i));
        }
        this.step = stepCount;
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
