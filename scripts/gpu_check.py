#!/usr/bin/env python3
"""GPU check of the exported MDEAS ONNX model, for a machine with PyTorch + CUDA and no Java.

The device machines this project is sometimes lent carry PyTorch with CUDA and ONNX Runtime for the CPU only (no
onnxruntime-gpu, no TensorRT), so the ONNX graph itself is executed on the GPU by a small interpreter of the
operators the exporter emits (Conv, BatchNormalization, Relu, Add, Mul, MaxPool, Resize, DepthToSpace, Concat,
Clip, Exp, Sigmoid, Cast) on cuDNN kernels, and compared with ONNX Runtime's CPU result on the same real inputs.
That answers what the node's TensorRT/CUDA providers would change before a robot runs them: how far depth (metres)
and mask move under TF32, fp16 and bf16 arithmetic, whether the fp16-weight file holds, and what a GPU frame costs.

    python3 scripts/gpu_check.py --model mdeas.onnx --data DATASET_DIR [--count 64] [--device cuda] \
        [--modes fp32,tf32,fp16w,fp16,bf16] [--json OUT.json]

Modes: fp32 (TF32 off), tf32 (cuDNN's TF32 convolutions, PyTorch's and TensorRT's default on Ampere and later),
fp16w (weights rounded to float16, float32 arithmetic: what `export --fp16` stores), fp16 and bf16 (weights and
activations in that type: TensorRT's fp16 mode), fp16sim (weights, inputs and every node's output rounded to
float16 — overflow becomes inf — with float32 arithmetic inside each operator: an fp16 engine's storage with fp32
accumulation, and the way to check fp16 on a CPU, where PyTorch has no float16 convolution).

DATASET_DIR is in ../shared/DATASET.md's layout (index.csv, bg/, fg_bg/, mask/, depth/); the metrics against its
ground truth follow DATASET.md's definitions (mask_miou, mask_fg_iou, depth_absrel, depth_delta1), so they can be
set beside `model-export evaluate` on the same samples.
"""
import argparse
import csv
import hashlib
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from PIL import Image

MASK_LIMIT = 1e-4   # the fp32 parity limits (verify), used here as the yardstick for each arithmetic
DEPTH_LIMIT_M = 1e-3


def load_samples(root, count):
    """The first `count` rows of index.csv as uint8 NCHW RGB inputs and their ground truth (mask bool, depth m)."""
    with open(os.path.join(root, "index.csv"), newline="") as f:
        rows = list(csv.DictReader(f))[:count]
    if not rows:
        sys.exit(f"gpu_check: {root}/index.csv lists no samples; pass a dataset folder in DATASET.md's layout")

    def rgb(p):
        return np.asarray(Image.open(os.path.join(root, p)).convert("RGB"), dtype=np.uint8).transpose(2, 0, 1)

    bg = np.stack([rgb(r["bg"]) for r in rows])
    fg = np.stack([rgb(r["fg_bg"]) for r in rows])
    mask = np.stack([np.asarray(Image.open(os.path.join(root, r["mask"])).convert("L")) >= 128 for r in rows])
    depth = np.stack([np.asarray(Image.open(os.path.join(root, r["depth"])), dtype=np.float32) / 1000.0
                      if r.get("depth") else np.zeros(mask.shape[1:], np.float32) for r in rows])
    return bg, fg, mask, depth


