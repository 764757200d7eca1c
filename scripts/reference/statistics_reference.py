"""Write reference values for the reader-study statistics.

Builds a small synthetic study (seeded), computes its statistics with
statsmodels, scipy and scikit-learn, and writes
Tests/MyoStudyTests/Fixtures/statistics_reference.json, which the Swift
tests read. Run from the package root:

    python3 scripts/reference/statistics_reference.py

Needs numpy, scipy, statsmodels and scikit-learn (versions are recorded in
the output). The cluster bootstrap re-implements SplitMix64 and the draw
order documented in ClusterBootstrap.swift, so the Swift intervals must
match exactly.
"""

import json
import pathlib

import numpy as np
import scipy
import scipy.stats
import sklearn
import sklearn.metrics
import statsmodels
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.proportion import proportion_confint

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def index(self, count):
        return self.next() % count


def build_study(rng):
    """30 cases, 3 readers (R3 skips 3 cases), model with 2-4 images."""
    cases = []
    for i in range(30):
        truth = 1 if i < 13 else 0
        subtype = ("DMD" if i < 9 else "BMD") if truth else "other"
        cases.append((f"S{i + 1:03d}", truth, subtype))
    rows = []
    for case_id, truth, subtype in cases:
        images = int(rng.integers(2, 5))
        probs = []
        for k in range(images):
            centre = 0.68 if truth else 0.35
            p = float(np.clip(rng.normal(centre, 0.2), 0.01, 0.99))
            p = round(p, 4)
            probs.append(p)
            rows.append(dict(reader="model", case=case_id, modality="model",
                             truth=truth, subtype=subtype, score=p,
                             call=int(p >= 0.5), image=f"{k + 1}"))
        for reader in ("R1", "R2", "R3"):
            if reader == "R3" and case_id in ("S004", "S017", "S025"):
                continue
            shift = 1.2 if truth else -1.2
            rating = int(np.clip(np.rint(3 + shift + rng.normal(0, 1.1)), 1, 5))
            rows.append(dict(reader=reader, case=case_id, modality="unaided",
                             truth=truth, subtype=subtype, score=rating,
                             call=int(rating >= 3), image=None))
    return cases, rows


def ci(x, n, method):
    low, high = proportion_confint(x, n, alpha=0.05, method=method)
    return [float(low), float(high)]


def delong(scores, truth):
    scores = np.asarray(scores, float)
    truth = np.asarray(truth, bool)
    pos, neg = scores[truth], scores[~truth]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(1), psi.mean(0)
    return psi.mean(), v10, v01


def arm_values(units):
    truth = np.array([u["truth"] for u in units])
    calls = np.array([u["call"] for u in units])
    scores = np.array([u["score"] for u in units], float)
    tp = int(((truth == 1) & (calls == 1)).sum())
    fn = int(((truth == 1) & (calls == 0)).sum())
    fp = int(((truth == 0) & (calls == 1)).sum())
    tn = int(((truth == 0) & (calls == 0)).sum())
    auc, v10, v01 = delong(scores, truth == 1)
    var = v10.var(ddof=1) / len(v10) + v01.var(ddof=1) / len(v01)
    result = dict(
        tp=tp, fn=fn, fp=fp, tn=tn,
        sensitivity_wilson=ci(tp, tp + fn, "wilson"),
        sensitivity_clopper_pearson=ci(tp, tp + fn, "beta"),
        specificity_wilson=ci(tn, tn + fp, "wilson"),
        specificity_clopper_pearson=ci(tn, tn + fp, "beta"),
        accuracy_wilson=ci(tp + tn, len(units), "wilson"),
        f1=float(sklearn.metrics.f1_score(truth, calls)),
        auc=float(sklearn.metrics.roc_auc_score(truth, scores)),
        auc_delong_variance=float(var),
    )
    for subtype in ("DMD", "BMD"):
        group = [u for u in units if u["subtype"] == subtype]
        hits = sum(u["call"] for u in group)
        result[f"sensitivity_{subtype}"] = hits / len(group)
        result[f"sensitivity_{subtype}_wilson"] = ci(hits, len(group), "wilson")
    return result


