"""The vision encoder the identity and prompt-adherence checks look through, loaded with transformers.

Any hub model with an image tower works: CLIP and SigLIP (``get_image_features``, and a text tower for
prompt adherence), DINOv2-style backbones (image only: the pooled or class-token embedding). The hub id is
the user's choice (``DEFAULT_ENCODER`` otherwise); tests wrap a tiny random-weight CLIP built from
``CLIPConfig`` with the same class, so the code path is the real one.

An encoder only has to provide two methods (``ImageEncoder``); both return L2-normalised rows, so a
cosine similarity is a dot product.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from generator.errors import BackendUnavailable

#: A small, widely used image–text encoder (~600 MB); users pick another through settings.
DEFAULT_ENCODER = "openai/clip-vit-base-patch32"


class ImageEncoder(Protocol):
    def embed_images(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """(N, D) unit-length embeddings of H×W×3 uint8 RGB images."""
        ...

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray | None:
        """(N, D) unit-length embeddings of texts, or None when the model has no text tower."""
        ...


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def _pooled(out: Any) -> Any:
    """The embedding tensor from a model output (transformers 5 returns outputs where 4 returned tensors)."""
    if hasattr(out, "shape"):
        return out
    pooled = getattr(out, "pooler_output", None)
    if pooled is not None:
        return pooled
    return out.last_hidden_state[:, 0]


class TransformersEncoder:
    """An ``ImageEncoder`` over a transformers model, its image processor and (optionally) its tokenizer."""

    def __init__(self, model: Any, image_processor: Any, tokenizer: Any | None = None, *, batch_size: int = 16) -> None:
        self.model = model.eval()
        self.image_processor = image_processor
        self.tokenizer = tokenizer
        self.batch_size = batch_size

    @classmethod
    def from_pretrained(cls, model_id: str = DEFAULT_ENCODER, *, device: str = "cpu") -> TransformersEncoder:
        """Load ``model_id`` (hub id or local folder). Raises ``BackendUnavailable`` when it cannot be loaded."""
        from transformers import AutoImageProcessor, AutoModel, AutoTokenizer

        try:
            model = AutoModel.from_pretrained(model_id).to(device)
            processor = AutoImageProcessor.from_pretrained(model_id)
            tokenizer = AutoTokenizer.from_pretrained(model_id) if hasattr(model, "get_text_features") else None
        except (OSError, ValueError, KeyError) as exc:
            raise BackendUnavailable(f"cannot load the vision encoder {model_id!r}: {exc}") from exc
        return cls(model, processor, tokenizer)

    @property
    def _device(self) -> Any:
        return next(self.model.parameters()).device

    def embed_images(self, images: Sequence[np.ndarray]) -> np.ndarray:
        import torch

        rows = []
        with torch.inference_mode():
            for start in range(0, len(images), self.batch_size):
                batch = [np.ascontiguousarray(im) for im in images[start : start + self.batch_size]]
                pixels = self.image_processor(images=batch, return_tensors="pt")["pixel_values"].to(self._device)
                pixels = pixels.to(next(self.model.parameters()).dtype)
                if hasattr(self.model, "get_image_features"):
                    out = self.model.get_image_features(pixel_values=pixels)
                else:
                    out = self.model(pixel_values=pixels)
                rows.append(_pooled(out).float().cpu().numpy())
        return _normalise(np.concatenate(rows)) if rows else np.zeros((0, 0), dtype=np.float32)

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray | None:
        if self.tokenizer is None or not hasattr(self.model, "get_text_features"):
            return None
        import torch

        # SigLIP was trained on texts padded to the full length; CLIP pads to the longest.
        siglip = "siglip" in str(getattr(self.model.config, "model_type", ""))
        tokens = self.tokenizer(
            list(texts), padding="max_length" if siglip else True, truncation=True, return_tensors="pt",
            max_length=getattr(getattr(self.model.config, "text_config", None), "max_position_embeddings", 64),
        )  # fmt: skip
        tokens = {k: v.to(self._device) for k, v in tokens.items() if k in ("input_ids", "attention_mask")}
        with torch.inference_mode():
            out = self.model.get_text_features(**tokens)
        return _normalise(_pooled(out).float().cpu().numpy())


@lru_cache(maxsize=2)
def load_encoder(model_id: str = DEFAULT_ENCODER, device: str = "cpu") -> TransformersEncoder:
    """``TransformersEncoder.from_pretrained``, loaded once per process and kept."""
    return TransformersEncoder.from_pretrained(model_id, device=device)
