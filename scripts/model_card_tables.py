#!/usr/bin/env python3
"""Prints the metric tables of model-export/MODEL_CARD.md from the evaluation files scripts/ship-model.sh leaves in
model-export/eval/ (so the card's numbers are generated, never typed):
    python3 scripts/model_card_tables.py [EVAL_DIR]
"""
import csv
import json
import os
import sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "model-export", "eval")

# Issue 3's targets (the original MDEAS: 98.0 % mask mIoU, 93.27 % depth SSIM, to be beaten) and the direction.
TARGETS = [("mask_fg_iou", ">=", 0.90), ("mask_miou", ">=", 0.98), ("depth_ssim", ">=", 0.94),
           ("depth_absrel", "<=", 0.12), ("depth_rmse_m", None, None), ("depth_delta1", ">=", 0.90),
           ("nearest_relerr", "<=", 0.10)]


def load(name):
    p = os.path.join(d, name)
    return json.load(open(p)) if os.path.exists(p) else None


def num(v):
    return "n/a" if v is None or (isinstance(v, float) and v != v) else f"{v:.4f}"


def met(v, op, target):
    if op is None or v is None or (isinstance(v, float) and v != v):
        return ""
    return "yes" if (v >= target if op == ">=" else v <= target) else "no"


def table(prefix, title):
    model, base = load(f"{prefix}-model.json"), load(f"{prefix}-absdiff.json")
    if model is None:
        return []
    ci = model.get("ci95") or {}
    rows = [f"{title}:", "", "| metric | model (ONNX) | 95 % interval | absdiff baseline | target | met | beats absdiff |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for key, op, target in TARGETS:
        m = model.get(key)
        b = (base or {}).get(key)
        if m is None and b is None:
            continue  # e.g. depth on a set without metric depth
        beats = ""
        if b is not None and m is not None and not (isinstance(b, float) and b != b):
            beats = "yes" if m > b else "no"
        i = ci.get(key)
        interval = f"{i['lo']:.4f}–{i['hi']:.4f}" if i else ""
        rows.append(f"| `{key}` | {num(m)} | {interval} | {num(b)} | {'' if op is None else op + ' ' + str(target)} | "
                    f"{met(m, op, target)} | {beats} |")
    return rows + [""]


out = []
out += table("test224", "Rendered test split of the model's camera mount (`test224r`: 1,000 samples, 224×224, seed 990000, "
                        "test split, evaluated at the model's input size)")
out += table("test224wide", "Rendered test split of any floor-robot mount (`test224`: 1,000 samples, seed 990000, camera "
                            "0.05–0.40 m, pitch −20–0°, hfov 55–90°, square)")
def breakdown(prefix, title):
    """Mask metrics by the ground truth's foreground share (evaluate's by_foreground_share), model beside absdiff."""
    model, base = load(f"{prefix}-model.json"), load(f"{prefix}-absdiff.json")
    if not model or "by_foreground_share" not in model:
        return []
    base_bins = {b["share"]: b for b in (base or {}).get("by_foreground_share", [])}
    rows = [f"{title}:", "", "| foreground share | samples | model fg IoU | absdiff fg IoU | model mIoU | absdiff mIoU |",
            "| --- | --- | --- | --- | --- | --- |"]
    for b in model["by_foreground_share"]:
        a = base_bins.get(b["share"], {})
        rows.append(f"| {b['share']} | {b['samples']} | {num(b['mask_fg_iou'])} | {num(a.get('mask_fg_iou'))} | "
                    f"{num(b['mask_miou'])} | {num(a.get('mask_miou'))} |")
    return rows + [""]


out += breakdown("test224", "The robot-mount test split by the ground truth's foreground share of the image "
                            "(`none`: no foreground; fg IoU is 1 there when nothing is predicted)")
def depth_breakdown(prefix, title):
    """Depth by ground-truth region, true and predicted distance, depth edges (evaluate's depth_by_* tables)."""
    model = load(f"{prefix}-model.json")
    if not model or "depth_by_range" not in model:
        return []
    rows = [f"{title}:", "", "| pixels | share of pixels | AbsRel | δ1 | bias: mean ln(predicted / true) |",
            "| --- | --- | --- | --- | --- |"]
    for r in model["depth_by_region"]:
        rows.append(f"| {r['region']} (mean over {r['samples']} images) | | {num(r['depth_absrel'])} | "
                    f"{num(r['depth_delta1'])} | |")
    for r in model["depth_by_range"]:
        span = f"true depth ≥ {r['from_m']:g} m" if r["to_m"] is None else f"true depth {r['from_m']:g}–{r['to_m']:g} m"
        rows.append(f"| {span} | {100 * r['pixel_share']:.1f} % | {num(r['depth_absrel'])} | "
                    f"{num(r['depth_delta1'])} | {num(r['mean_log_ratio'])} |")
    # By predicted distance: bias near 0 here while it is large by true distance means regression to the mean.
    for r in model.get("depth_by_predicted_range", []):
        span = (f"predicted ≥ {r['from_m']:g} m" if r["to_m"] is None
                else f"predicted {r['from_m']:g}–{r['to_m']:g} m")
        rows.append(f"| {span} | {100 * r['pixel_share']:.1f} % | {num(r['depth_absrel'])} | "
                    f"{num(r['depth_delta1'])} | {num(r['mean_log_ratio'])} |")
    for r in model.get("depth_by_edge", []):
        what = ("within 2 px of a true depth step > 1.25×" if r["region"] == "edges" else "away from depth steps")
        rows.append(f"| {r['region']}: {what} ({100 * r['absrel_share']:.0f} % of the pooled AbsRel) | "
                    f"{100 * r['pixel_share']:.1f} % | {num(r['depth_absrel'])} | {num(r['depth_delta1'])} | |")
    # Each image at its median true/predicted ratio: what is left is shape error, the rest was overall scale.
    a = model.get("depth_scale_aligned")
    if a and a.get("samples"):
        rows.append(f"| all, each image scaled by its median true/predicted ratio (mean over {a['samples']} images; "
                    f"SD of that ratio's log {num(a['log_scale_sd'])}) | | {num(a['depth_absrel'])} | "
                    f"{num(a['depth_delta1'])} | {num(a['log_scale_mean'])} |")
    return rows + [""]


out += depth_breakdown("test224", "Where the depth error sits on the robot-mount test split (foreground/background: "
                                  "per-image means over the true mask's pixels and the rest; distance ranges: all "
                                  "valid pixels pooled)")
out += table("eva4", "Real photos (`../shared/data/eva4-fgbg-samples`, mask metrics only: no metric depth there)")


def load_paired(name):
    """A `compare --csv` file as {metric: row}, or None when it is not there."""
    p = os.path.join(d, name)
    return {r["metric"]: r for r in csv.DictReader(open(p))} if os.path.exists(p) else None


def verdict(r):
    """A `compare` row's verdict in the tables' words."""
    return "within noise" if r["verdict"] == "same" else r["verdict"]


def difference(r, pairs=True):
    """A `compare` row's difference with its 95 % interval (and the number of pairs)."""
    tail = f", {r['pairs']} pairs" if pairs else ""
    return f"{float(r['difference']):+.4f} ({float(r['ci_lo']):+.4f}..{float(r['ci_hi']):+.4f}{tail})"


def paired_cells(key, r, op, target):
    """The first seven cells of a paired row: metric, base, candidate, difference with its interval, verdict, target,
    whether the candidate meets it."""
    base, cand = float(r["base"]), float(r["candidate"])
    return (f"| `{key}` | {base:.4f} | {cand:.4f} | {difference(r)} | {verdict(r)} | "
            f"{'' if op is None else op + ' ' + str(target)} | {met(cand, op, target)} |")


def paired_header(title, candidate, extra):
    """Title, blank line and header rows of a paired table: the seven cells of paired_cells, then the extra columns."""
    cols = ["metric", "plain", candidate, "paired difference (95 %)", "verdict", "target", "met"] + extra
    return [title, "", "| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]


def mirror_table():
    """The same file run with model.mirror_average (the robot profile's setting) beside its plain run: the test split
    paired (compare-mirror.csv), the any-mount split and the real photos as plain numbers."""
    paired = load_paired("compare-mirror.csv")
    if paired is None:
        return []
    wide, wide_m = load("test224wide-model.json"), load("test224wide-model-mirror.json")
    eva, eva_m = load("eva4-model.json"), load("eva4-model-mirror.json")
    rows = paired_header("The same file run as the node runs it on a GPU (`model.mirror_average: auto`, on with "
                         "TensorRT/CUDA: each frame and its left-right mirror image in one batch of two, the mirror's "
                         "answer mirrored back and averaged; `evaluate --mirror-average`, paired against the plain run "
                         "on the same 1,000 test images):", "mirror-averaged",
                         ["any-mount split: plain → averaged", "eva4 photos: plain → averaged"])
    for key, op, target in TARGETS:
        r = paired.get(key)
        if r is None:
            continue
        other = []
        for plain, mirrored in ((wide, wide_m), (eva, eva_m)):
            pv, mv = (plain or {}).get(key), (mirrored or {}).get(key)
            other.append("" if pv is None or mv is None else f"{num(pv)} → {num(mv)}")
        rows.append(f"{paired_cells(key, r, op, target)} {other[0]} | {other[1]} |")
    return rows + [""]


out += mirror_table()


def floor_table():
    """The node's depth after its floor anchor (depth.floor_anchor, on by default) beside the network's own: the test
    split paired (compare-floor.csv), with mirror averaging too, and the any-mount split with the node's default
    correction limit and with 4x allowed. Depth measures only: the anchor does not touch the mask."""
    paired = load_paired("compare-floor.csv")
    if paired is None:
        return []
    both = load("test224-model-mirror-floor.json")
    wide, wide_f, wide_f4 = (load("test224wide-model.json"), load("test224wide-model-floor.json"),
                             load("test224wide-model-floor4.json"))
    rows = paired_header("The same file's depth after the node's floor anchor (`depth.floor_anchor: true`, the "
                         "default: each depth map divided by the median ratio of predicted to floor depth over its "
                         "unchanged pixels whose floor, from the configured camera mount, is within 3 m; `evaluate "
                         "--floor-anchor` with each test sample's own mount from `index.csv`, paired against the plain "
                         "run on the same 1,000 test images):", "floor-anchored",
                         ["mirror-averaged and floor-anchored",
                          "any-mount split: plain → anchored (limit 1.5×) → anchored (limit 4×)"])
    for key, op, target in TARGETS:
        r = paired.get(key)
        if r is None or not key.startswith(("depth", "nearest")):
            continue
        bv = (both or {}).get(key)
        wv = [(m or {}).get(key) for m in (wide, wide_f, wide_f4)]
        wide_text = "" if None in wv else " → ".join(num(v) for v in wv)
        rows.append(f"{paired_cells(key, r, op, target)} "
                    f"{'' if bv is None else num(bv)} | {wide_text} |")
    counts = []
    for name, label in (("test224-model-floor.json", "test split"), ("test224wide-model-floor.json", "any mount, limit 1.5×"),
                        ("test224wide-model-floor4.json", "any mount, limit 4×")):
        m = load(name)
        if m and "floor_anchor_samples_rescaled" in m:
            counts.append(f"{label} {m['floor_anchor_samples_rescaled']:,}")
    if counts:
        rows += ["", "Images rescaled by their floor, of 1,000: " + "; ".join(counts) + " (the rest kept the network's "
                 "scale: too little floor in view, or more correction than the limit)."]
    return rows + [""]


out += floor_table()

def edges_table():
    """The node's mask after its edge refinement (mask.edge_refine, on by default) beside the network's own: the test
    split paired (compare-edges.csv), the node's full GPU configuration, the absdiff baseline given the same
    refinement, and the real photos. Mask measures only: the refinement does not touch depth."""
    paired = load_paired("compare-edges.csv")
    if paired is None:
        return []
    node_gpu = load("test224-model-mirror-edges-floor.json")
    absdiff, absdiff_e = load("test224-absdiff.json"), load("test224-absdiff-edges.json")
    eva, eva_e, eva_a, eva_ae = (load("eva4-model.json"), load("eva4-model-edges.json"), load("eva4-absdiff.json"),
                                 load("eva4-absdiff-edges.json"))
    rows = paired_header("The same file's mask after the node's edge refinement (`mask.edge_refine: true`, the "
                         "default: a colour-guided filter, radius 10 px, eps 1e-4, with the frame the network saw as "
                         "the guide; `evaluate --mask-edges`, paired against the plain run on the same 1,000 test "
                         "images):", "edge-refined",
                         ["mirror-averaged, edge-refined", "absdiff: plain → refined", "eva4 photos: plain → refined",
                          "eva4 absdiff: plain → refined"])
    for key, op, target in TARGETS:
        r = paired.get(key)
        if r is None or not key.startswith("mask"):
            continue

        def pair(a, b):
            av, bv = (a or {}).get(key), (b or {}).get(key)
            return "" if av is None or bv is None else f"{num(av)} → {num(bv)}"
        gv = (node_gpu or {}).get(key)
        rows.append(f"{paired_cells(key, r, op, target)} {'' if gv is None else num(gv)} | {pair(absdiff, absdiff_e)} | "
                    f"{pair(eva, eva_e)} | {pair(eva_a, eva_ae)} |")
    return rows + [""]


out += edges_table()


def node_table():
    """What the node publishes beside the network's own, on every measure: its defaults on a CPU (mask edges and the
    floor anchor) paired with the plain run (compare-node.csv); the depth edge refinement (off by default) alone and
    added to the defaults, paired with the plain run (compare-depth-edges.csv, compare-node-depth-edges.csv); and the
    defaults on a GPU (+ mirror average)."""
    paired = load_paired("compare-node.csv")
    if paired is None:
        return []
    depth, with_depth = load_paired("compare-depth-edges.csv"), load_paired("compare-node-depth-edges.csv")
    gpu = load("test224-model-mirror-edges-floor.json")
    rows = paired_header("What the node publishes with its defaults on a CPU (`evaluate --mask-edges --floor-anchor`), "
                         "paired against the network alone on the same 1,000 test images; beside it the depth "
                         "refinement (`depth.edge_refine`, off by default) alone and added to the defaults, each paired "
                         "against the network alone, and the defaults on a GPU (`--mirror-average` too):",
                         "node (CPU defaults)", ["depth edges alone: paired difference (95 %)",
                                                 "defaults + depth edges (paired verdict)", "node (GPU defaults)"])
    for key, op, target in TARGETS:
        r = paired.get(key)
        if r is None:
            continue
        d, w = (depth or {}).get(key), (with_depth or {}).get(key)
        dtext = "" if d is None else f"{difference(d, pairs=False)} {verdict(d)}"
        wtext = "" if w is None else f"{float(w['candidate']):.4f} ({verdict(w)})"
        gv = (gpu or {}).get(key)
        rows.append(f"{paired_cells(key, r, op, target)} {dtext} | {wtext} | "
                    f"{'' if gv is None else num(gv)} |")
    return rows + [""]


out += node_table()

for name, title in (("verify.txt", "fp32 parity"), ("verify-fp16.txt", "fp16 weights")):
    p = os.path.join(d, name)
    if os.path.exists(p):
        lines = [l.rstrip() for l in open(p)]
        out += [f"{title} (`{name}`):", "", "```"] + lines + ["```", ""]
print("\n".join(out))
