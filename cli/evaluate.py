"""The `bookchat eval` sub-commands: run, compare, generate."""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from cli.options import TOP_K_RANGE, check_top_k, parse_filters
from cli.progress import TerminalProgress
from config import Settings
from engine import BookAssistant
from engine.errors import ConfigurationError
from engine.evaluation import (
    EvalRun,
    GroundingReport,
    Question,
    book_pages,
    evaluate,
    evaluate_grounding,
    gate_table,
    generate_questions,
    grounding_sweep,
    llm_judge,
    load_dataset,
    load_grounding,
    pick_gate,
    read_run,
    render_comparison,
    render_gate,
    render_grounding,
    render_report,
    render_sweep,
    select_questions,
    write_dataset,
    write_run,
)
from engine.grounding import (
    THRESHOLD,
    Calibration,
    CalibrationError,
    Grounder,
    GroundingThreshold,
    calibrate,
)
from engine.providers import build_models


def _threshold(value: str) -> float | str:
    if value.strip().lower() == "auto":
        return "auto"
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not 0.0 < number < 1.0:
        raise argparse.ArgumentTypeError(f"{value!r}: expected auto or a number between 0 and 1")
    return number


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bookchat eval", description="Score retrieval over a JSON Lines question set."
    )
    parser.add_argument("dataset", type=Path, nargs="?")
    parser.add_argument(
        "--grounding",
        type=Path,
        default=None,
        metavar="FILE",
        help="score the answer-sentence grounding check on a labelled set",
    )
    parser.add_argument(
        "--book", type=Path, default=None, help="with --grounding: the book's folder"
    )
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=None,
        metavar="X",
        help="with --grounding: the cosine threshold (0..1, or auto); "
        "default BOOKCHAT_GROUNDING_THRESHOLD",
    )
    parser.add_argument(
        "--k", type=int, default=None, help=f"cut-off ({TOP_K_RANGE}); default BOOKCHAT_TOP_K"
    )
    parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--version",
        default=None,
        help="only the cases of this docs version (and those of none, asked in it)",
    )
    parser.add_argument(
        "--locale",
        default=None,
        help="only the cases of this locale (and those of none, asked in it)",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="questions in flight (1-32)")
    parser.add_argument("--json", type=Path, default=None, help="write the run to this file")
    parser.add_argument("--min-hit-rate", type=float, default=None, help="exit 1 below this")
    parser.add_argument("--answers", action="store_true", help="also generate and score answers")
    parser.add_argument(
        "--judge", action="store_true", help="with --answers: LLM-judged faithfulness (Gemini)"
    )
    parser.add_argument("--collection", default=None, help="override QDRANT_COLLECTION")
    parser.add_argument("--provider", choices=["auto", "gemini", "local"], default=None)
    parser.add_argument("--embed-model", default=None, help="override BOOKCHAT_EMBED_MODEL")
    parser.add_argument("--embed-dim", type=int, default=None, help="override BOOKCHAT_EMBED_DIM")
    parser.add_argument(
        "--hybrid", choices=["auto", "on", "off"], default=None, help="override BOOKCHAT_HYBRID"
    )
    parser.add_argument(
        "--min-score", type=float, default=None, help="override BOOKCHAT_MIN_SCORE (-1: no gate)"
    )
    parser.add_argument(
        "--no-rewrite", action="store_true", help="retrieve follow-ups with the raw message"
    )
    parser.add_argument(
        "--rewrite-always",
        action="store_true",
        help="rewrite every follow-up (no decision on whether it leans on its context)",
    )
    parser.add_argument(
        "--pick-min-score",
        action="store_true",
        help="with no gate, pick BOOKCHAT_MIN_SCORE from the in- and out-of-scope questions",
    )
    return parser


def _compare_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bookchat eval compare", description="Compare two `bookchat eval --json` runs."
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    return parser


def _generate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bookchat eval generate",
        description="Write a question set from the collection with the LLM.",
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=30, help="questions to write (1-1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--concurrency", type=int, default=4)
    return parser


