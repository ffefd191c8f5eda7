"""Sentence-level grounding: is each sentence of an answer said by the passages it cites?

An answer is cut into sentences (`answer_sentences`), each with the `[n]` markers that
follow it. Each sentence is checked against its evidence: the passages it cites, or,
when it cites none, all the passages the answer was given (`Grounder.check`):

1. **Lexically, first.** The numbers, identifiers (code spans, `snake_case`,
   `camelCase`, dotted or slashed names, words mixing letters and digits) and quoted
   names it states must appear in the evidence: one missing makes it unsupported, with
   no embedding. A sentence whose content words are nearly all in one evidence sentence
   (`COVERED`; for a sentence of `;`-joined clauses, each clause in one) is supported,
   with no embedding either; so is one with no content word;
   one with `MAX_NEW` or more of its content words absent from the evidence is not.
2. **By meaning, for the rest.** The sentences left undecided and the evidence
   sentences are embedded in one call (the embedding model retrieval loaded; an LRU
   cache keeps the vectors of texts seen, so a book's passage sentences are embedded
   once a process): the sentence is supported when its cosine to some evidence sentence
   reaches `threshold`, its words new to the evidence stay under `MAX_NEW`, and each
   single digit it states is in one of its `CLOSEST` closest evidence sentences.

`BOOKCHAT_GROUNDING=llm` asks the LLM instead (one call an answer, for the sentences the
lexical step left undecided); `off` skips the check. The thresholds were picked on
`sample_book/grounding.jsonl` (`bookchat eval --grounding`, docs/evaluation.md).
"""

from __future__ import annotations

import logging
import math
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from engine.providers.extractive import (
    STOPWORDS,
    clean_inline,
    passage_sentences,
    split_sentences,
    stem,
)
from engine.types import CheckedSentence, Source

logger = logging.getLogger(__name__)

GroundingMode = Literal["embedding", "llm", "off"]
EmbedTexts = Callable[[list[str]], Awaitable[list[list[float]]]]

THRESHOLD = 0.6
"""The cosine (all-MiniLM-L6-v2) a sentence needs to some evidence sentence."""
MAX_NEW = 0.4
"""The share of a sentence's content words that may be absent from its evidence (under
this, not at it)."""
COVERED = 0.8
"""A sentence with this share of its content words in one evidence sentence is
supported without an embedding."""
CLOSEST = 2
"""A single digit the sentence states ("Category 2") must be in one of its this many
closest evidence sentences (too common in prose to look for in a whole passage)."""
CACHE_SIZE = 8192
NAMED_BY = ("source", "title", "heading")
"""The metadata the model reads with each passage (`engine.answering.PROMPT_METADATA_KEYS`)."""

MARKERS = re.compile(r"\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINE_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,3}[.)]\s+)")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_CODE = re.compile(r"`([^`]+)`")
_QUOTED = re.compile(r"[\"“]([^\"”]{2,60})[\"”]")
_IDENTIFIER = re.compile(
    r"(?<![\w/.-])(?:[A-Za-z_][\w]*_[\w]+|[a-z]+[A-Z]\w*|[A-Za-z]+\d[\w-]*|"
    r"/?[\w-]+(?:[./][\w-]+)+)(?![\w])"
)
_DIGIT = re.compile(r"(?<![\w.,-])\d(?![\w.,-]\w|\w)")
_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9_\-²]*|\d+(?:[.,]\d+)*")


