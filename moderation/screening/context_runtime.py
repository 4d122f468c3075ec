"""The context check's transformer as an onnxruntime graph, built in memory from the same
merged weights the numpy reading uses (``context_check.ContextCheck``).

Why: the numpy reading costs about 23 ms a reread on one core (numpy's per-call overhead
on small matrices, a polynomial GELU, float32 matrix products through OpenBLAS), which held
the whole engine to about 220 of the benchmark's posts a second. onnxruntime runs the same
layers with fused kernels and, with ``quantised``, int8 weights (per output column,
symmetric, 7-bit: see ``_quantise``), several times faster.

Nothing is exported or downloaded: the graph is written here with ``onnx``'s helper API from
the weights already in memory (the published base, checked by its SHA-256, plus the shipped
adapters), at load, once per process. Without ``onnx``/``onnxruntime`` installed the check
runs in numpy (``runtime_available``), with the same answers to within float rounding.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .context_check import _Layer

HIDDEN = 384
HEADS = 12
LAYER_NORM_EPS = 1e-12
#: Opset 20: ``Gelu`` (exact, erf) and ``LayerNormalization`` are standard operators.
OPSET = 20
#: Weights are quantised to 7 bits (−63…63), not 8: on x86 without VNNI, onnxruntime
#: multiplies unsigned 8-bit activations by signed 8-bit weights with an instruction that
#: adds pairs of products into 16 bits and saturates; 7-bit weights keep every pair in range.
WEIGHT_LEVELS = 63


def runtime_available() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _quantise(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-output-column int8 weights and their scales: ``weight ≈ q * scale``."""
    peak = np.abs(weight).max(axis=0)
    scale = np.where(peak > 0, peak / WEIGHT_LEVELS, 1.0).astype(np.float32)
    q = np.clip(np.rint(weight / scale), -WEIGHT_LEVELS, WEIGHT_LEVELS).astype(np.int8)
    return q, scale