class OnnxGraphOnTorch:
    """Executes the exporter's ONNX graph node by node with PyTorch operators, in one compute dtype."""

    def __init__(self, path, device, dtype, weights_dtype=None, store_dtype=None):
        model = onnx.load(path)
        self.device, self.dtype, self.store_dtype = device, dtype, store_dtype
        self.nodes = list(model.graph.node)
        self.outputs = [o.name for o in model.graph.output]
        self.values, self.host = {}, {}
        for t in model.graph.initializer:
            a = numpy_helper.to_array(t)
            if a.size <= 4:  # scales and clip bounds, read on the host so a CUDA graph captures no copy
                self.host[t.name] = a.astype(np.float64)
            tensor = torch.from_numpy(np.array(a, copy=True))
            if weights_dtype is not None and tensor.is_floating_point():
                tensor = tensor.to(weights_dtype)
            # Every float initializer is computed in the dtype under test (after rounding to weights_dtype).
            self.values[t.name] = tensor.to(device, dtype) if tensor.is_floating_point() else tensor.to(device)
        # attributes and host-side inputs per node, read once rather than on every call
        self.node_attrs = [self.attrs(n) for n in self.nodes]
        self.node_host = [[self.host.get(i) for i in n.input] for n in self.nodes]
        ops = sorted({n.op_type for n in self.nodes})
        unknown = [o for o in ops if not hasattr(self, "op_" + o)]
        if unknown:
            raise SystemExit(f"gpu_check: {path} uses operators this interpreter does not run: {unknown}")
        self.ops = ops

    @staticmethod
    def attrs(node):
        return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}

    @torch.no_grad()
    def __call__(self, bg, fg_bg, peaks=None, clipped=None):
        """The graph's outputs; with a dict `peaks`, also the largest |value| each node produced (kept across calls);
        with a list `clipped`, the number of depth pixels per frame that the decoder's Clip cut (depth saturated at
        its 5 cm or 10 m limit) is appended."""
        env = dict(self.values)
        env["bg"], env["fg_bg"] = self.stored(bg.to(self.dtype)), self.stored(fg_bg.to(self.dtype))
        for n, attrs, host in zip(self.nodes, self.node_attrs, self.node_host):
            ins = [env[i] if i else None for i in n.input]
            out = self.stored(getattr(self, "op_" + n.op_type)(ins, attrs, host))
            env[n.output[0]] = out
            if peaks is not None:
                peaks[n.output[0]] = max(peaks.get(n.output[0], 0.0), out.abs().max().item())
            if clipped is not None and n.op_type == "Clip":
                cut = (ins[0] < float(host[1])) | (ins[0] > float(host[2]))
                clipped.extend(cut.flatten(1).sum(1).tolist())
        return {o: env[o].float() for o in self.outputs}

    def stored(self, t):
        """A node output as the engine would keep it: rounded to store_dtype (inf where it overflows) when set."""
        return t if self.store_dtype is None else t.to(self.store_dtype).to(self.dtype)

    def op_Conv(self, ins, a, host):
        x, w = ins[0], ins[1]
        b = ins[2] if len(ins) > 2 else None
        t, l, bo, r = a.get("pads", [0, 0, 0, 0])
        if (t, l) != (bo, r):
            x, t, l = F.pad(x, (l, r, t, bo)), 0, 0
        return F.conv2d(x, w, b, stride=tuple(a.get("strides", [1, 1])), padding=(t, l),
                        dilation=tuple(a.get("dilations", [1, 1])), groups=a.get("group", 1))

    def op_BatchNormalization(self, ins, a, host):
        x, scale, shift, mean, var = ins
        return F.batch_norm(x, mean, var, scale, shift, False, 0.0, a.get("epsilon", 1e-5))

    def op_Relu(self, ins, a, host):
        return F.relu(ins[0])

    def op_Sigmoid(self, ins, a, host):
        return torch.sigmoid(ins[0])

    def op_Exp(self, ins, a, host):
        return torch.exp(ins[0])

    def op_Add(self, ins, a, host):
        return ins[0] + ins[1]

    def op_Mul(self, ins, a, host):
        return ins[0] * ins[1]

    def op_MaxPool(self, ins, a, host):
        return F.max_pool2d(ins[0], tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])))

    def op_Resize(self, ins, a, host):
        # PyTorch's "nearest" is ONNX's asymmetric coordinates with floor rounding, which is what the exporter writes.
        if a.get("mode", b"nearest") not in (b"nearest", "nearest"):
            raise SystemExit(f"gpu_check: Resize mode {a['mode']} is not the exporter's nearest")
        scales = host[2].tolist()
        return F.interpolate(ins[0], scale_factor=(scales[2], scales[3]), mode="nearest")

    def op_DepthToSpace(self, ins, a, host):
        if a.get("mode", b"DCR") not in (b"CRD", "CRD"):
            raise SystemExit("gpu_check: DepthToSpace is not CRD; pixel_shuffle would be wrong")
        return F.pixel_shuffle(ins[0], a["blocksize"])

    def op_Concat(self, ins, a, host):
        return torch.cat(ins, dim=a["axis"])

    def op_Clip(self, ins, a, host):
        lo = host[1] if len(host) > 1 else None
        hi = host[2] if len(host) > 2 else None
        return torch.clamp(ins[0], min=None if lo is None else float(lo), max=None if hi is None else float(hi))

    def op_Cast(self, ins, a, host):
        return ins[0].to(self.dtype)

    def op_Constant(self, ins, a, host):
        return torch.from_numpy(numpy_helper.to_array(a["value"]).copy()).to(self.device, self.dtype)


