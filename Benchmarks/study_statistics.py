#!/usr/bin/env python3
"""Time of `myoscope stats` on a study the size of the published test set.

Writes a long-format file of 102 cases (about 6.4 images each, 648 images
in all) with the model's per-image probabilities and three readers'
case-level ratings, then times `myoscope stats` per case and per image
(with the cluster bootstrap). The anchor, measured in the same run, is
the same work in numpy and scikit-learn: the per-arm 2x2 tables, AUCs and
DeLong variances, and at image level the cluster bootstrap of
sensitivity, specificity, accuracy and AUC with the same replicate count.

Usage: study_statistics.py MYOSCOPE [--replicates 2000] [--repeats 3]
Needs numpy and scikit-learn.
"""
import argparse
import csv
import os
import subprocess
import tempfile
import time

import numpy as np
from sklearn.metrics import roc_auc_score


def write_study(path, rng):
    rows = []
    for case in range(102):
        truth = int(case < 40)
        for image in range(6 + int(case % 5 < 2)):
            p = float(np.clip(rng.normal(0.7 if truth else 0.3, 0.2), 0, 1))
            rows.append(["model", f"K{case:03d}", "model", truth, round(p, 4),
                         int(p >= 0.5), image + 1])
        for reader in ("R1", "R2", "R3"):
            rating = int(np.clip(np.rint(3 + (1.2 if truth else -1.2)
                                         + rng.normal(0, 1.1)), 1, 5))
            rows.append([reader, f"K{case:03d}", "unaided", truth, rating,
                         int(rating >= 3), ""])
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["reader", "case", "modality", "truth", "score", "call",
                      "image"])
        out.writerows(rows)
    return rows


def delong_variance(scores, truth):
    pos, neg = scores[truth], scores[~truth]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(1), psi.mean(0)
    return v10.var(ddof=1) / len(v10) + v01.var(ddof=1) / len(v01)


def numpy_anchor(rows, replicates):
    arms = {}
    for r in rows:
        arms.setdefault(r[0], []).append(r)
    for arm in arms.values():
        truth = np.array([r[3] for r in arm]) == 1
        scores = np.array([r[4] for r in arm], float)
        calls = np.array([r[5] for r in arm]) == 1
        _ = (truth & calls).sum(), (~truth & ~calls).sum()
        roc_auc_score(truth, scores)
        delong_variance(scores, truth)
    model = arms["model"]
    by_case = {}
    for r in model:
        by_case.setdefault(r[1], []).append(r)
    clusters = list(by_case.values())
    rng = np.random.default_rng(1)
    for _ in range(replicates):
        pooled = [u for k in rng.integers(0, len(clusters), len(clusters))
                  for u in clusters[k]]
        truth = np.array([u[3] for u in pooled]) == 1
        calls = np.array([u[5] for u in pooled]) == 1
        scores = np.array([u[4] for u in pooled], float)
        calls[truth].mean(), (~calls[~truth]).mean(), (calls == truth).mean()
        roc_auc_score(truth, scores)


def best_of(repeats, function):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("myoscope")
    parser.add_argument("--replicates", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "ratings.csv")
    rows = write_study(path, np.random.default_rng(648))

    def stats(unit):
        subprocess.run(
            [args.myoscope, "stats", path, "--by", unit, "--bootstrap",
             str(args.replicates)], check=True, stdout=subprocess.DEVNULL)

    case_time = best_of(args.repeats, lambda: stats("case"))
    image_time = best_of(args.repeats, lambda: stats("image"))
    anchor = best_of(args.repeats, lambda: numpy_anchor(rows, args.replicates))
    print(f"rows {len(rows)}, replicates {args.replicates}, best of {args.repeats}")
    print(f"myoscope stats --by case   {case_time:8.3f} s")
    print(f"myoscope stats --by image  {image_time:8.3f} s")
    print(f"numpy/scikit-learn anchor  {anchor:8.3f} s")
    print(f"ratio image / anchor       {image_time / anchor:8.2f}")


if __name__ == "__main__":
    main()
