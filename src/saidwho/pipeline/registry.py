"""Components by name, and pipelines built from a model's config.

Every model folder's ``config.json`` lists its components
(:class:`~saidwho.models.config.ModelConfig`); :func:`build_pipeline` looks
each up here and calls its factory with the component's settings. A new
component is registered with :func:`register` under a new name.

:func:`check_model` checks a model folder completely without building it (its
config, every component and setting, every file the config names), so the
command line can refuse a broken folder before it reads or writes anything.

Factories import their component's module when called, so loading a rule
model, or a learned one whose runtime is ONNX, never imports torch.

A component that reads files (a classifier, weights) writes them again in its
``save_pretrained``, which :meth:`Pipeline.save_pretrained
<saidwho.pipeline.core.Pipeline.save_pretrained>` calls; :func:`load` builds
the saved folder again.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.models.config import CONFIG_NAME, DEFAULT_MODEL, ModelConfig, resolve_model_path
from saidwho.pipeline.component import Component
from saidwho.pipeline.core import Pipeline
from saidwho.pipeline.parse import Parser

Factory = Callable[..., Component]
# What a component reads from disk: ``(context, **settings) -> [(path, what it is)]``.
Needs = Callable[..., list[tuple[Path, str]]]
FACTORIES: dict[str, Factory] = {}
NEEDS: dict[str, Needs] = {}


def register(name: str, needs: Needs | None = None) -> Callable[[Factory], Factory]:
    """Register a factory ``(context, **settings) -> Component`` under ``name``.

    ``needs`` lists the files the component will read, called like the
    factory (settings with their defaults filled in); each must exist before
    any component is built, and :func:`check_model` checks them without
    building anything.
    """

    def decorate(factory: Factory) -> Factory:
        if name in FACTORIES:
            raise ValueError(f"component factory {name!r} is registered twice")
        FACTORIES[name] = factory
        if needs is not None:
            NEEDS[name] = needs
        return factory

    return decorate


class BuildContext:
    """What factories share while one pipeline is built: its folder, its config,
    and resources loaded once (spaCy, the learned model)."""

    def __init__(self, path: Path, config: ModelConfig):
        self.path = path
        self.config = config

    @cached_property
    def parser(self) -> Parser:
        return Parser()

    @cached_property
    def window_scorer(self):
        """The learned model, as the config's runtime runs it (torch, or the ONNX graph)."""
        if self.config.kind != "neural":
            raise UserError(f"{self.path}: a learned component needs a model of kind 'neural'")
        if self.config.runtime == "onnx":
            from saidwho.models.graph import GraphScorer

            return GraphScorer(self.path, self.config)
        from saidwho.models.encoder import SaidwhoModel, TorchScorer

        return TorchScorer(SaidwhoModel.from_pretrained(self.path, self.config))


def load(name: str = DEFAULT_MODEL, *, runtime: str | None = None, quantize: str | None = None) -> Pipeline:
    """The pipeline of a model, by name (``default``, ``rules``, a folder in
    ``models/``, an alias in :data:`~saidwho.models.config.MODEL_ALIASES`) or
    path. The same default as the command line.

    ``runtime`` (``torch`` or ``onnx``) and ``quantize`` (``int8``,
    ``int8-frozen`` or ``none``) run a learned model another way than its
    config says (None: as it says), e.g.
    ``load("minilm-v2-hybrid-context", runtime="onnx", quantize="int8")``,
    which is the default."""
    path = resolve_model_path(name)
    return build_pipeline(ModelConfig.from_pretrained(name, runtime=runtime, quantize=quantize), path)


def check_model(name: str = DEFAULT_MODEL) -> Path:
    """The folder of a model, checked completely without loading it: the
    config parses, every component and setting is known, and every file the
    config names exists (the weights, a component's weights or classifier,
    those of another folder named by a relative path such as
    ``../minilm-v2/model.safetensors``). The command line calls this before it
    reads any input or creates any output. Returns the folder."""
    path = resolve_model_path(name)
    _checked_specs(ModelConfig.from_pretrained(name), path)
    return path


def build_pipeline(config: ModelConfig, path: Path) -> Pipeline:
    """The pipeline a config lists; every component name, setting and file is checked before any is built."""
    where = path / CONFIG_NAME
    specs = _checked_specs(config, path)
    context = BuildContext(path, config)
    components = [factory(context, **settings) for factory, settings in specs]
    try:
        return Pipeline(components, name=config.name, path=path, config=config)
    except ValueError as exc:
        raise UserError(f"{where}: {exc}") from None


def _checked_specs(config: ModelConfig, path: Path) -> list[tuple[Factory, dict[str, Any]]]:
    """Each component's factory and settings, after checking its name, its
    settings and that every file it will read exists (one line for the first problem)."""
    where = path / CONFIG_NAME
    specs = [_checked_spec(spec, where) for spec in config.pipeline]
    context = BuildContext(path, config)
    for spec, (factory, settings) in zip(config.pipeline, specs):
        needs = NEEDS.get(spec["component"])
        if needs is None:
            continue
        bound = inspect.signature(factory).bind(context, **settings)
        bound.apply_defaults()
        for file, what in needs(**bound.arguments):
            if not file.exists():
                raise UserError(f"{file}: missing ({what}, named in {where})")
    return specs


