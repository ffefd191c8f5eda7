"""Build a Markdown corpus from a Debian documentation package (default `debian-reference-en`).

    python build_corpus.py OUT_DIR [--package debian-reference-en|debian-handbook]
                           [--html-dir DIR] [--max-chars 20000]

- `debian-reference-en` (Debian Reference, GPL-2+): the DocBook XHTML chapters
  `/usr/share/debian-reference/ch01.en.html` ... `ch12.en.html` plus the preface;
- `debian-handbook` (The Debian Administrator's Handbook, GPL-2+ or CC-BY-SA-3.0): the en-US
  Publican XHTML in `/usr/share/doc/debian-handbook/html/en-US`, one file per chapter or
  section, read in the order of the `next` links from `index.html`.

It writes one Markdown page per section into OUT_DIR, which
`engine.pages.read_folder` reads like a Docusaurus docs folder:

- a chapter is a folder `NN-slug/` with a `_category_.json` label ("GNU/Linux tutorials");
- each level-2 section (`1.2. Unix-like filesystem`) is a page `NN-slug.md` with
  `# Title` and its subsections as `##`/`###` headings; a section whose Markdown would be
  longer than `--max-chars` is split instead: its own text goes to `NN-slug/index.md` and
  each subsection becomes its own page in that folder (recursively);
- code (`<pre class="screen">`) is kept in fenced blocks, `<code>` as inline code, tables as
  pipe tables, tips/notes/cautions/warnings as Docusaurus admonitions (`:::tip`).

Only the Python standard library is used. It exits with a one-line message (status 2) when
the package is not installed. The output folder is replaced only if it is empty or was
written by this script (it holds `_corpus.json`, which records the package and version).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "debian-reference-en"
NS = "{http://www.w3.org/1999/xhtml}"
MARKER = "_corpus.json"
ADMONITIONS = {
    "tip": "tip",
    "note": "note",
    "caution": "caution",
    "warning": "warning",
    "important": "info",
}
NUMBERING = re.compile(r"^(Chapter\s+)?[0-9A-Z]+(\.[0-9]+)*\.\s+")


def tag(el: ET.Element) -> str:
    return el.tag[len(NS) :] if el.tag.startswith(NS) else el.tag


def classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].rstrip("-") or "section"


def clean_title(text: str) -> str:
    return NUMBERING.sub("", " ".join(text.split()))


# ---------------------------------------------------------------- inline and block rendering


def inline(el: ET.Element) -> str:
    """Text of an element with inline markup: code as `code`, emphasis dropped."""
    parts: list[str] = [el.text or ""]
    for child in el:
        name = tag(child)
        if name == "sup" and "footnote" in classes(child):
            pass  # footnote marker
        elif name == "code":
            code = "".join(child.itertext()).strip()
            if code:
                tick = "``" if "`" in code else "`"
                parts.append(f"{tick}{code}{tick}")
        elif name == "br":
            parts.append(" ")
        elif name == "img":
            pass
        else:
            parts.append(inline(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split()) if el is not None else ""


def pre_block(el: ET.Element) -> str:
    text = "".join(el.itertext()).rstrip()
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    fence = "````" if "```" in text else "```"
    return f"{fence}\n{text}\n{fence}"


def table_block(el: ET.Element) -> str:
    title = ""
    for child in el:
        if tag(child) == "p" and "title" in classes(child):
            title = clean_title(inline(child).replace("Table ", "", 1))
    rows: list[list[str]] = []
    header_rows = 0
    for section in el.iter():
        if tag(section) in ("thead", "tbody"):
            for tr in section:
                if tag(tr) != "tr":
                    continue
                cells = [
                    inline(cell).replace("|", "\\|") for cell in tr if tag(cell) in ("td", "th")
                ]
                rows.append(cells)
                if tag(section) == "thead":
                    header_rows += 1
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = rows[0] if header_rows else [""] * width
    body = rows[1:] if header_rows else rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    out = "\n".join(lines)
    return f"**{title}**\n\n{out}" if title else out


def list_block(el: ET.Element, ordered: bool, indent: str) -> str:
    items = []
    number = 1
    for li in el:
        if tag(li) != "li":
            continue
        body = blocks(li, indent + "   ").strip()
        body_lines = body.split("\n") if body else [""]
        bullet = f"{number}. " if ordered else "- "
        number += 1
        first = indent + bullet + body_lines[0]
        rest = [(indent + "   " + line) if line.strip() else "" for line in body_lines[1:]]
        items.append("\n".join([first, *rest]))
    return "\n".join(items)


def dl_block(el: ET.Element, indent: str) -> str:
    out = []
    for child in el:
        if tag(child) == "dt":
            out.append(f"{indent}- **{inline(child)}**")
        elif tag(child) == "dd":
            body = blocks(child, indent + "  ").strip()
            out.append(
                "\n".join(indent + "  " + line if line.strip() else "" for line in body.split("\n"))
            )
    return "\n".join(out)


INLINE = {
    "a",
    "abbr",
    "acronym",
    "b",
    "br",
    "code",
    "em",
    "i",
    "img",
    "kbd",
    "span",
    "strong",
    "sub",
    "sup",
    "tt",
    "var",
    "q",
    "cite",
    "small",
    "big",
    "u",
}
SKIP = {"section", "titlepage", "toc", "navheader", "navfooter", "docnav", "footnotes", "indexterm"}


def _is_skipped(name: str, cls: set[str]) -> bool:
    return (
        (name == "div" and bool(cls & SKIP))
        or (name == "ul" and "docnav" in cls)
        or name in ("h1", "h2", "h3", "h4", "h5", "h6", "hr", "head", "script", "style")
    )


def blocks(el: ET.Element, indent: str = "") -> str:
    """Markdown of an element's block content; runs of text and inline elements become
    paragraphs (DocBook's `<div class="para">` mixes both). Sub-sections are left to the caller."""
    out: list[str] = []
    run: list[str] = [el.text or ""]

    def flush() -> None:
        text = " ".join("".join(run).split())
        if text:
            out.append(text)
        run.clear()

    for child in el:
        name, cls = tag(child), classes(child)
        if name in INLINE and not (name == "span" and child.find(f"{NS}div") is not None):
            holder = ET.Element("x")
            holder.append(child)
            saved_tail, child.tail = child.tail, None
            run.append(inline(holder))
            child.tail = saved_tail
            holder.remove(child)
            run.append(child.tail or "")
            continue
        flush()
        if _is_skipped(name, cls):
            pass
        elif name == "p" and "title" in cls:
            pass  # captions are rendered by their table/sidebar
        elif name in ("p", "dt"):
            text = inline(child)
            if text:
                out.append(text)
        elif name == "pre":
            out.append(pre_block(child))
        elif name == "div" and ("table" in cls or "informaltable" in cls):
            out.append(table_block(child))
        elif name == "table":  # a layout table (the admonitions of the Debian Reference)
            cells = [blocks(cell).strip() for cell in child.iter() if tag(cell) in ("td", "th")]
            out.append(
                " ".join(c for c in cells if c and "\n" not in c)
                + "\n\n"
                + "\n\n".join(c for c in cells if "\n" in c)
            )
        elif name == "div" and (cls & ADMONITIONS.keys() or "sidebar" in cls):
            kind = (
                ADMONITIONS[sorted(cls & ADMONITIONS.keys())[0]]
                if cls & ADMONITIONS.keys()
                else "note"
            )
            title = ""
            for sub in child.iter():
                if tag(sub) == "p" and "title" in classes(sub):
                    title = inline(sub)
                    break
            inner = blocks(child).strip()
            out.append(f":::{kind}{' ' + title if title else ''}\n{inner}\n:::")
        elif name in ("ul", "ol"):
            out.append(list_block(child, name == "ol", ""))
        elif name == "dl":
            out.append(dl_block(child, ""))
        else:
            inner = blocks(child, indent)
            if inner.strip():
                out.append(inner)
        run.append(child.tail or "")
    flush()
    return "\n\n".join(part for part in out if part.strip())


# ---------------------------------------------------------------- section tree


@dataclass
class Node:
    title: str
    anchor: str
    body: str
    children: list[Node] = field(default_factory=list)

    def markdown(self, level: int) -> str:
        """This node's body and its descendants, headings from `level` down."""
        parts = [self.body] if self.body else []
        for child in self.children:
            parts.append("#" * min(level, 6) + " " + child.title)
            parts.append(child.markdown(level + 1))
        return "\n\n".join(p for p in parts if p.strip())


def section_title(el: ET.Element) -> tuple[str, str]:
    for title_el in el.iter():
        if tag(title_el) in ("h1", "h2", "h3", "h4", "h5") and "title" in classes(title_el):
            anchor = next((a.get("id") or "" for a in title_el if tag(a) == "a"), "")
            return clean_title("".join(title_el.itertext())), anchor
    return "Untitled", ""


def build_node(el: ET.Element) -> Node:
    title, anchor = section_title(el)
    node = Node(title=title, anchor=anchor, body=blocks(el).strip())
    for child in el:
        if tag(child) == "div" and "section" in classes(child):
            node.children.append(build_node(child))
    footnotes = [c for c in el if tag(c) == "div" and "footnotes" in classes(c)]
    for fn in footnotes:
        text = blocks(fn).strip()
        if text:
            node.body = (node.body + "\n\n" + text).strip()
    return node


def chapter_node(path: Path) -> Node:
    root = ET.parse(path).getroot()
    body = next(el for el in root.iter() if tag(el) == "body")
    top = next(
        el for el in body if tag(el) == "div" and classes(el) & {"chapter", "preface", "appendix"}
    )
    return build_node(top)


def _next_link(root: ET.Element) -> str | None:
    for ul in root.iter(f"{NS}ul"):
        if "docnav" in classes(ul):
            for li in ul:
                if "next" in classes(li):
                    for a in li.iter(f"{NS}a"):
                        return a.get("href")
    return None


def handbook_chapters(html_dir: Path) -> list[Node]:
    """The Debian Administrator's Handbook (Publican output): one file per chapter (its
    intro and first section) or section, in the order of the `next` links from index.html."""
    chapters: list[Node] = []
    name: str | None = "index.html"
    seen: set[str] = set()
    while name and name not in seen and (html_dir / name).exists():
        seen.add(name)
        root = ET.parse(html_dir / name).getroot()
        body = next(el for el in root.iter() if tag(el) == "body")
        top = next(
            (
                el
                for el in body
                if tag(el) == "div" and classes(el) & {"chapter", "preface", "appendix", "section"}
            ),
            None,
        )
        if top is not None:
            node = build_node(top)
            if "section" in classes(top) and chapters:
                chapters[-1].children.append(node)
            else:
                chapters.append(node)
        name = _next_link(root)
    return chapters


def reference_chapters(html_dir: Path) -> list[Node]:
    preface = html_dir / "pr01.en.html"
    chapters = sorted(html_dir.glob("ch[0-9][0-9].en.html"))
    return [chapter_node(p) for p in ([preface] if preface.exists() else []) + chapters]


PACKAGES = {
    # package: (default HTML folder, file proving it is there, reader, licence, copyright)
    "debian-reference-en": (
        Path("/usr/share/debian-reference"),
        "ch01.en.html",
        reference_chapters,
        "GPL-2+",
        "2007-2013 Osamu Aoki <osamu@debian.org>",
    ),
    "debian-handbook": (
        Path("/usr/share/doc/debian-handbook/html/en-US"),
        "apt.html",
        handbook_chapters,
        "GPL-2+ or CC-BY-SA-3.0",
        "2003-2022 Raphaël Hertzog, Roland Mas",
    ),
}


# ---------------------------------------------------------------- writing pages


def write_page(path: Path, title: str, markdown: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {title}\n\n{markdown.strip()}\n", encoding="utf-8")


def emit(node: Node, folder: Path, number: int, max_chars: int, pages: list[Path]) -> None:
    """A page for `node` (with its subsections as headings), or a folder when too long."""
    stem = f"{number:02d}-{slugify(node.title)}"
    whole = node.markdown(2)
    if len(whole) <= max_chars or not node.children:
        page = folder / f"{stem}.md"
        write_page(page, node.title, whole)
        pages.append(page)
        return
    sub = folder / stem
    sub.mkdir(parents=True, exist_ok=True)
    (sub / "_category_.json").write_text(json.dumps({"label": node.title}) + "\n", encoding="utf-8")
    if node.body.strip():
        write_page(sub / "index.md", node.title, node.body)
        pages.append(sub / "index.md")
    for index, child in enumerate(node.children, 1):
        emit(child, sub, index, max_chars, pages)


def package_version(package: str) -> str | None:
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}\t${Version}", package],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    status, _, version = result.stdout.partition("\t")
    return version if result.returncode == 0 and status.endswith(" installed") else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "out", type=Path, help="output folder (created; replaced if made by this script)"
    )
    parser.add_argument(
        "--package",
        choices=sorted(PACKAGES),
        default=PACKAGE,
        help=f"which Debian documentation package to convert (default {PACKAGE})",
    )
    parser.add_argument(
        "--html-dir",
        type=Path,
        default=None,
        help="the package's HTML folder (default: where the package installs it)",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=20000,
        help="split a section into one page per subsection above this size",
    )
    args = parser.parse_args(argv)

    default_dir, probe, reader, licence, copyright_ = PACKAGES[args.package]
    html_dir: Path = args.html_dir or default_dir
    version = package_version(args.package)
    if not (html_dir / probe).exists():
        print(
            f"error: {args.package} is not installed (no {html_dir / probe}); "
            f"run `apt-get install {args.package}`",
            file=sys.stderr,
        )
        return 2
    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            print(f"error: {out} is not empty and was not written by this script", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)

    pages: list[Path] = []
    for number, chapter in enumerate(reader(html_dir)):
        folder = out / f"{number:02d}-{slugify(chapter.title)}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_category_.json").write_text(
            json.dumps({"label": chapter.title}) + "\n", encoding="utf-8"
        )
        if chapter.body.strip():
            write_page(folder / "index.md", chapter.title, chapter.body)
            pages.append(folder / "index.md")
        for index, section in enumerate(chapter.children, 1):
            emit(section, folder, index, args.max_chars, pages)

    (out / MARKER).write_text(
        json.dumps(
            {
                "package": args.package,
                "version": version,
                "licence": licence,
                "copyright": f"{copyright_} (see /usr/share/doc/{args.package}/copyright)",
                "html_dir": str(html_dir),
                "max_chars": args.max_chars,
                "pages": len(pages),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(pages)} pages from {args.package} {version or '(version unknown)'} in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
