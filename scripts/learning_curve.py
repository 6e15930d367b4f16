#!/usr/bin/env python3
"""Stitches the shipped model's 224-px training runs into one learning curve and extrapolates it.

Each run's training_log.csv counts images from its own start; a run started with --init-from continues
the previous run's weights, so the lineage's x axis is the running sum. A run may be cut at an epoch
("p10-224/phase1-1e-4:6": the next run started from that epoch's snapshot, later epochs were discarded).

For every accuracy measure the script fits a power law to the validation error gap, gap(n) = a * n^-b
(gap = 1 - metric for the scores, the metric itself for the errors), on the epochs from --fit-from images on,
and prints how many images the fitted curve needs to reach the issue's target. The fit is an
order-of-magnitude guide: the lineage changes its recipe (loss terms in p6, encoding and weights in p10)
and validates on 100 samples per epoch, so single epochs are noisy.

Writes an SVG chart of the stitched curve (stdlib only, no plotting library).

  python3 scripts/learning_curve.py [--svg model-export/checkpoints/lineage-224.svg] [RUN[:LAST_EPOCH] ...]
"""
import argparse
import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKPOINTS = os.path.join(HERE, '..', 'model-export', 'checkpoints')
LINEAGE = ['p5-224', 'p6-224', 'p7-224', 'p8-224', 'p9-224', 'p10-224/phase1-1e-4:6', 'p10-224', 'p11-224',
           'p12-224', 'p13-224', 'p14-224:9', 'p15-224:18', 'p16-224:18',
           'p17-224:10']

# (column, target, higher_is_better) — the targets, measured on validation here.
MEASURES = [
    ('val_mask_miou', 0.98, True),
    ('val_mask_fg_iou', 0.90, True),
    ('val_depth_ssim', 0.94, True),
    ('val_depth_absrel', 0.12, False),
    ('val_depth_delta1', 0.90, True),
    ('val_nearest_relerr', 0.10, False),
]


def cpu_seconds_per_image(run):
    """The run's own training rate, from its committed checkpoint (latest/, or the weights kept instead of it).

    A checkpoint counts the process's CPU time, both cores, validation included."""
    folders = ['latest'] + sorted(d for d in os.listdir(run) if d != 'latest')
    for d in folders:
        meta = os.path.join(run, d, 'checkpoint.json')
        if os.path.isfile(meta):
            with open(meta) as f:
                m = json.load(f)
            return m['cpuSeconds'] / m['imagesSeen']
    sys.exit(f'learning_curve: no checkpoint.json under {run}; give --cpu-seconds-per-image')


def stitch(runs, root):
    points = []
    base = 0
    for spec in runs:
        name, _, last = spec.partition(':')
        path = os.path.join(root, name, 'training_log.csv')
        with open(path, newline='') as f:
            rows = list(csv.DictReader(f))
        if last:
            rows = [r for r in rows if int(r['epoch']) <= int(last)]
        if not rows:
            sys.exit(f'learning_curve: {path} has no epochs to use')
        for r in rows:
            p = {k: float(v) for k, v in r.items() if v not in ('', None)}
            p['run'] = name
            p['n'] = base + p['images']
            points.append(p)
        base = points[-1]['n']
    return points


def gap(value, higher):
    """How far a value is from perfect: 1 - value for a score, the value itself for an error."""
    return 1 - value if higher else value


def fit(points, col, higher):
    """Least squares of ln(gap) on ln(images); returns (a, b) of gap = a * n^-b."""
    xs, ys = [], []
    for p in points:
        g = gap(p[col], higher)
        if g > 0:
            xs.append(math.log(p['n']))
            ys.append(math.log(g))
    if len(xs) < 3:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return math.exp(my - slope * mx), -slope