def _checked_spec(spec: dict[str, Any], where: Path) -> tuple[Factory, dict[str, Any]]:
    settings = dict(spec)
    name = settings.pop("component")
    factory = FACTORIES.get(name)
    if factory is None:
        raise UserError(f"{where}: unknown component {name!r}; known: {', '.join(sorted(FACTORIES))}")
    accepted = set(inspect.signature(factory).parameters) - {"context"}
    unknown = sorted(set(settings) - accepted)
    if unknown:
        raise UserError(f"{where}: component {name!r} has no setting(s) {', '.join(unknown)}")
    return factory, settings


# ---------------------------------------------------------------- the built-in components


def _learned_weights(context: BuildContext, **settings: Any) -> list[tuple[Path, str]]:
    """The learned model's weights (``weights`` in config.json; may be another folder's)."""
    return [(context.config.weights_path(context.path), "the learned model's weights")]


def _classifier_files(location: Path, what: str) -> list[tuple[Path, str]]:
    from saidwho.models.subjectivity import SubjectivityClassifier

    return [(file, what) for file in SubjectivityClassifier.files(location)]


def _opinion_files(context: BuildContext, classifier: str | None, **settings: Any) -> list[tuple[Path, str]]:
    if classifier is None:
        return []
    return _classifier_files(context.path / classifier, "the opinion classifier")


def _context_files(context: BuildContext, lexical: str | None, weights: str | None, **settings: Any) -> list[tuple[Path, str]]:
    from saidwho.pipeline.context import ContextWeights

    folder = context.path / weights if weights else context.path
    files = [(folder / ContextWeights.FILE, "the context_opinion component's weights")]
    if lexical is not None:
        files += _classifier_files(context.path / lexical, "the context_opinion component's lexical classifier")
    return files


@register("segmenter")
def _segmenter(context: BuildContext) -> Component:
    from saidwho.pipeline.segment import Segmenter

    return Segmenter()


@register("rule_attributor")
def _rule_attributor(context: BuildContext) -> Component:
    from saidwho.pipeline.attribution import RuleAttributor

    return RuleAttributor(context.parser)


@register("neural_attributor", needs=_learned_weights)
def _neural_attributor(context: BuildContext, attribution_threshold: float = 0.5) -> Component:
    from saidwho.pipeline.neural import NeuralAttributor

    return NeuralAttributor(context.window_scorer, context.config, context.parser, float(attribution_threshold))


@register("learned_scorer", needs=_learned_weights)
def _learned_scorer(context: BuildContext, threshold: float = 0.9) -> Component:
    from saidwho.pipeline.neural import LearnedScorer, NeuralAttributor

    return LearnedScorer(NeuralAttributor(context.window_scorer, context.config, context.parser), float(threshold))


@register("rules_over_model")
def _rules_over_model(context: BuildContext, threshold: float = 0.9) -> Component:
    from saidwho.pipeline.attribution import RuleAttributor
    from saidwho.pipeline.neural import RulesOverModel

    return RulesOverModel(RuleAttributor(context.parser), float(threshold))


@register("speaker_resolver")
def _speaker_resolver(context: BuildContext) -> Component:
    from saidwho.pipeline.speakers import SpeakerResolver

    return SpeakerResolver()


@register("opinion_scorer", needs=_opinion_files)
def _opinion_scorer(context: BuildContext, classifier: str | None = None) -> Component:
    """``classifier``: the classifier's JSON file, relative to the model folder
    (its weights beside it, same stem); None: no opinion classifier."""
    from saidwho.models.subjectivity import SubjectivityClassifier
    from saidwho.pipeline.opinion import OpinionScorer

    if classifier is None:
        return OpinionScorer(None)
    return OpinionScorer(SubjectivityClassifier.from_pretrained(context.path / classifier))


@register("context_opinion", needs=_context_files)
def _context_opinion(context: BuildContext, lexical: str | None = None, weights: str | None = None) -> Component:
    """``weights``: the folder holding the component's weights, relative to the
    model folder (default: the model folder; a variant that only runs the
    model differently points at the original's)."""
    from saidwho.models.subjectivity import SubjectivityClassifier
    from saidwho.pipeline.context import ContextOpinion, ContextWeights

    folder = context.path / weights if weights else context.path
    # The sentence-only lexical classifier lives in another model folder (rules-v1).
    classifier = SubjectivityClassifier.from_pretrained(context.path / lexical) if lexical is not None else None
    return ContextOpinion(ContextWeights.from_pretrained(folder), classifier)


@register("labeler")
def _labeler(context: BuildContext, opinion_threshold: float = 0.5) -> Component:
    from saidwho.pipeline.labels import Labeler

    return Labeler(float(opinion_threshold))


@register("source_profiler")
def _source_profiler(context: BuildContext) -> Component:
    from saidwho.pipeline.profiles import SourceProfiler

    return SourceProfiler()


@register("source_balance")
def _source_balance(context: BuildContext) -> Component:
    from saidwho.pipeline.summary import SourceBalance

    return SourceBalance()