def ort_outputs(path, bg, fg, batch):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = os.cpu_count() or 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    depth, mask = [], []
    for i in range(0, len(bg), batch):
        o = s.run(["depth", "mask"], {"bg": bg[i:i + batch], "fg_bg": fg[i:i + batch]})
        depth.append(o[0])
        mask.append(o[1])
    t = []
    for _ in range(20):
        t0 = time.perf_counter()
        s.run(["depth", "mask"], {"bg": bg[:1], "fg_bg": fg[:1]})
        t.append(time.perf_counter() - t0)
    return np.concatenate(depth)[:, 0], np.concatenate(mask)[:, 0], float(np.median(t) * 1e3)


def metrics(depth, mask, gt_mask, gt_depth):
    """DATASET.md's mask_miou, mask_fg_iou, depth_absrel and depth_delta1 (per image, then the mean)."""
    miou, fg_iou, absrel, delta1 = [], [], [], []
    for d, m, gm, gd in zip(depth, mask >= 0.5, gt_mask, gt_depth):
        def iou(p, g):
            u = np.logical_or(p, g).sum()
            return 1.0 if u == 0 else np.logical_and(p, g).sum() / u
        f = iou(m, gm)
        fg_iou.append(f)
        miou.append((f + iou(~m, ~gm)) / 2)
        v = gd > 0
        if v.any():
            dv = np.maximum(d[v], 1e-6)
            absrel.append(float(np.mean(np.abs(dv - gd[v]) / gd[v])))
            delta1.append(float(np.mean(np.maximum(dv / gd[v], gd[v] / dv) < 1.25)))
    return {"mask_miou": float(np.mean(miou)), "mask_fg_iou": float(np.mean(fg_iou)),
            "depth_absrel": float(np.mean(absrel)) if absrel else None,
            "depth_delta1": float(np.mean(delta1)) if delta1 else None}


def deviation(depth, mask, ref_depth, ref_mask):
    dd, dm = np.abs(depth - ref_depth), np.abs(mask - ref_mask)
    return {"depth_max_m": float(dd.max()), "depth_mean_m": float(dd.mean()),
            "depth_p999_m": float(np.quantile(dd, 0.999)),
            "depth_share_over_1cm": float(np.mean(dd > 0.01)),
            "depth_max_rel": float(np.max(dd / np.maximum(ref_depth, 1e-3))),
            "mask_max": float(dm.max()), "mask_mean": float(dm.mean()),
            "mask_flips_share": float(np.mean((mask >= 0.5) != (ref_mask >= 0.5))),
            "parity_limits_hold": bool(dd.max() <= DEPTH_LIMIT_M and dm.max() <= MASK_LIMIT)}