def bootstrap(units, replicates, seed):
    by_case = {}
    for u in units:
        by_case.setdefault(u["case"], []).append(u)
    clusters = [by_case[k] for k in sorted(by_case)]
    rng = SplitMix64(seed)
    stats = {"sensitivity": [], "specificity": [], "accuracy": [], "auc": []}
    for _ in range(replicates):
        pooled = []
        for _ in range(len(clusters)):
            pooled.extend(clusters[rng.index(len(clusters))])
        truth = np.array([u["truth"] for u in pooled])
        calls = np.array([u["call"] for u in pooled])
        scores = np.array([u["score"] for u in pooled], float)
        pos, neg = truth == 1, truth == 0
        if pos.any():
            stats["sensitivity"].append(calls[pos].mean())
        if neg.any():
            stats["specificity"].append((1 - calls[neg]).mean())
        stats["accuracy"].append((calls == truth).mean())
        if pos.any() and neg.any():
            stats["auc"].append(sklearn.metrics.roc_auc_score(truth, scores))
    return {
        name: dict(interval=[float(np.quantile(v, 0.025)),
                             float(np.quantile(v, 0.975))],
                   replicates=len(v))
        for name, v in stats.items()
    }


def build_aided(rng):
    """24 cases, 2 readers, each case rated unaided and then aided."""
    rows = []
    for i in range(24):
        truth = 1 if i < 10 else 0
        subtype = "DMD" if truth else "other"
        for reader in ("R1", "R2"):
            shift = 1.0 if truth else -1.0
            unaided = int(np.clip(np.rint(3 + shift + rng.normal(0, 1.3)), 1, 5))
            aided = int(np.clip(
                np.rint(unaided + 0.6 * shift + rng.normal(0, 0.7)), 1, 5))
            for modality, rating in (("unaided", unaided), ("aided", aided)):
                rows.append(dict(reader=reader, case=f"A{i + 1:03d}",
                                 modality=modality, truth=truth,
                                 subtype=subtype, score=rating,
                                 call=int(rating >= 3), image=None))
    return rows


def mcnemar_values(first, second):
    """McNemar on correct calls, first arm against second: b, c, exact p
    (statsmodels) and mid-p (one-sided binomial doubled, at most 1)."""
    t = np.zeros((2, 2), int)
    for a, b in zip(first, second):
        t[1 - int(a), 1 - int(b)] += 1
    b, c = int(t[0, 1]), int(t[1, 0])
    n = b + c
    mid = (1.0 if n == 0 or b == c else
           min(1.0, 2 * (scipy.stats.binom.cdf(min(b, c), n, 0.5)
                         - 0.5 * scipy.stats.binom.pmf(min(b, c), n, 0.5))))
    return dict(b=b, c=c, exact_p=float(mcnemar(t, exact=True).pvalue),
                mid_p=float(mid))


def paired_delong(first, second, truth):
    """Return the paired DeLong test of two score vectors on the same cases."""
    truth = np.asarray(truth) == 1
    a1, v10a, v01a = delong(first, truth)
    a2, v10b, v01b = delong(second, truth)
    var1 = v10a.var(ddof=1) / len(v10a) + v01a.var(ddof=1) / len(v01a)
    var2 = v10b.var(ddof=1) / len(v10b) + v01b.var(ddof=1) / len(v01b)
    cov = (np.cov(v10a, v10b)[0, 1] / len(v10a)
           + np.cov(v01a, v01b)[0, 1] / len(v01a))
    se = float(np.sqrt(var1 + var2 - 2 * cov))
    z = float((a1 - a2) / se)
    return dict(first_auc=float(a1), second_auc=float(a2), se=se, z=z,
                p=float(2 * scipy.stats.norm.sf(abs(z))))


