"""Dense text embeddings from WordLlama: its wheel carries the weights and tokenizer, so nothing is downloaded.

WordLlama's own loader looks for the tokenizer in a folder the wheel does not use and then
downloads it; the files are read here straight from the installed package instead.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

MODEL = "wordllama-l2_supercat-256"
DIM = 256
# Entries are embedded from their title and the head of their text: pooling is linear in
# length, and on the sample a 600-character head finds as many answers as 1,500 at a third
# of the time.
MAX_CHARS = 600
_BATCH = 64


class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors of `dim` numbers."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one row per text, shape (len(texts), dim), L2-normalised."""


class WordLlamaEmbedder:
    """The 256-dimension WordLlama model shipped inside the `wordllama` wheel."""

    name, dim = MODEL, DIM

    def __init__(self) -> None:
        import wordllama
        from safetensors import safe_open
        from wordllama import WordLlama
        from wordllama.inference import WordLlamaInference

        root = Path(wordllama.__file__).parent
        weights = root / "weights" / "l2_supercat_256.safetensors"
        tokenizer = root / "tokenizers" / "l2_supercat_tokenizer_config.json"
        if not weights.is_file() or not tokenizer.is_file():
            raise FileNotFoundError(f"the wordllama package lacks its bundled model files under {root}")
        with safe_open(str(weights), framework="np", device="cpu") as f:
            table = f.get_tensor("embedding.weight")
        self._model = WordLlamaInference(table, WordLlama.load_tokenizer(tokenizer))
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in length-sorted batches (less padding), returned in the given order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clipped = [t[:MAX_CHARS] or " " for t in texts]
        order = np.argsort([len(t) for t in clipped], kind="stable")
        with self._lock:
            vectors = self._model.embed([clipped[i] for i in order], norm=True, batch_size=_BATCH)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        out[order] = np.asarray(vectors, dtype=np.float32)
        return out


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """Return the process-wide WordLlama embedder (loaded once, about a second)."""
    return WordLlamaEmbedder()


def embed_entries(embedder: Embedder, titles: Sequence[str], contents: Sequence[str]) -> np.ndarray:
    """Embed entries as the normalised mean of their title's and their text's vectors.

    The title (file, subject, sheet and section) then weighs as much as the text, however
    long the text: it is what tells one entry's topic from its neighbours'.
    """
    both = embedder.embed(list(titles) + list(contents))
    mean = both[: len(titles)] + both[len(titles) :]
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    return (mean / np.where(norms == 0, 1.0, norms)).astype(np.float32)
