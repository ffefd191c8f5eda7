"""Extractive answers: the book's own sentences that best answer a question.

No generative model: the retrieved passages are cut into sentences (Markdown noise
removed, abbreviations, decimals, code spans and list items respected), each sentence is
scored against the question with the embedding model plus the overlap of the question's
rarer words, and the best one to three sentences are returned in reading order, each
followed by the marker ``[n]`` of its passage. When even the best sentence is far from
the question the answer says that the book does not cover it.

Pure functions over plain types; nothing here imports LlamaIndex.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from engine.answer_checks import NOT_IN_BOOK_ANSWER

Embed = Callable[[list[str]], list[list[float]]]

# --------------------------------------------------------------------------- cleaning

_FENCE = re.compile(r"^\s*(```|~~~)")
_ADMONITION = re.compile(r"^\s*:::\s*\w*.*$")
_JSX_LINE = re.compile(r"^\s*</?[A-Z][\w.]*(\s[^>]*)?/?>\s*$")
_IMPORT_EXPORT = re.compile(r"^\s*(import|export)\s")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_CODE_SPAN = re.compile(r"`([^`]*)`")
_SPACES = re.compile(r"\s+")


def clean_inline(text: str) -> str:
    """Markdown inline markup removed: links keep their text, code spans their code."""
    text = _LINK.sub(r"\1", text)
    text = _CODE_SPAN.sub(lambda m: m.group(1), text)
    text = _HTML_TAG.sub("", text)
    text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    return _SPACES.sub(" ", text).strip()


def _table_cells(line: str) -> list[str]:
    return [clean_inline(cell) for cell in line.strip().strip("|").split("|")]


@dataclass(frozen=True)
class Unit:
    """A prose unit of a passage: a paragraph, a list item or a table row. A row keeps
    its table's lead-in (the paragraph just above the table), which says what the rows
    are; it is context for scoring, never quoted."""

    kind: str  # "para", "item" or "row"
    text: str
    heading: str
    lead: str = ""


_LABEL = re.compile(r"^(tip|note|info|warning|caution|danger|important)\b[^.!?]*$", re.I)


def blocks(markdown: str) -> list[Unit]:
    """Prose units of a Markdown passage: paragraphs, list items and table rows.

    Fenced code, headings, admonition fences and labels ("Tip: Practical tips"), JSX
    lines and MDX imports are dropped; a table row is read with its header ("Name: cell;
    Name: cell."), so that it reads as a sentence, and keeps the paragraph just above its
    table as its lead. Each unit remembers the last heading above it (for context, never
    quoted).
    """
    units: list[Unit] = []
    paragraph: list[str] = []
    kind = "para"
    in_code = False
    header: list[str] | None = None
    lead = ""
    heading = ""

    def flush() -> None:
        if paragraph:
            text = clean_inline(" ".join(paragraph))
            if text:
                units.append(Unit(kind, text, heading))
            paragraph.clear()

    for line in markdown.splitlines():
        if _FENCE.match(line):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        stripped = line.strip()
        if _HEADING.match(line):
            flush()
            heading = clean_inline(_HEADING.sub("", line))
            continue
        if not stripped or _ADMONITION.match(line) or _LABEL.match(stripped.rstrip(":")):
            flush()
            if not stripped.startswith("|"):
                header = None
            continue
        if _JSX_LINE.match(line) or _IMPORT_EXPORT.match(line):
            flush()
            continue
        if stripped.startswith("|"):
            flush()
            if _TABLE_RULE.match(stripped):
                continue
            cells = _table_cells(stripped)
            if header is None:
                header = cells
                last = units[-1] if units else None
                lead = last.text if last and last.kind == "para" and last.heading == heading else ""
                continue
            units.append(Unit("row", _table_row(header, cells), heading, lead))
            continue
        header = None
        if _LIST_ITEM.match(line):
            flush()
            kind = "item"
            paragraph.append(_LIST_ITEM.sub("", line, count=1).strip())
            continue
        if not paragraph:
            kind = "para"
        paragraph.append(stripped)
    flush()
    return units


def _table_row(header: list[str], cells: list[str]) -> str:
    """A row as a sentence, each cell after its column's name ("Body part: Each leg;
    Typical DoF: 6; Notes: hip yaw, ..."): the first column is not always the row's name
    (a "Softer | Stiffer" table has none), so it is named too. A first column with no
    name stands as the row's name ("Gazebo — ROS 2: native; ..."); without a matching
    header, "first cell: other cells"."""
    head, rest = cells[0], [c for c in cells[1:] if c]
    if not rest:
        return head
    if len(header) != len(cells):
        return f"{head}: " + "; ".join(rest) + "."
    named = "; ".join(
        f"{h}: {c}" if h else c for h, c in zip(header[1:], cells[1:], strict=True) if c
    )
    if not head:
        return named + "."
    if not header[0]:
        return f"{head} — {named}."
    return f"{header[0]}: {head}; {named}."


# ------------------------------------------------------------------------- splitting

ABBREVIATIONS = frozenset(
    "e.g i.e etc vs cf al approx fig figs eq eqs no nos dr mr mrs ms prof st ca resp "
    "incl max min sec ch vol pp ref refs".split()
)
# A boundary: terminal punctuation (optionally closing quotes/brackets), whitespace, then
# something that can start a sentence.
_BOUNDARY = re.compile(r"([.!?])([\"')\]]*)\s+(?=[\"'(\[`]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of one prose unit.

    Splits after ``.``, ``!`` or ``?`` followed by whitespace and a capital or a digit,
    except after known abbreviations (e.g., i.e., etc., vs., Fig.), single initials
    ("J. Pratt") and inside code spans. Decimals such as 9.81 never split (no space).
    """
    protected, spans = _protect_code(text)
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(protected):
        end = match.end(2)
        before = protected[start : match.start(1)]
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        token = last_word.lower().rstrip(".")
        if match.group(1) == "." and (
            token in ABBREVIATIONS or (len(last_word) == 1 and last_word.isupper())
        ):
            continue
        pieces.append(protected[start:end].strip())
        start = match.end()
    pieces.append(protected[start:].strip())
    return [_restore_code(piece, spans) for piece in pieces if piece]


def _protect_code(text: str) -> tuple[str, list[str]]:
    spans: list[str] = []

    def hide(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\x00{len(spans) - 1}\x00"

    return re.sub(r"`[^`]*`", hide, text), spans


def _restore_code(text: str, spans: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], text)


@dataclass(frozen=True)
class Sentence:
    """One candidate sentence: its text, its passage (1-based), its position there, the
    kind of unit it came from, whether it opens that unit, its section heading, and for a
    table row its table's lead-in paragraph."""

    text: str
    passage: int
    index: int
    kind: str = "para"
    first: bool = True
    heading: str = ""
    lead: str = ""


def passage_sentences(passages: Sequence[str], min_chars: int = 12) -> list[Sentence]:
    """All sentences of the passages, in reading order."""
    result: list[Sentence] = []
    for number, passage in enumerate(passages, start=1):
        index = 0
        for unit in blocks(passage):
            for position, text in enumerate(split_sentences(unit.text)):
                if len(text) >= min_chars and re.search(r"[A-Za-z]{3}", text):
                    result.append(
                        Sentence(
                            text, number, index, unit.kind, position == 0, unit.heading, unit.lead
                        )
                    )
                    index += 1
    return result


# --------------------------------------------------------------------------- scoring

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further get gets got had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our out over own
    same she should so some such than that the their them then there these they this those
    through to too under until up very was we were what when where which while who whom why
    will with would you your yours book robot robots humanoid humanoids use used using make
    made tell tells me much many way ways""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-²]*|\d+(?:[.,]\d+)*")