def latency(run, bg, fg, batch, graphs):
    """Median GPU milliseconds per call, eager (per-op Python dispatch) or replayed as one CUDA graph."""
    x, y = bg[:batch].contiguous(), fg[:batch].contiguous()
    sync = torch.cuda.synchronize
    fn = lambda: run(x, y)
    if graphs:
        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            for _ in range(3):
                run(x, y)
        torch.cuda.current_stream().wait_stream(s)
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            run(x, y)
        fn = g.replay
    for _ in range(10):
        fn()
    sync()
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return float(np.median(times) * 1e3)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--count", type=int, default=64)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--modes", default="fp32,tf32,fp16w,fp16,bf16")
    p.add_argument("--json")
    args = p.parse_args()

    device = torch.device(args.device)
    torch.backends.cudnn.benchmark = True  # the fastest kernel per shape, as a deployed engine would pick
    report = {"torch": torch.__version__, "onnx": onnx.__version__, "device": str(device),
              "model": os.path.basename(args.model), "samples": args.count}
    with open(args.model, "rb") as f:  # names the exact file checked: deploy profiles enable fp16 per model hash
        report["model_sha256"] = hashlib.sha256(f.read()).hexdigest()
    if device.type == "cuda":
        report["gpu"] = torch.cuda.get_device_name(device)
        report["cudnn"] = torch.backends.cudnn.version()
    try:
        import onnxruntime as ort
        report["onnxruntime"] = ort.__version__
        report["ort_providers"] = ort.get_available_providers()
    except ImportError:
        ort = None
    print(json.dumps(report), flush=True)

    bg8, fg8, gt_mask, gt_depth = load_samples(args.data, args.count)
    bg_np, fg_np = bg8.astype(np.float32) / 255.0, fg8.astype(np.float32) / 255.0

    results = {}
    if ort is not None:
        ref_depth, ref_mask, ms = ort_outputs(args.model, bg_np, fg_np, args.batch)
        results["ort_cpu_fp32"] = {"vs_truth": metrics(ref_depth, ref_mask, gt_mask, gt_depth), "batch1_ms": ms}
        reference = "ort_cpu_fp32"
    else:
        ref_depth = ref_mask = None
        reference = "torch_fp32 (onnxruntime not installed)"
    report["reference"] = reference

    # mode -> (arithmetic dtype, dtype the weights are rounded to first, dtype every node output is rounded to)
    modes = {"fp32": (torch.float32, None, None), "tf32": (torch.float32, None, None),
             "fp16w": (torch.float32, torch.float16, None), "fp16": (torch.float16, None, None),
             "bf16": (torch.bfloat16, None, None), "fp16sim": (torch.float32, torch.float16, torch.float16)}
    bg_t, fg_t = torch.from_numpy(bg_np).to(device), torch.from_numpy(fg_np).to(device)
    for mode in args.modes.split(","):
        name = f"torch_{device.type}_{mode}"
        try:
            torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = (mode == "tf32")
            run = OnnxGraphOnTorch(args.model, device, *modes[mode])
            # fp16 headroom: the largest activation of the float32 graph against fp16's largest finite 65,504
            peaks, clipped = ({}, []) if mode == "fp32" else (None, None)
            outs = [run(bg_t[i:i + args.batch], fg_t[i:i + args.batch], peaks, clipped)
                    for i in range(0, args.count, args.batch)]
            if peaks:
                top = sorted(peaks.items(), key=lambda kv: -kv[1])[:5]
                report["fp32_peak_activations"] = [{"node": k, "max_abs": v} for k, v in top]
                report["fp16_overflow_nodes"] = sum(v > 65504 for v in peaks.values())
                # frames with more than 100 depth pixels at a clip limit: the exploding-activation symptom
                report["saturated_frames"] = [i for i, c in enumerate(clipped) if c > 100]
            depth = torch.cat([o["depth"] for o in outs]).cpu().numpy()[:, 0]
            mask = torch.cat([o["mask"] for o in outs]).cpu().numpy()[:, 0]
            r = {"vs_truth": metrics(depth, mask, gt_mask, gt_depth)}
            if ref_depth is None:
                ref_depth, ref_mask = depth, mask
            r["vs_reference"] = deviation(depth, mask, ref_depth, ref_mask)
            if device.type == "cuda":  # a CPU run only checks the interpreter; ONNX Runtime is the CPU's timing
                r["latency_ms"] = {}
                # batch 2 is model.mirror_average's run (each frame with its mirror image)
                for b in sorted({1, 2, args.batch}):
                    for g in (False, True):
                        try:
                            r["latency_ms"][f"batch{b}_{'graph' if g else 'eager'}"] = latency(run, bg_t, fg_t, b, g)
                        except Exception as e:  # keep the accuracy figures when a timing mode fails
                            r["latency_error"] = f"{type(e).__name__}: {e}"
            results[name] = r
        except Exception as e:  # one arithmetic failing must not hide the others' numbers
            results[name] = {"error": f"{type(e).__name__}: {e}"}
        print(name, json.dumps(results[name]), flush=True)

    report["results"] = results
    if "fp32_peak_activations" in report:
        print("\nlargest fp32 activations:", ", ".join(f"{p['node']} {p['max_abs']:.3g}"
                                                   for p in report["fp32_peak_activations"]),
              f"({report['fp16_overflow_nodes']} node outputs exceed fp16's 65504); frames with > 100 depth pixels "
              f"at a clip limit: {len(report['saturated_frames'])} of {args.count} {report['saturated_frames']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    print("\n| run | max |Δdepth| m | mean |Δdepth| m | pixels > 1 cm | max |Δmask| | mask flips | mIoU | AbsRel | "
          "δ1 | batch 1 ms (graph) | batch %d ms (graph) |" % args.batch)
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        if "error" in r:
            print(f"| {name} | {r['error']} |")
            continue
        v, t, lat = r.get("vs_reference", {}), r["vs_truth"], r.get("latency_ms", {})
        cell = lambda k, f="{:.2e}": f.format(v[k]) if k in v else "reference"
        print(f"| {name} | {cell('depth_max_m')} | {cell('depth_mean_m')} | {cell('depth_share_over_1cm', '{:.2%}')} | "
              f"{cell('mask_max')} | {cell('mask_flips_share', '{:.3%}')} | {t['mask_miou']:.4f} | "
              f"{t['depth_absrel']:.4f} | {t['depth_delta1']:.4f} | "
              f"{lat.get('batch1_graph', lat.get('batch1_eager', r.get('batch1_ms', float('nan')))):.2f} | "
              f"{lat.get(f'batch{args.batch}_graph', lat.get(f'batch{args.batch}_eager', float('nan'))):.2f} |")


if __name__ == "__main__":
    main()