def overridden(settings: Settings, args: argparse.Namespace) -> Settings:
    """The settings with the run's model and collection options applied."""
    try:
        engine_update: dict[str, object] = {}
        if args.provider:
            engine_update["provider"] = args.provider
        if args.hybrid:
            engine_update["hybrid"] = args.hybrid
        if args.no_rewrite:
            engine_update["followup_rewrite"] = False
        if args.rewrite_always:
            engine_update["followup_decide"] = False
        if args.pick_min_score:
            engine_update["min_score"] = -1.0  # no gate: every question's best score counts
        elif args.min_score is not None:
            engine_update["min_score"] = args.min_score
        engine = settings.engine.model_copy(update=engine_update)
        gemini_update: dict[str, object] = {}
        if args.embed_model:
            gemini_update["embed_model"] = args.embed_model
        if args.embed_dim:
            gemini_update["embed_dim"] = args.embed_dim
        gemini = settings.gemini.model_copy(update=gemini_update)
        qdrant = settings.qdrant.model_copy(
            update={"collection": args.collection} if args.collection else {}
        )
        # Re-validated: an empty collection name follows the (possibly new) provider.
        if args.provider and not args.collection:
            qdrant = qdrant.model_copy(update={"collection": ""})
        return Settings.model_validate(
            {**settings.__dict__, "engine": engine, "gemini": gemini, "qdrant": qdrant}
        )
    except ValueError as exc:
        raise ConfigurationError(f"invalid option: {exc}") from None


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    questions = select_questions(load_dataset(args.dataset), args.version, args.locale)
    if not questions:
        raise ConfigurationError(
            f"{args.dataset}: no question of version {args.version or 'any'} "
            f"and locale {args.locale or 'any'}"
        )
    check_top_k(args.k, "--k")
    if not 1 <= args.concurrency <= 32:
        raise ConfigurationError("--concurrency must be between 1 and 32")
    if args.judge and not args.answers:
        raise ConfigurationError("--judge goes with --answers")
    engine = await BookAssistant.open(settings, require_collection=True)
    try:
        if args.judge and engine.models.provider != "gemini":
            raise ConfigurationError("--judge needs Gemini (set GEMINI_API_KEY)")
        # The cut-off answers are built with (the models' bound applies to both).
        k = await engine.top_k(args.k)
        run = await evaluate(
            questions,
            engine.retrieve,
            k=k,
            filters=parse_filters(args.filter),
            concurrency=args.concurrency,
            config={
                "provider": engine.models.provider,
                "embed_model": engine.models.embed_model,
                "collection": settings.qdrant.collection,
                "dataset": str(args.dataset),
                "hybrid": (await engine.attach()).hybrid,
                "min_score": (await engine.attach()).min_score,
                "rewrite": settings.engine.followup_rewrite,
                **{
                    key: value
                    for key, value in (("version", args.version), ("locale", args.locale))
                    if value
                },
                "rewrite_decision": settings.engine.followup_decide,
            },
            answer=engine.chat if args.answers else None,
            judge=llm_judge(engine.models.llm) if args.judge else None,
            progress=TerminalProgress,
        )
    finally:
        await engine.aclose()  # first: an embedded Qdrant folder takes one client at a time
    if settings.engine.followup_rewrite and settings.engine.followup_decide:
        run.add_rewrite_always(await _rewrite_always(settings, questions, k, args))
    print(render_report(run))
    if args.pick_min_score:
        rows = gate_table(run)
        print(render_gate(rows, pick_gate(rows)))
    if args.json:
        write_run(run, args.json)
    if args.min_hit_rate is not None and run.aggregate["hit_rate"] < args.min_hit_rate:
        print(
            f"bookchat: hit rate {run.aggregate['hit_rate']:.3f} is below {args.min_hit_rate}",
            file=sys.stderr,
        )
        return 1
    return 0


async def _rewrite_always(
    settings: Settings, questions: Sequence[Question], k: int, args: argparse.Namespace
) -> EvalRun:
    """The run's follow-ups and page questions retrieved again with every one rewritten
    (no decision): the figures the rewrite decision is measured against."""
    leaning = [q for q in questions if q.history or q.page is not None]
    if not leaning:
        return EvalRun(config={})
    always = settings.model_copy(
        update={"engine": settings.engine.model_copy(update={"followup_decide": False})}
    )
    engine = await BookAssistant.open(always, require_collection=True)
    try:
        return await evaluate(
            leaning,
            engine.retrieve,
            k=k,
            filters=parse_filters(args.filter),
            concurrency=args.concurrency,
        )
    finally:
        await engine.aclose()


