"""Heading anchors as Docusaurus computes them, so that a source links to its section.

Docusaurus gives every heading an id with github-slugger over the heading's plain text
(Markdown formatting gone, inline code kept): lower-cased, every character that is not a
letter, a mark, a decimal digit, a connector (`_`), `-` or a space removed (so `²` and
`½` go too), spaces turned into `-`; a slug
already used in the page gets `-1`, `-2`, … An explicit `## Title {#custom-id}` wins and
does not count as a use of the slug.
"""

from __future__ import annotations

import re
import unicodedata

# `Title {#id}`, and `Title \{#id}` as MDX needs it escaped (Docusaurus's classic form).
EXPLICIT_ID = re.compile(r"^(?P<text>.*?)\s*\\?\{#(?P<id>(?:.(?!\{#|\}))*.)\}\s*$")
# `Title {/* #id */}` (MDX) and `Title <!-- #id -->` (Markdown): the comment's first word.
COMMENT_ID = re.compile(
    r"^(?P<text>.*?)\s*(?:\{/\*(?P<mdx>(?:(?!\*/).)*)\*/\}|<!--(?P<html>(?:(?!-->).)*)-->)\s*$"
)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")
# `*`/`~~` emphasis anywhere; `_` only at word edges (`ROS_DOMAIN_ID` is no emphasis).
EMPHASIS = re.compile(r"(\*{1,3}|~~|(?<!\w)_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")


def split_explicit_id(heading: str) -> tuple[str, str | None]:
    """(`Title`, `custom-id`) for `Title {#custom-id}`, `Title \\{#custom-id}`,
    `Title {/* #custom-id */}` or `Title <!-- #custom-id -->`; (heading, None) otherwise.

    As Docusaurus reads them: a comment gives an id only when its first word starts with
    `#`; a comment that gives none is left to the text clean-up."""
    match = COMMENT_ID.match(heading)
    if match is not None:
        words = (match.group("mdx") or match.group("html") or "").split()
        if words and words[0].startswith("#") and len(words[0]) > 1:
            return match.group("text"), words[0][1:]
    match = EXPLICIT_ID.match(heading)
    if match is None:
        return heading, None
    return match.group("text"), match.group("id").strip()


def plain_text(heading: str) -> str:
    """The heading as text: links, emphasis and HTML tags removed; inline code kept as
    its content (nothing inside it is read as Markdown)."""
    parts = re.split(r"(`+)(.+?)\1", heading)
    out = []
    for index, part in enumerate(parts):
        if index % 3 == 2:  # an inline code span's content
            out.append(part)
        elif index % 3 == 0:
            text = HTML_TAG.sub("", LINK.sub(r"\1", part))
            previous = None
            while previous != text:  # nested emphasis: ***a*** or **_a_**
                previous, text = text, EMPHASIS.sub(r"\2", text)
            out.append(text)
    return "".join(out).strip()


def slug(text: str) -> str:
    """github-slugger's slug of a plain text (without the duplicate counter)."""
    kept = (
        ch
        for ch in text.lower()
        if ch in "- "
        or unicodedata.category(ch)[0] in ("L", "M")
        or unicodedata.category(ch) in ("Nd", "Pc")
    )
    return "".join(kept).replace(" ", "-")


class Slugger:
    """The anchors of one page, in heading order (duplicates get `-1`, `-2`, …)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def anchor(self, heading: str) -> tuple[str, str]:
        """(the heading's text, its anchor) for a heading line's text."""
        text, explicit = split_explicit_id(heading)
        shown = plain_text(text)
        if explicit is not None:
            return shown, explicit
        base = slug(shown)
        result = base
        while result in self._seen:
            self._seen[base] += 1
            result = f"{base}-{self._seen[base]}"
        self._seen[result] = 0
        return shown, result