def svg(points, path):
    w, h, pad = 820, 480, 60
    n_max = max(p['n'] for p in points)
    series = [('val_mask_miou', '#2870c8'), ('val_mask_fg_iou', '#8a4fc0'), ('val_depth_ssim', '#28a050'),
              ('val_depth_delta1', '#d08020')]
    y_min, y_max = 0.5, 1.0

    def px(n):
        return pad + n / n_max * (w - 2 * pad)

    def py(v):
        return h - pad - (min(max(v, y_min), y_max) - y_min) / (y_max - y_min) * (h - 2 * pad)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
           f'font-size="12"><rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{pad}" y="24" font-size="16" font-weight="bold">MDEAS lineage at 224 px: validation per epoch '
           f'(100 samples; dashed: targets)</text>',
           f'<rect x="{pad}" y="{pad}" width="{w - 2 * pad}" height="{h - 2 * pad}" fill="none" stroke="black"/>']
    for i in range(6):
        v = y_min + (y_max - y_min) * i / 5
        out.append(f'<line x1="{pad}" x2="{w - pad}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#e6e6e6"/>')
        out.append(f'<text x="8" y="{py(v) + 4:.1f}">{v:.1f}</text>')
    for i in range(5):
        n = n_max * i / 4
        out.append(f'<text x="{px(n) - 14:.1f}" y="{h - pad + 18}">{n / 1000:.0f}k</text>')
    for prev, p in zip(points, points[1:]):
        if p['run'] != prev['run']:
            x = px(prev['n'])  # the run starts from the weights of the previous run's last epoch
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad}" y2="{h - pad}" stroke="#bbbbbb" '
                       f'stroke-dasharray="4 4"/>')
            label = p['run'].replace('-224', '').replace('/phase1-', ' ')
            out.append(f'<text x="{x + 3:.1f}" y="{h - pad - 6}" fill="#777777">{label}</text>')
    targets = {col: target for col, target, _ in MEASURES}
    for i, (col, colour) in enumerate(series):
        pts = ' '.join(f'{px(p["n"]):.1f},{py(p[col]):.1f}' for p in points if col in p)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        t = py(targets[col]) + 1.5 * i  # targets that coincide (0.90) stay visible side by side
        out.append(f'<line x1="{pad}" x2="{w - pad}" y1="{t:.1f}" y2="{t:.1f}" stroke="{colour}" '
                   f'stroke-dasharray="6 4" stroke-width="1"/>')
        out.append(f'<text x="{pad + 150 * i}" y="{pad - 8}" fill="{colour}">{col[4:]}</text>')
    out.append(f'<text x="{w / 2 - 40}" y="{h - 15}">images seen</text></svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('runs', nargs='*', default=LINEAGE, help='run folders under --root, oldest first')
    ap.add_argument('--root', default=CHECKPOINTS)
    ap.add_argument('--fit-from', type=float, default=38000,
                    help='fit only epochs from this many images on (default: after p6, the last loss change '
                         'before p10)')
    ap.add_argument('--cpu-seconds-per-image', type=float, default=None,
                    help='to turn images into CPU hours (default: the last run\'s own rate)')
    ap.add_argument('--svg', help='write the stitched curve here')
    args = ap.parse_args()

    points = stitch(args.runs, args.root)
    last = points[-1]
    per_image = args.cpu_seconds_per_image
    if per_image is None:
        per_image = cpu_seconds_per_image(os.path.join(args.root, args.runs[-1].partition(':')[0]))
    fitted = [p for p in points if p['n'] >= args.fit_from]
    print(f'lineage: {" -> ".join(args.runs)}: {len(points)} epochs, {last["n"]:.0f} images at 224 px; '
          f'fit on {len(fitted)} epochs from {args.fit_from:.0f} images; {per_image:.2f} CPU-s per image')
    print()
    print('| measure | target | last epoch | fitted now | exponent b | images to target (fit) | CPU-hours at 2 cores |')
    print('| --- | --- | --- | --- | --- | --- | --- |')
    for col, target, higher in MEASURES:
        f = fit(fitted, col, higher)
        name = col[4:]
        if f is None:
            print(f'| {name} | {target} | {last[col]:.4f} | – | – | too few points | – |')
            continue
        a, b = f
        g_now = a * last['n'] ** -b
        now = 1 - g_now if higher else g_now
        g_target = gap(target, higher)
        if b <= 0:
            need = 'never (not improving)'
            hours = '–'
        else:
            n_target = (a / g_target) ** (1 / b)
            need = f'{n_target:.3g}'
            hours = f'{max(n_target - last["n"], 0) * per_image / 3600:.3g}'
        print(f'| {name} | {target} | {last[col]:.4f} | {now:.4f} | {b:.3f} | {need} | {hours} |')
    if args.svg:
        svg(points, args.svg)
        print(f'\nchart: {args.svg}')


if __name__ == '__main__':
    main()