def aided_reference(rows):
    """Compare each reader's unaided arm with their aided arm."""
    result = {}
    for reader in ("R1", "R2"):
        arms = {m: {r["case"]: r for r in rows
                    if r["reader"] == reader and r["modality"] == m}
                for m in ("unaided", "aided")}
        cases = sorted(arms["unaided"])
        truth = [arms["unaided"][c]["truth"] for c in cases]
        correct = {m: [arms[m][c]["call"] == arms[m][c]["truth"] for c in cases]
                   for m in arms}
        diseased = [i for i, t in enumerate(truth) if t == 1]
        healthy = [i for i, t in enumerate(truth) if t == 0]
        result[reader] = dict(
            diseased_pairs=len(diseased), non_diseased_pairs=len(healthy),
            sensitivity=mcnemar_values(
                [correct["unaided"][i] for i in diseased],
                [correct["aided"][i] for i in diseased]),
            specificity=mcnemar_values(
                [correct["unaided"][i] for i in healthy],
                [correct["aided"][i] for i in healthy]),
            delong=paired_delong(
                [arms["unaided"][c]["score"] for c in cases],
                [arms["aided"][c]["score"] for c in cases], truth))
    return result


def case_units(rows, reader):
    """One unit per case; per-image model rows reduce to the mean score and
    the majority call (a tie counts as positive)."""
    by_case = {}
    for r in rows:
        if r["reader"] == reader:
            by_case.setdefault(r["case"], []).append(r)
    units = []
    for case_id in sorted(by_case):
        group = by_case[case_id]
        score = float(np.mean([r["score"] for r in group]))
        calls = sum(r["call"] for r in group)
        units.append(dict(case=case_id, truth=group[0]["truth"],
                          subtype=group[0]["subtype"], score=score,
                          call=int(2 * calls >= len(group))))
    return units


def fleiss_general(counts):
    """Fleiss kappa with a varying number of ratings per subject."""
    counts = np.asarray([c for c in counts if sum(c) >= 2], float)
    n_i = counts.sum(1)
    p_i = ((counts * (counts - 1)).sum(1)) / (n_i * (n_i - 1))
    p_j = counts.sum(0) / counts.sum()
    p_bar, p_e = p_i.mean(), (p_j ** 2).sum()
    return float((p_bar - p_e) / (1 - p_e)), len(counts)


