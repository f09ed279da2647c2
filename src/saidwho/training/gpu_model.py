"""The model of the GPU training script (:mod:`saidwho.training.gpu`): MiniLM's BERT layers
and saidwho's three heads, with :class:`saidwho.models.encoder.SaidwhoModel`'s parameter names.

Like the script, it imports torch only (no saidwho, no transformers): the
script loads it by path (see ``gpu.py``).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


# The same as saidwho.models.pieces (tested: this file must not import saidwho).
TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE")
N_FEATURES = 5  # len(saidwho.models.pieces.QUOTE_FEATURES)


# ---------------------------------------------------------------- the model (SaidwhoModel's names)


class _SelfAttention(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)


class _DenseNorm(nn.Module):
    def __init__(self, inner: int, hidden: int, eps: float):
        super().__init__()
        self.dense = nn.Linear(inner, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)


class _Attention(nn.Module):
    def __init__(self, hidden: int, eps: float):
        super().__init__()
        self.self = _SelfAttention(hidden)
        self.output = _DenseNorm(hidden, hidden, eps)


class _Intermediate(nn.Module):
    def __init__(self, hidden: int, inner: int):
        super().__init__()
        self.dense = nn.Linear(hidden, inner)


class BertLayer(nn.Module):
    """One BERT encoder layer with transformers' parameter names (``attention.self.query`` ...)."""

    def __init__(self, config: dict):
        super().__init__()
        hidden, inner, eps = config["hidden_size"], config["intermediate_size"], config["layer_norm_eps"]
        self.heads = config["num_attention_heads"]
        self.dropout_p = config["hidden_dropout_prob"]
        self.attention_dropout_p = config["attention_probs_dropout_prob"]
        self.attention = _Attention(hidden, eps)
        self.intermediate = _Intermediate(hidden, inner)
        self.output = _DenseNorm(inner, hidden, eps)

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``mask``: (batch, 1, 1, length), True where a key may be attended to."""
        b, n, d = h.shape
        sa = self.attention.self
        split = lambda x: x.view(b, n, self.heads, d // self.heads).transpose(1, 2)
        ctx = F.scaled_dot_product_attention(
            split(sa.query(h)), split(sa.key(h)), split(sa.value(h)), attn_mask=mask,
            dropout_p=self.attention_dropout_p if self.training else 0.0,
        )
        ctx = ctx.transpose(1, 2).reshape(b, n, d)
        out = self.attention.output
        a = out.LayerNorm(F.dropout(out.dense(ctx), self.dropout_p, self.training) + h)
        i = F.gelu(self.intermediate.dense(a))  # BERT's "gelu" is the exact (erf) one
        return self.output.LayerNorm(F.dropout(self.output.dense(i), self.dropout_p, self.training) + a)


class Embeddings(nn.Module):
    """BERT's embeddings with only the word rows the bundle uses (``ids`` are row indices); frozen."""

    def __init__(self, tensors: dict[str, torch.Tensor], config: dict):
        super().__init__()
        self.word = nn.Embedding.from_pretrained(tensors["embeddings.word_embeddings.weight"].float(), freeze=True)
        self.position = nn.Embedding.from_pretrained(tensors["embeddings.position_embeddings.weight"].float(), freeze=True)
        self.token_type = nn.Parameter(tensors["embeddings.token_type_embeddings.weight"][0].float(), requires_grad=False)
        self.norm = nn.LayerNorm(config["hidden_size"], eps=config["layer_norm_eps"])
        self.norm.weight.data.copy_(tensors["embeddings.LayerNorm.weight"].float())
        self.norm.bias.data.copy_(tensors["embeddings.LayerNorm.bias"].float())
        self.norm.requires_grad_(False)
        self.dropout_p = config["hidden_dropout_prob"]

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)
        h = self.norm(self.word(ids) + self.position(positions)[None] + self.token_type)
        return F.dropout(h, self.dropout_p, self.training)


class GpuModel(nn.Module):
    """SaidwhoModel(trainable_layers=all): frozen embeddings, trainable ``top`` layers, the three heads."""

    def __init__(self, tensors: dict[str, torch.Tensor], config: dict, hidden_dropout: float = 0.1):
        super().__init__()
        hidden = config["hidden_size"]
        self.embeddings = Embeddings(tensors, config)
        self.top = nn.ModuleList(BertLayer(config) for _ in range(config["num_hidden_layers"]))
        layers = {k.removeprefix("encoder.layer."): v.float() for k, v in tensors.items() if k.startswith("encoder.layer.")}
        missing, unexpected = self.top.load_state_dict(layers, strict=False)
        if missing or unexpected:
            raise ValueError(f"encoder weights do not match the layers: {(missing or unexpected)[:3]}")
        self.dropout = nn.Dropout(hidden_dropout)
        self.attribution = nn.Sequential(nn.Linear(hidden + N_FEATURES, 256), nn.GELU(), nn.Linear(256, 1))
        self.subjectivity = nn.Sequential(nn.Linear(hidden, 256), nn.GELU(), nn.Linear(256, 1))
        self.spans = nn.Linear(hidden, len(TAGS))
        self.register_buffer("temperatures", torch.ones(2))

    def forward(self, ids, lengths, sent_window, sent_range, features):
        """Logits of the windows' sentences (attribution, subjectivity) and pieces (spans).
        ``sent_window`` indexes the batch; ``sent_range`` is each sentence's piece range."""
        n = ids.shape[1]
        valid = torch.arange(n, device=ids.device)[None, :] < lengths[:, None]
        h = self.embeddings(ids)
        mask = valid[:, None, None, :]
        for layer in self.top:
            h = layer(h, mask)
        # Mean over each sentence's pieces, as SaidwhoModel's pooling matrix does (an empty range takes its first piece).
        cs = F.pad(h.float().cumsum(1), (0, 0, 1, 0))
        start, end = sent_range[:, 0], torch.maximum(sent_range[:, 1], sent_range[:, 0] + 1)
        vec = (cs[sent_window, end] - cs[sent_window, start]) / (end - start)[:, None].float()
        vec = self.dropout(vec)
        return {
            "attribution": self.attribution(torch.cat([vec, features], dim=-1)).squeeze(-1),
            "subjectivity": self.subjectivity(vec).squeeze(-1),
            "spans": self.spans(self.dropout(h)),
        }

    def trained_state(self) -> dict[str, torch.Tensor]:
        """What ``SaidwhoModel.trained_state`` stores: layers fp16, heads and temperatures fp32."""
        state = {}
        for name, tensor in self.state_dict().items():
            if name.startswith("top."):
                state[name] = tensor.detach().to(torch.float16).cpu().contiguous()
            elif name.startswith(("attribution.", "subjectivity.", "spans.", "temperatures")):
                state[name] = tensor.detach().float().cpu().contiguous()
        return state
