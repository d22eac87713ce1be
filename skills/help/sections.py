"""The bot's own documentation (`skills/help/docs/*.md`) as sections the help skill answers from.

A section is a Markdown heading and the text under it, up to the next heading; a heading with no text under it
(a document's title right before its first question) is left out. Paragraphs are re-flowed onto one line each, so
the chat shows them as written and not with the file's hard line breaks. Pure functions (and one folder read), no
model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parent / "docs"
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$")


@dataclass(frozen=True)
class Section:
    document: str  # the file name, e.g. "rating.md"
    heading: str  # the heading's text, without the #s
    text: str  # the paragraphs under it, one line each, separated by a blank line

    @property
    def source(self) -> str:
        """Where the answer came from, as the explanation and the stored answer name it."""
        return f"help:{self.document}#{self.heading}"


def split_sections(markdown: str, document: str) -> list[Section]:
    """The sections of one Markdown document, in order."""
    sections: list[Section] = []
    heading, lines = None, []

    def close() -> None:
        text = _reflow(lines)
        if heading is not None and text:
            sections.append(Section(document, heading, text))

    for line in markdown.splitlines():
        match = _HEADING.match(line)
        if match:
            close()
            heading, lines = match.group(1).strip(), []
        else:
            lines.append(line)
    close()
    return sections


def _reflow(lines: list[str]) -> str:
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def load_sections(folder: Path = DOCS) -> list[Section]:
    """Every section of every `*.md` file in `folder`, files in name order; ValueError if there is none."""
    sections = [s for path in sorted(Path(folder).glob("*.md")) for s in split_sections(path.read_text(), path.name)]
    if not sections:
        raise ValueError(f"no documentation sections (*.md with headings) in {folder}")
    return sections