def main():
    rng = np.random.default_rng(20240611)
    cases, rows = build_study(rng)
    readers = ("R1", "R2", "R3")
    model_case = case_units(rows, "model")
    model_by_case = {u["case"]: u for u in model_case}
    out = dict(
        about=("Synthetic reader study and reference statistics written by "
               "scripts/reference/statistics_reference.py with numpy "
               f"{np.__version__}, scipy {scipy.__version__}, statsmodels "
               f"{statsmodels.__version__}, scikit-learn "
               f"{sklearn.__version__}."),
        ratings=rows, case_level={}, image_level={}, comparisons={},
        agreement={})

    for reader in ("model",) + readers:
        out["case_level"][reader] = arm_values(case_units(rows, reader))
    fpr, tpr, _ = sklearn.metrics.roc_curve(
        [u["truth"] for u in model_case], [u["score"] for u in model_case],
        drop_intermediate=False)
    out["case_level"]["model"]["roc_fpr"] = [float(v) for v in fpr]
    out["case_level"]["model"]["roc_tpr"] = [float(v) for v in tpr]

    # Image level: the model's per-image rows; bootstrap over cases.
    images = [dict(case=r["case"], truth=r["truth"], subtype=r["subtype"],
                   score=r["score"], call=r["call"])
              for r in rows if r["reader"] == "model"]
    level = arm_values(images)
    level["bootstrap"] = bootstrap(images, replicates=500, seed=7)
    out["image_level"] = dict(model=level, replicates=500, seed=7)

    for reader in readers:
        units = [u for u in case_units(rows, reader)]
        pairs = [(model_by_case[u["case"]], u) for u in units]
        diseased = [(m, r) for m, r in pairs if r["truth"] == 1]
        healthy = [(m, r) for m, r in pairs if r["truth"] == 0]

        def table(group, positive):
            t = np.zeros((2, 2), int)
            for m, r in group:
                a = int(m["call"] == positive)
                b = int(r["call"] == positive)
                t[1 - a, 1 - b] += 1
            return t

        sens, spec = table(diseased, 1), table(healthy, 0)
        b, c = int(sens[0, 1]), int(sens[1, 0])
        n = b + c
        mid = (1.0 if n == 0 or b == c else
               min(1.0, 2 * (scipy.stats.binom.cdf(min(b, c), n, 0.5)
                             - 0.5 * scipy.stats.binom.pmf(min(b, c), n, 0.5))))
        truth = np.array([r["truth"] for _, r in pairs]) == 1
        a1, v10a, v01a = delong([m["score"] for m, _ in pairs], truth)
        a2, v10b, v01b = delong([r["score"] for _, r in pairs], truth)
        var1 = v10a.var(ddof=1) / len(v10a) + v01a.var(ddof=1) / len(v01a)
        var2 = v10b.var(ddof=1) / len(v10b) + v01b.var(ddof=1) / len(v01b)
        cov = (np.cov(v10a, v10b)[0, 1] / len(v10a)
               + np.cov(v01a, v01b)[0, 1] / len(v01a))
        z = (a1 - a2) / np.sqrt(var1 + var2 - 2 * cov)
        out["comparisons"][reader] = dict(
            sensitivity_b=b, sensitivity_c=c,
            sensitivity_exact_p=float(mcnemar(sens, exact=True).pvalue),
            sensitivity_mid_p=float(mid),
            specificity_b=int(spec[0, 1]), specificity_c=int(spec[1, 0]),
            specificity_exact_p=float(mcnemar(spec, exact=True).pvalue),
            delong_z=float(z),
            delong_p=float(2 * scipy.stats.norm.sf(abs(z))))

    calls = {r: {u["case"]: u["call"] for u in case_units(rows, r)}
             for r in readers}
    case_ids = [c[0] for c in cases]
    complete = [cid for cid in case_ids if all(cid in calls[r] for r in readers)]
    counts_complete = [[sum(calls[r][cid] == k for r in readers) for k in (0, 1)]
                       for cid in complete]
    counts_all = [[sum(calls[r].get(cid, -1) == k for r in readers)
                   for k in (0, 1)] for cid in case_ids]
    from statsmodels.stats.inter_rater import fleiss_kappa
    kappa_all, subjects_all = fleiss_general(counts_all)
    out["agreement"] = dict(
        fleiss_complete=float(fleiss_kappa(np.array(counts_complete))),
        complete_subjects=len(complete),
        fleiss_available=kappa_all, available_subjects=subjects_all,
        cohen={})
    for i, first in enumerate(readers):
        for second in readers[i + 1:]:
            both = [cid for cid in case_ids
                    if cid in calls[first] and cid in calls[second]]
            t = np.zeros((2, 2), int)
            for cid in both:
                t[calls[first][cid], calls[second][cid]] += 1
            result = cohens_kappa(t)
            out["agreement"]["cohen"][f"{first}-{second}"] = dict(
                kappa=float(result.kappa), ase=float(result.std_kappa),
                subjects=len(both),
                sklearn=float(sklearn.metrics.cohen_kappa_score(
                    [calls[first][c] for c in both],
                    [calls[second][c] for c in both])))

    # The aided arm: a separate study from its own generator, so that the
    # values above do not change.
    aided_rows = build_aided(np.random.default_rng(20261204))
    out["aided"] = dict(ratings=aided_rows,
                        unaided_vs_aided=aided_reference(aided_rows))

    path = pathlib.Path("Tests/MyoStudyTests/Fixtures/statistics_reference.json")
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
