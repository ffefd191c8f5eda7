"""Evaluation metrics (hand-made lists and LlamaIndex's reference) and `bookchat eval`."""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.evaluation.retrieval.metrics import MRR, NDCG, HitRate, Precision, Recall

from engine.errors import ConfigurationError
from engine.evaluation import distinct_pages, load_dataset, relevance, scores
from engine.types import Source
from tests.support.fake_gemini import FakeGemini
from tests.support.processes import bookchat, service_env


def metrics_of(ranked: list[str], expected: list[str], k: int) -> dict[str, float]:
    return scores(relevance(ranked, expected), len(expected), k)


def test_one_relevant_at_rank_two() -> None:
    got = metrics_of(["x.md", "a.md", "y.md"], ["a.md"], k=3)

    assert got == pytest.approx(
        {"hit_rate": 1.0, "mrr": 0.5, "ndcg": 1 / math.log2(3), "recall": 1.0, "precision": 1 / 3}
    )


def test_no_relevant_result_scores_zero() -> None:
    assert metrics_of(["x.md", "y.md"], ["a.md"], k=2) == {
        "hit_rate": 0.0,
        "mrr": 0.0,
        "ndcg": 0.0,
        "recall": 0.0,
        "precision": 0.0,
    }


def test_several_relevant_sources() -> None:
    got = metrics_of(["a.md", "x.md", "b.md"], ["a.md", "b.md"], k=3)

    ideal = 1 + 1 / math.log2(3)
    assert got == pytest.approx(
        {"hit_rate": 1.0, "mrr": 1.0, "ndcg": 1.5 / ideal, "recall": 1.0, "precision": 2 / 3}
    )


def test_more_expected_than_k_uses_the_truncated_ideal() -> None:
    got = metrics_of(["a.md"], ["a.md", "b.md", "c.md"], k=1)

    assert got["ndcg"] == pytest.approx(1.0)
    assert got["recall"] == pytest.approx(1 / 3)


def test_only_the_top_k_count() -> None:
    assert metrics_of(["x.md", "y.md", "a.md"], ["a.md"], k=2)["hit_rate"] == 0.0


def test_ties_keep_the_retriever_order() -> None:
    sources = [
        Source(id="1", text="", score=0.5, metadata={"source": "x.md"}),
        Source(id="2", text="", score=0.5, metadata={"source": "a.md"}),
    ]

    pages = [name for name, _ in distinct_pages(sources)]

    assert pages == ["x.md", "a.md"]
    assert metrics_of(pages, ["a.md"], k=2)["mrr"] == 0.5


def test_chunks_of_one_page_count_once_at_their_best_rank() -> None:
    sources = [
        Source(id=str(i), text="", score=1 - i / 10, metadata={"source": name})
        for i, name in enumerate(["a.md", "a.md", "b.md", "a.md"])
    ]

    assert distinct_pages(sources) == [("a.md", 1.0), ("b.md", 0.8)]


def test_source_matches_expected_by_path_suffix() -> None:
    assert relevance(["docs/safety/estop.md", "xsafety/estop.md"], ["safety/estop.md"]) == [1, 0]


def test_an_expected_entry_is_credited_once() -> None:
    assert relevance(["docs/a.md", "a.md"], ["a.md"]) == [1, 0]


@pytest.mark.parametrize("seed", range(25))
def test_metrics_agree_with_llama_index_reference(seed: int) -> None:
    """Random lists where our definitions and LlamaIndex's coincide (|expected| <= k)."""
    rng = random.Random(seed)
    pool = [f"p{i}.md" for i in range(12)]
    k = rng.randint(1, 8)
    ranked = rng.sample(pool, k)
    expected = rng.sample(pool, rng.randint(1, k))

    ours = metrics_of(ranked, expected, k)
    ref = {
        "hit_rate": HitRate().compute(expected_ids=expected, retrieved_ids=ranked).score,
        "mrr": MRR().compute(expected_ids=expected, retrieved_ids=ranked).score,
        "ndcg": NDCG().compute(expected_ids=expected, retrieved_ids=ranked).score,
        "recall": Recall().compute(expected_ids=expected, retrieved_ids=ranked).score,
        "precision": Precision().compute(expected_ids=expected, retrieved_ids=ranked).score,
    }

    assert ours == pytest.approx(ref)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"question": "q"}\n', "'expected' must be a list"),
        ('{"question": "", "expected": ["a"]}\n', "'question' must be"),
        ("not json\n", "not JSON"),
        ("\n", "no questions"),
    ],
)
def test_bad_dataset_is_a_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(content)

    with pytest.raises(ConfigurationError, match=message):
        load_dataset(path)