def stem(word: str) -> str:
    """A crude suffix stripper: enough to match 'encoders' with 'encoder'."""
    word = word.lower()
    for suffix in (
        "ization",
        "isation",
        "ations",
        "ation",
        "ings",
        "ing",
        "ies",
        "ied",
        "es",
        "ed",
        "ly",
        "s",
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# Counts written as words match the same count in digits ("six joints", "| 6 |").
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "two three four five six seven eight nine ten eleven twelve".split(), start=2
    )
}


def terms(text: str) -> set[str]:
    return {
        _NUMBER_WORDS.get(w.lower()) or stem(w)
        for w in _WORD.findall(text)
        if w.lower() not in STOPWORDS
    }


def _term_weights(wanted: set[str], sets: Sequence[set[str]]) -> dict[str, float]:
    """Each wanted term's IDF over the candidates' term sets: rarer terms weigh more."""
    n = len(sets)
    return {t: math.log(1.0 + n / (1.0 + sum(t in s for s in sets))) for t in wanted}


def _share(weights: dict[str, float], found: set[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in found) / total if total else 0.0


def lexical_scores(question: str, sentences: Sequence[str]) -> list[float]:
    """Share of the question's term weight (IDF over the candidates) in each sentence."""
    wanted = terms(question)
    if not wanted or not sentences:
        return [0.0] * len(sentences)
    sets = [terms(s) for s in sentences]
    weights = _term_weights(wanted, sets)
    return [_share(weights, s) for s in sets]


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


# Sentences that lean on the one before them.
_CONTINUATION = re.compile(
    r"^(this|that|these|those|it|its|they|their|such|so|thus|hence|therefore|however|"
    r"but|then|there|here|both|the catch|the trouble|the flip side|the price|the key)\b",
    re.I,
)


# Questions that ask for several things: a list, a set of causes, the parts of a whole.
LIST_QUESTION = re.compile(
    r"\b(?:what are|which are|list|causes|triggers|reasons|kinds|types|fixes|ways|steps|"
    r"factors|options|joints|parts)\b|\bwhich \w+s\b|\b\w+ and (?:what|how|where|why)\b",
    re.I,
)
LIST_SENTENCES = 6
LIST_KEEP_WITHIN = 0.4
LIST_MAX_CHARS = 1400
KEY_TERM_SHARE = 0.5
"""A passage of another page than the best sentence's lends sentences only when it holds
this share of the question's term weight that the best sentence's passage holds."""

SELECTION_FOUND = 0.8
"""A selection is found in a passage when this share of its words is in one sentence
there and the sentences either side of it."""
ABOUT_SELECTION = {
    stem(w)
    for w in (
        "explain explanation passage paragraph sentence section text part mean means "
        "meaning clarify elaborate simpler simply summarize summarise summary detail "
        "details say says said tell more"
    ).split()
}
"""Words of a question that ask about the selection itself ("Explain this passage.",
"What does this mean?") and add nothing to find."""


def asks_about_selection(question: str) -> bool:
    """Whether the typed question asks only about the selection: no word of its own
    once pointing and asking words are set aside."""
    return not terms(question) - ABOUT_SELECTION


def selection_anchor(sentences: Sequence[Sentence], selection: str) -> Sentence | None:
    """The passage sentence the reader selected, or that holds most of a selection
    (`SELECTION_FOUND` of its words there and either side): None when no passage holds
    it."""
    wanted = terms(selection)
    if not wanted or not sentences:
        return None
    held = [wanted & terms(s.text) for s in sentences]
    best = max(range(len(sentences)), key=lambda n: len(held[n]))
    around = set().union(
        *(
            held[n]
            for n in (best - 1, best, best + 1)
            if 0 <= n < len(sentences) and sentences[n].passage == sentences[best].passage
        )
    )
    return sentences[best] if len(around) >= SELECTION_FOUND * len(wanted) else None


def asks_for_several(question: str) -> bool:
    """Whether the question asks for a list or a set (its answer spans places)."""
    return bool(LIST_QUESTION.search(question))


@dataclass(frozen=True)
class ScoredSentence:
    sentence: Sentence
    score: float
    cosine: float
    lexical: float


@dataclass(frozen=True)
class ExtractiveAnswer:
    """The answer text (sentences with ``[n]`` markers), what it was made of, and whether
    the question was judged out of the book's scope."""

    text: str
    chosen: list[ScoredSentence]
    out_of_scope: bool
    best_cosine: float
    candidates: list[ScoredSentence] = field(default_factory=list, repr=False)


def cached(embed: Embed, maxsize: int = 8192) -> Embed:
    """``embed`` with an LRU cache of single texts: the sentences of a book's passages
    recur from question to question, so only new ones reach the model."""
    store: OrderedDict[str, list[float]] = OrderedDict()

    def wrapper(texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in store))
        if missing:
            for text, vector in zip(missing, embed(missing), strict=True):
                store[text] = vector
        result = []
        for text in texts:
            store.move_to_end(text)
            result.append(store[text])
        while len(store) > maxsize:
            store.popitem(last=False)
        return result

    return wrapper