async def _grounding(settings: Settings, args: argparse.Namespace) -> int:
    """The grounding check's "unsupported" flag against a labelled set: precision and
    recall. Needs no collection: the pages are read from the book's folder."""
    cases = load_grounding(args.grounding)
    mode = settings.engine.grounding
    if mode == "off":
        raise ConfigurationError("--grounding with BOOKCHAT_GROUNDING=off checks nothing")
    setting = args.threshold if args.threshold is not None else settings.engine.grounding_threshold
    book = args.book or args.grounding.parent
    models = build_models(settings, with_llm=mode == "llm")
    try:
        spec = models.embedding
        embed_model = models.make_embedding(spec.dim or spec.default_dim)
        embed = embed_model.aget_text_embedding_batch
        calibration: Calibration | None = None
        if mode == "embedding" and setting == "auto":
            fallback = models.default_grounding_threshold or THRESHOLD
            try:
                calibration = await calibrate(book_pages(book), embed)
                threshold = calibration.threshold
                said = calibration.describe()
            except CalibrationError as exc:
                threshold = fallback
                said = f"{fallback:g} ({models.embed_model}'s default: cannot calibrate: {exc})"
        else:
            threshold = float(setting)
            said = f"{threshold:g} (set)"
        grounder = Grounder(mode, embed, models.llm, threshold=threshold)
        report = await evaluate_grounding(cases, grounder, book)
        rows = []
        if mode == "embedding":

            async def score(value: float) -> GroundingReport:
                grounder.threshold = GroundingThreshold.fixed(value)
                return await evaluate_grounding(cases, grounder, book)

            also = [calibration.threshold] if calibration is not None else []
            rows = await grounding_sweep(score, threshold, [*also, THRESHOLD])
    finally:
        await models.aclose()
    print(render_grounding(report, f"{mode}, {models.provider} {models.embed_model}"))
    if mode == "embedding":
        print(f"grounding threshold: {said}")
        marks = {round(THRESHOLD, 4): f"fixed {THRESHOLD:g} (before auto)"}
        if calibration is not None:
            marks[round(calibration.threshold, 4)] = "auto"
        marks[round(threshold, 4)] = "in use" + (
            " (auto)" if calibration is not None and threshold == calibration.threshold else ""
        )
        print(render_sweep(rows, marks))
    return 0


async def _generate(settings: Settings, args: argparse.Namespace) -> int:
    if not 1 <= args.n <= 1000:
        raise ConfigurationError("--n must be between 1 and 1000")
    engine = await BookAssistant.open(settings, require_collection=True)
    try:
        passages = await engine.sample_passages(args.n, seed=args.seed)
        questions = await generate_questions(
            passages, engine.complete, args.concurrency, TerminalProgress
        )
    finally:
        await engine.aclose()
    write_dataset(questions, args.out)
    print(f"wrote {len(questions)} questions to {args.out}")
    return 0


def run_eval_command(settings: Settings, argv: Sequence[str]) -> int:
    """Dispatch `bookchat eval ...`; returns the exit status."""
    if not argv or argv[0] in ("-h", "--help"):
        _run_parser().print_help()
        print("\nalso: bookchat eval compare A.json B.json | bookchat eval generate --out F --n N")
        return 0 if argv else 2
    if argv[0] == "compare":
        args = _compare_parser().parse_args(argv[1:])
        print(render_comparison(read_run(args.before), read_run(args.after)))
        return 0
    if argv[0] == "generate":
        return asyncio.run(_generate(settings, _generate_parser().parse_args(argv[1:])))
    args = _run_parser().parse_args(argv)
    status = 0
    if args.grounding is not None:
        status = asyncio.run(_grounding(overridden(settings, args), args))
    elif args.dataset is None:
        raise ConfigurationError("bookchat eval needs a dataset (or --grounding FILE)")
    if args.dataset is not None:
        status = max(status, asyncio.run(_run(overridden(settings, args), args)))
    return status