# ------------------------------------------------------------------- end to end
def table_value(out: str, label: str) -> float:
    """The value of a row of the printed metrics table."""
    match = re.search(rf"^{re.escape(label)}\s+([0-9.]+)$", out, re.M)
    assert match, f"no row {label!r} in:\n{out}"
    return float(match.group(1))


DATASET = [
    {"question": "What does an IMU measure?", "expected": ["sensors/imu.md"]},
    {"question": "How does LiDAR build a point cloud?", "expected": ["sensors/lidar.md"]},
    {"question": "When may I restart after an emergency stop?", "expected": ["safety/estop.md"]},
    {
        "question": "What do ROS 2 publishers do?",
        "expected": ["ros2/topics.md", "intro/welcome.md"],
    },
    {"question": "Which gearbox has no backlash?", "expected": ["actuators/gearboxes.md"]},
]


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "eval.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in DATASET))
    return path


def test_eval_prints_the_table_and_the_worst_questions(
    fake: FakeGemini, qdrant_path: Path, dataset: Path
) -> None:
    result = bookchat("eval", str(dataset), "--k", "3", env=service_env(fake, qdrant_path))

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "5 questions (5 in scope), k=3" in out
    for label in (
        "hit rate@3",
        "MRR@3",
        "nDCG@3",
        "recall@3",
        "precision@3",
        "retrieval latency mean (ms)",
        "retrieval latency p95 (ms)",
    ):
        assert label in out
    assert table_value(out, "hit rate@3") == pytest.approx(0.8)
    assert "no relevant source in the top 3 (1):" in out
    assert "- Which gearbox has no backlash?" in out
    assert "expected actuators/gearboxes.md; got " in out
    assert fake.of_kind("generate") == []


def test_eval_json_holds_ranked_sources_and_aggregates(
    fake: FakeGemini, qdrant_path: Path, dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.json"
    result = bookchat("eval", str(dataset), "--json", str(out), env=service_env(fake, qdrant_path))

    assert result.returncode == 0, result.stderr
    run = json.loads(out.read_text())
    assert run["aggregate"]["hit_rate"] == pytest.approx(0.8)
    first = run["questions"][0]
    assert first["question"] == "What does an IMU measure?"
    assert first["ranked"][0] == {
        "source": "sensors/imu.md",
        "score": first["ranked"][0]["score"],
        "relevant": True,
    }
    assert run["config"]["k"] == 5
    assert run["config"]["provider"] == "gemini"


def test_compare_prints_deltas_and_changed_questions(
    fake: FakeGemini, qdrant_path: Path, dataset: Path, tmp_path: Path
) -> None:
    env = service_env(fake, qdrant_path)
    bookchat("eval", str(dataset), "--k", "1", "--json", str(tmp_path / "a.json"), env=env)
    bookchat("eval", str(dataset), "--k", "5", "--json", str(tmp_path / "b.json"), env=env)

    result = bookchat(
        "eval", "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"), env=env
    )

    assert result.returncode == 0, result.stderr
    a = json.loads((tmp_path / "a.json").read_text())["aggregate"]
    b = json.loads((tmp_path / "b.json").read_text())["aggregate"]
    row = re.search(r"^precision\s+([0-9.]+)\s+([0-9.]+)\s+([-+][0-9.]+)$", result.stdout, re.M)
    assert row is not None, result.stdout
    assert float(row.group(1)) == pytest.approx(a["precision"], abs=1e-3)
    assert float(row.group(2)) == pytest.approx(b["precision"], abs=1e-3)
    assert float(row.group(3)) == pytest.approx(b["precision"] - a["precision"], abs=2e-3)


def test_compare_lists_questions_whose_rank_moved() -> None:
    from engine.evaluation import EvalRun, QuestionResult, render_comparison

    def run(rr: float) -> EvalRun:
        metrics = {
            "hit_rate": float(rr > 0),
            "mrr": rr,
            "ndcg": rr,
            "recall": 1.0,
            "precision": 0.2,
        }
        result = QuestionResult("Where is the IMU?", ["imu.md"], [], metrics, 1.0)
        same = QuestionResult("Unchanged?", ["x.md"], [], metrics | {"mrr": 1.0}, 1.0)
        out = EvalRun(config={"k": 5}, results=[result, same])
        out.finish()
        return out

    text = render_comparison(run(0.5), run(1.0))

    assert "questions whose reciprocal rank changed (1):" in text
    assert "- better 0.50 -> 1.00  Where is the IMU?" in text
    assert "Unchanged?" not in text