def extract_answer(
    question: str,
    passages: list[str],
    embed: Embed,
    *,
    pages: Sequence[str] | None = None,
    max_sentences: int = 3,
    abstain_below: float = 0.38,
    lexical_weight: float = 0.8,
    first_passage_bonus: float = 0.03,
    keep_within: float = 0.25,
    heading_context: bool = True,
    max_items: int = 6,
    max_chars: int = 700,
    not_covered: str = NOT_IN_BOOK_ANSWER,
    explain: str | None = None,
) -> ExtractiveAnswer:
    """The 1 to ``max_sentences`` sentences of ``passages`` that best answer ``question``.

    Passages are Markdown (a ``## heading`` line may precede a passage's text: it gives
    its sentences context for the embedding but is never quoted). Each sentence scores
    cosine(question, "heading: sentence") + ``lexical_weight`` times the share of the
    question's rare-word weight it contains, + ``first_passage_bonus`` in the top-ranked
    passage; a table row is scored with its table's lead-in (the sentence that says what
    the rows are, and for the words the whole paragraph). The best sentence is always
    kept; others only when they score within ``keep_within`` of it. A kept sentence that
    starts as a continuation ("This…", "It…") brings the sentence before it; one that
    ends with a colon brings the list items or table rows after it (up to ``max_items``).

    ``pages`` names each passage's page (default: each passage a page of its own). A
    sentence of another page than the best sentence's joins only when its passage holds
    at least ``KEY_TERM_SHARE`` of the question's term weight that the best sentence's
    passage holds: a passage that shares a stray word with the question is not cited.

    The question is judged out of scope when no sentence reaches a cosine of
    ``abstain_below``: the answer is then ``not_covered`` and nothing is chosen.

    ``explain``: a selection of the reader's that the question asks about alone
    ("Explain this passage.", `asks_about_selection`). When a passage holds it
    (`selection_anchor`) the answer is its context there: the sentence before the
    selected one, that one, and the one after. Otherwise (and with no ``explain``) the
    ranking below answers ``question``, which then holds the selection too.

    A question that asks for several things (`asks_for_several`: "What are the triggers
    of…", "Which joints…") draws up to ``LIST_SENTENCES`` sentences, up to
    ``LIST_MAX_CHARS``: within ``LIST_KEEP_WITHIN`` of the best from the best sentence's
    page, within ``keep_within`` from another page. A list item chosen brings its sibling
    items, and any sentence but a table row the items that follow it; a row (a record
    read with its header) stands alone.
    """
    if pages is not None and len(pages) != len(passages):
        raise ValueError(f"{len(pages)} pages named for {len(passages)} passages")
    several = asks_for_several(question)
    other_page_within = keep_within
    if several:
        max_sentences = max(max_sentences, LIST_SENTENCES)
        keep_within = max(keep_within, LIST_KEEP_WITHIN)
        max_chars = max(max_chars, LIST_MAX_CHARS)
    sentences = passage_sentences(passages)
    if not sentences:
        return ExtractiveAnswer(not_covered, [], True, 0.0)
    anchor = selection_anchor(sentences, explain) if explain else None
    if anchor is not None:
        return _around(anchor, sentences, max_chars)
    vectors = embed([question, *(_context(s, heading_context) for s in sentences)])
    query = vectors[0]
    cosines = [_cosine(query, v) for v in vectors[1:]]
    term_sets = [terms(f"{s.text} {s.lead}" if s.kind == "row" else s.text) for s in sentences]
    weights = _term_weights(terms(question), term_sets)
    lexical = [_share(weights, found) for found in term_sets]
    scored = [
        ScoredSentence(
            sentence=s,
            cosine=c,
            lexical=lx,
            score=c + lexical_weight * lx + (first_passage_bonus if s.passage == 1 else 0.0),
        )
        for s, c, lx in zip(sentences, cosines, lexical, strict=True)
    ]
    best_cosine = max(cosines)
    if best_cosine < abstain_below:
        return ExtractiveAnswer(not_covered, [], True, best_cosine, scored)

    ranked = sorted(scored, key=lambda item: item.score, reverse=True)
    top = ranked[0].score
    lead = ranked[0].sentence.passage
    page = list(pages) if pages is not None else [str(n) for n in range(1, len(passages) + 1)]
    held: dict[int, set[str]] = {}
    for s, found in zip(sentences, term_sets, strict=True):
        held.setdefault(s.passage, set()).update(found, terms(s.heading))
    cover = {number: _share(weights, found) for number, found in held.items()}

    def joins(item: ScoredSentence) -> bool:
        number = item.sentence.passage
        if page[number - 1] == page[lead - 1]:
            return True
        return (
            cover[number] >= KEY_TERM_SHARE * cover[lead] and item.score >= top - other_page_within
        )

    position = {(s.sentence.passage, s.sentence.index): s for s in scored}
    chosen: dict[tuple[int, int], ScoredSentence] = {}
    picks = 0
    length = 0
    for item in ranked:
        if picks >= max_sentences or (chosen and item.score < top - keep_within):
            break
        key = (item.sentence.passage, item.sentence.index)
        if key in chosen or not joins(item):
            continue
        group = [item]
        previous = position.get((key[0], key[1] - 1))
        if previous is not None and _CONTINUATION.match(item.sentence.text):
            group.insert(0, previous)
        if several and item.sentence.kind == "item":
            # One item of a list answers a list question only with its siblings.
            earlier = key[1] - 1
            while (
                (prv := position.get((key[0], earlier))) is not None
                and prv.sentence.kind == "item"
                and key[1] - earlier <= max_items
            ):
                group.insert(0, prv)
                earlier -= 1
        if item.sentence.text.rstrip().endswith(":") or (several and item.sentence.kind != "row"):
            following = key[1] + 1
            while (nxt := position.get((key[0], following))) is not None and (
                nxt.sentence.kind in ("item", "row") and following - key[1] <= max_items
            ):
                group.append(nxt)
                following += 1
        new = [g for g in group if (g.sentence.passage, g.sentence.index) not in chosen]
        extra = sum(len(g.sentence.text) for g in new)
        if chosen and length + extra > max_chars:
            continue
        for g in new:
            chosen[(g.sentence.passage, g.sentence.index)] = g
            length += len(g.sentence.text)
        picks += 1
    ordered = [chosen[key] for key in sorted(chosen)]
    return ExtractiveAnswer(render(ordered), ordered, False, best_cosine, scored)