class _Graph:
    """Writes nodes and initialisers straight into one ``ModelProto``, under unique names:
    building lists and handing them to ``helper.make_graph``/``make_model`` copies every
    weight twice more, which took a worker's peak memory at load past 400 MB."""

    def __init__(self) -> None:
        from onnx import ModelProto, TensorProto, helper

        self.helper, self.float_type = helper, TensorProto.FLOAT
        self.model = ModelProto()
        self.graph = self.model.graph
        self._count = 0

    def name(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def const(self, array: np.ndarray, stem: str = "c") -> str:
        from onnx import helper

        name = self.name(stem)
        tensor = self.graph.initializer.add()
        tensor.name = name
        tensor.data_type = helper.np_dtype_to_tensor_dtype(array.dtype)
        tensor.dims.extend(array.shape)
        tensor.raw_data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        return name

    def op(self, kind: str, inputs: list[str], stem: str | None = None, domain: str = "", **attrs) -> str:
        out = self.name(stem or kind.lower())
        self.graph.node.append(self.helper.make_node(kind, inputs, [out], domain=domain, **attrs))
        return out

    def ops(self, kind: str, inputs: list[str], count: int, **attrs) -> list[str]:
        outs = [self.name(kind.lower()) for _ in range(count)]
        self.graph.node.append(self.helper.make_node(kind, inputs, outs, **attrs))
        return outs

    def dense(self, x: str, weight: np.ndarray, bias: np.ndarray, quantised: bool) -> str:
        """``x @ weight + bias``; with ``quantised``, int8 weights and activations quantised
        per call (onnxruntime fuses the four nodes into one ``DynamicQuantizeMatMul``)."""
        if not quantised:
            return self.op("Add", [self.op("MatMul", [x, self.const(weight, "w")]), self.const(bias, "b")])
        q, scale = _quantise(weight)
        xq, x_scale, x_zero = self.ops("DynamicQuantizeLinear", [x], 3)
        product = self.op("MatMulInteger", [xq, self.const(q, "wq"), x_zero])
        as_float = self.op("Cast", [product], to=1)
        scaled = self.op("Mul", [as_float, self.op("Mul", [x_scale, self.const(scale, "ws")])])
        return self.op("Add", [scaled, self.const(bias, "b")])


def build_model(layers: Iterable[_Layer], head: np.ndarray, head_bias: float, *, quantised: bool = False) -> bytes:
    """The serialised graph: input ``x`` (pieces × 384, embedded and normalised), output
    ``logit`` (one number). The softmax scale is folded into the query weights.

    ``layers`` may be a generator: each layer is copied into the graph and can be freed
    before the next is made. ``quantised`` (int8 weights) reads about 2.5 times faster than
    float32 on this project's machine (x86 with AVX2, no VNNI) but moves the logit by up to
    about 1.4, enough to change some lowering decisions on its own (false alarms on blind
    v10 0.050 to 0.067); so Hearth reads with it first and again with the float32 graph when
    it lands near a deciding threshold (``context_check.RECHECK_LOGITS``)."""
    from onnx import TensorProto, helper

    g = _Graph()
    size = HIDDEN // HEADS
    x = "x"
    folded = np.ones(3 * HIDDEN, dtype=np.float32)
    folded[:HIDDEN] = 1 / math.sqrt(size)
    heads_shape = g.const(np.array([-1, HEADS, size], dtype=np.int64), "shape")
    flat_shape = g.const(np.array([-1, HIDDEN], dtype=np.int64), "shape")
    for layer in layers:
        qkv = g.dense(x, layer.qkv * folded, layer.qkv_bias * folded, quantised)
        q, k, v = g.ops("Split", [qkv, g.const(np.array([HIDDEN] * 3, dtype=np.int64))], 3, axis=1)
        q = g.op("Transpose", [g.op("Reshape", [q, heads_shape])], perm=[1, 0, 2])
        k = g.op("Transpose", [g.op("Reshape", [k, heads_shape])], perm=[1, 2, 0])
        v = g.op("Transpose", [g.op("Reshape", [v, heads_shape])], perm=[1, 0, 2])
        weights = g.op("Softmax", [g.op("MatMul", [q, k])], axis=-1)
        attended = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [weights, v])], perm=[1, 0, 2]), flat_shape])
        projected = g.dense(attended, layer.attention_output, layer.attention_output_bias, quantised)
        x = g.op(
            "LayerNormalization",
            [g.op("Add", [projected, x]), g.const(layer.attention_norm[0]), g.const(layer.attention_norm[1])],
            epsilon=LAYER_NORM_EPS,
        )
        inner = g.op("Gelu", [g.dense(x, layer.intermediate, layer.intermediate_bias, quantised)])
        out = g.dense(inner, layer.output, layer.output_bias, quantised)
        x = g.op(
            "LayerNormalization",
            [g.op("Add", [out, x]), g.const(layer.output_norm[0]), g.const(layer.output_norm[1])],
            epsilon=LAYER_NORM_EPS,
        )
    pooled = g.op("ReduceMean", [x, g.const(np.array([0], dtype=np.int64))], keepdims=0)
    logit = g.op(
        "Add",
        [
            g.op("MatMul", [pooled, g.const(head.reshape(HIDDEN, 1).astype(np.float32))]),
            g.const(np.array([head_bias], dtype=np.float32)),
        ],
    )
    g.graph.node.append(helper.make_node("Identity", [logit], ["logit"]))
    g.graph.name = "context_check"
    g.graph.input.append(helper.make_tensor_value_info("x", TensorProto.FLOAT, ["pieces", HIDDEN]))
    g.graph.output.append(helper.make_tensor_value_info("logit", TensorProto.FLOAT, [1]))
    g.model.opset_import.append(helper.make_opsetid("", OPSET))
    g.model.producer_name = "hearth"
    g.model.ir_version = 9
    return g.model.SerializeToString()


def build_models(layers: Iterable[_Layer], head: np.ndarray, head_bias: float, *, quantised: bool) -> tuple[bytes, ...]:
    """The float32 graph, and with ``quantised`` the int8 graph too, from one pass over
    ``layers`` (a generator is consumed once; each layer is copied into both graphs)."""
    if not quantised:
        return (build_model(layers, head, head_bias),)
    kept = list(layers)
    graphs = (build_model(kept, head, head_bias), build_model(kept, head, head_bias, quantised=True))
    kept.clear()
    return graphs


def release_freed_memory() -> None:
    """Hand the heap freed after building the graph back to the system: the serialised
    graph and its Python copies (about 70 MB) sit at the top of the heap until then, counted
    in every worker's resident memory (glibc only; elsewhere nothing happens)."""
    with contextlib.suppress(AttributeError, OSError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


class RuntimeReader:
    """Runs the graph on one thread: Hearth runs a process per core, and threads on top of
    that fight over the cores (the reason for one BLAS thread in ``context_check``)."""

    def __init__(self, serialised: bytes) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No thread spinning: a worker that has finished a reread must not keep its core busy.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(serialised, options, providers=["CPUExecutionProvider"])

    def logit(self, x: np.ndarray) -> float:
        (out,) = self._session.run(["logit"], {"x": np.ascontiguousarray(x, dtype=np.float32)})
        return float(out[0])