def test_min_hit_rate_gates_ci(fake: FakeGemini, qdrant_path: Path, dataset: Path) -> None:
    env = service_env(fake, qdrant_path)

    passing = bookchat("eval", str(dataset), "--min-hit-rate", "0.8", env=env)
    failing = bookchat("eval", str(dataset), "--min-hit-rate", "0.9", env=env)

    assert passing.returncode == 0
    assert failing.returncode == 1
    assert failing.stderr.strip().endswith("bookchat: hit rate 0.800 is below 0.9")


def test_filter_option_narrows_retrieval(
    fake: FakeGemini, qdrant_path: Path, dataset: Path
) -> None:
    result = bookchat(
        "eval",
        str(dataset),
        "--filter",
        "source=sensors/imu.md",
        env=service_env(fake, qdrant_path),
    )

    assert table_value(result.stdout, "hit rate@5") == pytest.approx(0.2)


def test_answers_are_scored_for_citations(
    fake: FakeGemini, qdrant_path: Path, dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.json"
    result = bookchat(
        "eval", str(dataset), "--answers", "--json", str(out), env=service_env(fake, qdrant_path)
    )

    assert result.returncode == 0, result.stderr
    assert "answers citing only relevant passages" in result.stdout
    run = json.loads(out.read_text())
    assert run["questions"][0]["citations_relevant"] is True
    assert run["questions"][0]["cited"] == [1]
    assert run["aggregate"]["citations_relevant"] == pytest.approx(0.8)
    assert len(fake.of_kind("generate")) == 5


def test_judge_scores_faithfulness_with_the_llm(
    fake: FakeGemini, qdrant_path: Path, dataset: Path
) -> None:
    fake.reply = "YES"

    result = bookchat(
        "eval", str(dataset), "--answers", "--judge", env=service_env(fake, qdrant_path)
    )

    assert result.returncode == 0, result.stderr
    assert table_value(result.stdout, "faithfulness (LLM-judged)") == 1.0
    assert table_value(result.stdout, "relevancy (LLM-judged)") == 1.0


def test_generate_writes_a_dataset_from_the_collection(
    fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated.jsonl"

    result = bookchat(
        "eval", "generate", "--out", str(out), "--n", "3", env=service_env(fake, qdrant_path)
    )

    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3
    sources = {
        "intro/welcome.md",
        "sensors/imu.md",
        "sensors/lidar.md",
        "ros2/topics.md",
        "safety/estop.md",
    }
    for row in rows:
        assert row["question"]
        assert len(row["expected"]) == 1
        assert row["expected"][0] in sources
    prompts = [r.body["contents"][-1]["parts"][0]["text"] for r in fake.of_kind("generate")]
    assert all(p.startswith("Here is a passage from a book.") for p in prompts)
    assert load_dataset(out)  # what it writes, eval reads


def test_bad_dataset_exits_2(fake: FakeGemini, qdrant_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "q", "expected": "a.md"}\n')

    result = bookchat("eval", str(path), env=service_env(fake, qdrant_path))

    assert result.returncode == 2
    assert result.stderr.strip() == f"bookchat: {path}:1: 'expected' must be a list of sources"


CONVERSATION = [
    {
        "question": "And what does it measure?",
        "expected": ["sensors/lidar.md"],
        "history": [
            {"role": "user", "content": "Tell me about LiDAR scanners."},
            {"role": "assistant", "content": "They fire laser pulses."},
        ],
    },
    {
        "question": "What does an IMU measure?",
        "expected": ["sensors/imu.md"],
        "facts": [["accelerometers"], ["acceleration", "angular velocity"]],
    },
    {"question": "Who won the 2018 football World Cup?", "expected": []},
    {"question": "Which wine goes with grilled salmon?", "expected": []},
]


@pytest.fixture
def conversation(tmp_path: Path) -> Path:
    path = tmp_path / "conversation.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in CONVERSATION))
    return path


def run_json(fake: FakeGemini, qdrant_path: Path, dataset: Path, *args: str) -> dict[str, Any]:
    out = dataset.parent / f"run-{len(list(dataset.parent.glob('run-*')))}.json"
    result = bookchat(
        "eval", str(dataset), "--json", str(out), *args, env=service_env(fake, qdrant_path)
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def test_follow_up_hit_rate_with_and_without_the_rewrite(
    fake: FakeGemini, qdrant_path: Path, conversation: Path
) -> None:
    rewritten = run_json(fake, qdrant_path, conversation, "--k", "1")
    raw = run_json(fake, qdrant_path, conversation, "--k", "1", "--no-rewrite")

    assert rewritten["aggregate"]["follow_up_hit_rate"] == 1.0
    assert raw["aggregate"]["follow_up_hit_rate"] == 0.0
    assert rewritten["questions"][0]["retrieval_query"] == (
        "Tell me about LiDAR scanners. And what does it measure?"
    )
    assert rewritten["aggregate"]["hit_rate"] == 1.0  # over the two in-scope questions


def test_one_run_also_reports_the_hit_rates_when_every_follow_up_is_rewritten(
    fake: FakeGemini, qdrant_path: Path, conversation: Path
) -> None:
    decided = run_json(fake, qdrant_path, conversation, "--k", "1")
    always = run_json(fake, qdrant_path, conversation, "--k", "1", "--rewrite-always")

    reported = decided["aggregate"]["follow_up_hit_rate_rewrite_always"]
    assert reported == always["aggregate"]["follow_up_hit_rate"]
    assert "follow_up_hit_rate_rewrite_always" not in always["aggregate"]


def test_the_table_shows_both_follow_up_figures(
    fake: FakeGemini, qdrant_path: Path, conversation: Path
) -> None:
    result = bookchat("eval", str(conversation), "--k", "1", env=service_env(fake, qdrant_path))

    assert result.returncode == 0, result.stderr
    assert table_value(result.stdout, "follow-up hit rate") == 1.0
    assert "  rewriting every follow-up" in result.stdout


def test_abstention_precision_and_recall_at_a_gate(
    fake: FakeGemini, qdrant_path: Path, conversation: Path
) -> None:
    run = run_json(fake, qdrant_path, conversation, "--min-score", "0.05")

    assert [q["abstained"] for q in run["questions"]] == [False, False, True, True]
    assert run["aggregate"]["abstention_precision"] == 1.0
    assert run["aggregate"]["abstention_recall"] == 1.0
    assert run["questions"][2]["metrics"] is None


def test_pick_min_score_separates_in_and_out_of_scope(
    fake: FakeGemini, qdrant_path: Path, conversation: Path
) -> None:
    result = bookchat(
        "eval", str(conversation), "--pick-min-score", env=service_env(fake, qdrant_path)
    )

    assert result.returncode == 0, result.stderr
    picked = float(result.stdout.strip().splitlines()[-1].split("=", 1)[1])
    assert "<- picked" in result.stdout
    assert 0.0 < picked < 0.3


def test_answers_are_scored_for_facts_and_outcome(
    fake: FakeGemini, qdrant_path: Path, conversation: Path
) -> None:
    run = run_json(fake, qdrant_path, conversation, "--answers", "--min-score", "0.05")

    imu = run["questions"][1]
    assert imu["outcome"] == "answered"
    assert imu["facts_found"] is True
    assert imu["unsupported"] is False
    assert [q["outcome"] for q in run["questions"][2:]] == ["not_in_book", "not_in_book"]
    assert run["aggregate"]["facts_found"] == 1.0
    assert run["aggregate"]["abstention_recall"] == 1.0


def test_answers_report_the_share_of_sentences_flagged_unsupported(
    fake: FakeGemini, qdrant_path: Path, conversation: Path
) -> None:
    fake.reply = (
        "An IMU measures linear acceleration with accelerometers. "
        "The IMU always samples at exactly 9999 kHz on every robot."
    )
    run = run_json(fake, qdrant_path, conversation, "--answers", "--min-score", "0.05")

    imu = run["questions"][1]
    assert (imu["sentences"], imu["sentences_flagged"]) == (2, 1)
    answered = [q for q in run["questions"] if q["sentences"]]
    assert run["aggregate"]["sentences_flagged"] == pytest.approx(
        sum(q["sentences_flagged"] for q in answered) / sum(q["sentences"] for q in answered)
    )


def test_facts_and_gate_rules_on_hand_made_cases() -> None:
    from engine.evaluation import (
        EvalRun,
        QuestionResult,
        facts_found,
        gate_table,
        pick_gate,
        unsupported_numbers,
    )

    assert facts_found("It reads 9.81 m/s² at rest.", [["9.81", "9.8"], ["rest"]])
    assert not facts_found("It reads 9.81.", [["9.81"], ["gravity"]])
    passages = [Source(id="a", text="Gravity is 9.81 m/s² at 3 sites.", score=1.0, metadata={})]
    assert unsupported_numbers("About 9.81 [1], at 2 or 42.5 sites [2].", passages) == ["42.5"]

    def result(top: float | None, covered: bool) -> QuestionResult:
        metrics = {"hit_rate": 1.0} if covered else None
        return QuestionResult("q", [], [], metrics, 1.0, top_score=top)

    run = EvalRun(config={}, results=[result(0.8, True), result(0.5, True), result(0.3, False)])
    rows = gate_table(run)
    best = pick_gate(rows)

    assert best.threshold == pytest.approx(0.4)
    assert (best.abstention_precision, best.abstention_recall, best.in_scope_kept) == (1, 1, 1)