def _around(anchor: Sentence, sentences: Sequence[Sentence], max_chars: int) -> ExtractiveAnswer:
    """The anchor sentence with the one before and the one after it in its passage (the
    one after only while the answer stays under `max_chars`)."""
    same = {s.index: s for s in sentences if s.passage == anchor.passage}
    chosen = [same[n] for n in (anchor.index - 1, anchor.index) if n in same]
    after = same.get(anchor.index + 1)
    if after is not None and sum(len(s.text) for s in [*chosen, after]) <= max_chars:
        chosen.append(after)
    ordered = [ScoredSentence(sentence=s, score=1.0, cosine=1.0, lexical=1.0) for s in chosen]
    return ExtractiveAnswer(render(ordered), ordered, False, 1.0, ordered)


def _context(sentence: Sentence, heading_context: bool) -> str:
    """What a sentence is embedded as: "heading: sentence", a table row with the last
    sentence of its table's lead-in before it ("…distributed roughly like this: Body part:
    Each leg; Typical DoF: 6; …")."""
    parts = [sentence.heading] if sentence.heading and heading_context else []
    if sentence.kind == "row" and sentence.lead:
        parts.append(split_sentences(sentence.lead)[-1].rstrip(":"))
    return ": ".join([*parts, sentence.text])


def render(chosen: Sequence[ScoredSentence]) -> str:
    """The sentences in order; each run of consecutive sentences of one passage ends with
    that passage's marker, and list items in a run are joined with semicolons (table rows,
    whose cells are, end with a full stop)."""
    parts: list[str] = []
    for i, item in enumerate(chosen):
        s = item.sentence
        nxt = chosen[i + 1].sentence if i + 1 < len(chosen) else None
        run_goes_on = nxt is not None and nxt.passage == s.passage and nxt.index == s.index + 1
        text = s.text.rstrip()
        if run_goes_on and nxt is not None and nxt.kind == "item" and s.kind == "item":
            parts.append(text.rstrip(",;.") + ";")
        elif run_goes_on:
            parts.append(_terminated(text.rstrip(",;")))
        else:
            parts.append(f"{_terminated(text.rstrip(',;'))} [{s.passage}]")
    return " ".join(parts)


def _terminated(text: str) -> str:
    text = text.rstrip()
    return text if text[-1:] in ".!?:" else text + "."


_AFTER_MARKER = re.compile(r"(?<=\])\s+(?=\S)")


def split_rendered(text: str) -> list[str]:
    """A rendered answer cut after each marker: the pieces a stream sends one by one."""
    return [piece for piece in _AFTER_MARKER.split(text) if piece]