def answer_sentences(answer: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences and the markers each ends with, fenced code left out.
    A marker that starts a sentence (after the period: `… stops. [1] Then`) belongs to
    the sentence before it."""
    units: list[str] = []
    in_code = False
    for line in answer.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code or not line.strip() or set(line.strip()) <= set("|-: "):
            continue
        units.append(_LINE_PREFIX.sub("", line).strip())
    found: list[tuple[str, list[int]]] = []
    for unit in units:
        for piece in split_sentences(unit):
            lead = _LEADING_MARKERS.match(piece)
            if lead and found:
                text, cites = found[-1]
                found[-1] = (text, cites + _numbers(lead.group(0)))
                piece = piece[lead.end() :].strip()
            if not piece:
                continue
            cites = _numbers(piece)
            text = MARKERS.sub("", piece).strip()
            if re.search(r"[A-Za-z0-9]", text):
                found.append((text, cites))
    return [(text, list(dict.fromkeys(cites))) for text, cites in found]


def _numbers(text: str) -> list[int]:
    return [int(n) for group in MARKERS.findall(text) for n in re.split(r"\s*,\s*", group)]


def _normal(text: str) -> str:
    return " ".join(clean_inline(text).lower().replace("\u2019", "'").split())


def required_tokens(sentence: str) -> list[str]:
    """What the evidence must hold word for word: numbers, identifiers, quoted names."""
    tokens = [m.group(1) for m in _CODE.finditer(sentence)]
    tokens += [m.group(1) for m in _QUOTED.finditer(sentence)]
    bare = _CODE.sub(" ", sentence)
    tokens += [n for n in _NUMBER.findall(bare) if len(n.replace(",", "").replace(".", "")) > 1]
    tokens += [m.group(0).rstrip(".") for m in _IDENTIFIER.finditer(bare)]
    return [t for t in dict.fromkeys(t.strip() for t in tokens) if t]


def content_terms(text: str) -> set[str]:
    return {stem(w) for w in _WORDS.findall(text) if w.lower() not in STOPWORDS and len(w) > 1}


def _clauses(text: str, words: set[str]) -> list[set[str]]:
    """The content words of each `;`-separated clause of a sentence (the whole sentence's
    when it has one): a sentence that joins several of the book's sentences or list items
    ("VOLATILE - …; TRANSIENT_LOCAL - …", as the extractive answerer writes a list, and as
    models do) is covered when each clause is; measured on `bookchat eval --answers`
    offline, such joins were 2 % of the extractive answers' sentences, every one flagged."""
    parts = [content_terms(clean_inline(part)) for part in re.split(r";\s+", text)]
    parts = [part for part in parts if part]
    return parts if len(parts) > 1 else [words]


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


@dataclass
class _Pending:
    index: int
    text: str
    evidence: list[str]
    new: float


class Grounder:
    """Checks an answer's sentences against its passages (see the module's text)."""

    def __init__(
        self,
        mode: GroundingMode,
        embed: EmbedTexts | None = None,
        llm: LLM | None = None,
        *,
        threshold: float = THRESHOLD,
        max_new: float = MAX_NEW,
    ) -> None:
        self.mode = mode
        self._embed = embed
        self._llm = llm
        self.threshold = threshold
        self.max_new = max_new
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._sentences: OrderedDict[str, list[str]] = OrderedDict()
        self._sentence_terms: OrderedDict[str, set[str]] = OrderedDict()
        self.embed_calls = 0

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    def _passage_sentences(self, text: str) -> list[str]:
        """A passage's sentences (cached: passages recur from question to question)."""
        found = self._sentences.get(text)
        if found is None:
            found = [s.text for s in passage_sentences([text], min_chars=8)] or [text]
            self._sentences[text] = found
            while len(self._sentences) > CACHE_SIZE // 8:
                self._sentences.popitem(last=False)
        return found

    def _terms(self, sentence: str) -> set[str]:
        """A passage sentence's content words (cached, as its passage's sentences)."""
        found = self._sentence_terms.get(sentence)
        if found is None:
            found = self._sentence_terms[sentence] = content_terms(sentence)
            while len(self._sentence_terms) > CACHE_SIZE:
                self._sentence_terms.popitem(last=False)
        return found

    async def check(self, answer: str, passages: Sequence[Source]) -> list[CheckedSentence]:
        """Each sentence of `answer` with its citations and whether it is supported."""
        if not self.enabled:
            return []
        sentences = answer_sentences(answer)
        verdicts: list[bool | None] = []
        pending: list[_Pending] = []
        for index, (text, cites) in enumerate(sentences):
            valid = [n for n in cites if 1 <= n <= len(passages)]
            given = [passages[n - 1] for n in valid] or list(passages)
            names = " ".join(str(p.metadata.get(key) or "") for p in given for key in NAMED_BY)
            verdict, new, evidence_sentences = self._lexical(text, [p.text for p in given], names)
            verdicts.append(verdict)
            if verdict is None:
                pending.append(_Pending(index, text, evidence_sentences, new))
        if pending:
            decided = await (self._judge(pending) if self.mode == "llm" else self._meaning(pending))
            for item, verdict in zip(pending, decided, strict=True):
                verdicts[item.index] = verdict
        return [
            CheckedSentence(text, cites, bool(verdict))
            for (text, cites), verdict in zip(sentences, verdicts, strict=True)
        ]

    def _lexical(
        self, text: str, evidence: Sequence[str], names: str = ""
    ) -> tuple[bool | None, float, list[str]]:
        """Supported, unsupported, or None (undecided); the share of new content words;
        the evidence's sentences. `names`: the passages' source, title and section, which
        the model reads with them."""
        if not evidence:
            return False, 1.0, []
        whole = _normal(" ".join([*evidence, names]))
        plain = whole.replace("`", "")
        for token in required_tokens(text):
            if _normal(token) not in plain:
                return False, 1.0, []
        words = content_terms(clean_inline(text))
        if not words:
            return True, 0.0, []
        evidence_sentences = [s for e in evidence for s in self._passage_sentences(e)]
        if all(self._covered(part, evidence_sentences) for part in _clauses(text, words)):
            return True, 0.0, []
        new = len(words - content_terms(whole)) / len(words)
        if new >= self.max_new:  # too much the evidence never says: no embedding needed
            return False, new, []
        return None, new, evidence_sentences

    def _covered(self, words: set[str], evidence_sentences: Sequence[str]) -> bool:
        """`COVERED` of `words` in one evidence sentence."""
        return any(len(words & self._terms(s)) >= COVERED * len(words) for s in evidence_sentences)

    async def _vectors(self, texts: list[str]) -> dict[str, list[float]]:
        assert self._embed is not None
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            self.embed_calls += 1
            for text, vector in zip(missing, await self._embed(missing), strict=True):
                self._cache[text] = vector
        found = {}
        for text in texts:
            self._cache.move_to_end(text)
            found[text] = self._cache[text]
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    async def _meaning(self, pending: Sequence[_Pending]) -> list[bool]:
        """One embedding call for every undecided sentence and its evidence's sentences."""
        if self._embed is None:
            return [item.new < self.max_new for item in pending]
        texts = [t for item in pending for t in (item.text, *item.evidence)]
        vectors = await self._vectors(texts)
        decided = []
        for item in pending:
            ranked = sorted(
                ((_cosine(vectors[item.text], vectors[s]), s) for s in item.evidence),
                reverse=True,
            )
            best = ranked[0][0] if ranked else 0.0
            closest = " ".join(s for _, s in ranked[:CLOSEST])
            digits = _DIGIT.findall(_CODE.sub(" ", item.text))
            decided.append(
                best >= self.threshold
                and item.new < self.max_new
                and all(re.search(rf"(?<![\w.]){d}(?![\w])", closest) for d in digits)
            )
        return decided

    async def _judge(self, pending: Sequence[_Pending]) -> list[bool]:
        """One LLM call: is each numbered sentence supported by its evidence?"""
        from engine.answering import chat_once
        from engine.upstream import upstream_errors

        if self._llm is None:
            return [item.new < self.max_new for item in pending]
        blocks = []
        for number, item in enumerate(pending, 1):
            evidence = " ".join(item.evidence)[:3000]
            blocks.append(f"({number}) Sentence: {item.text}\nEvidence: {evidence}")
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=JUDGE_INSTRUCTION),
            ChatMessage(role=MessageRole.USER, content="\n\n".join(blocks)),
        ]
        with upstream_errors("grounding judge"):
            response = await chat_once(self._llm, messages)
        verdicts = dict(
            (int(n), word.lower() == "yes")
            for n, word in re.findall(r"\((\d+)\)\s*:?\s*(yes|no)", str(response.message.content))
        )
        return [verdicts.get(number, False) for number in range(1, len(pending) + 1)]


JUDGE_INSTRUCTION = (
    "For each numbered sentence, say whether its evidence states what the sentence says "
    "(a faithful paraphrase counts; a number, name or claim the evidence does not make "
    "does not). Reply one line a sentence, `(n) yes` or `(n) no`, nothing else."
)
