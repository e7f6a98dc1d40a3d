"""The report as plain data: the document tree (and the Excel annex as tables), read by every renderer.

A Document is a title, blocks (level-1 and level-2 headings, paragraphs that may open with a run-in
heading such as `(一)活动开展不多。`), the signature, the 数据缺口 list and the data's proposals. It is
JSON-serialisable (stored when a report is finalised). An Annex is one table per work area (and venues,
and the reporting overview). reports/compose.py makes both from the figures; the renderers under
reports/render/ only lay them out and import nothing of the report but this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from youthwork import formatting

# The title's line length: the type area's width (GB/T 9704: 156 mm) in 二号 (22 pt) characters.
TEXT_WIDTH_MM = 156
TITLE_SIZE_PT = 22
TITLE_CHARS_PER_LINE = int(TEXT_WIDTH_MM * 72 / 25.4 // TITLE_SIZE_PT)


@dataclass
class Item:
    heading: str
    text: str = ""


@dataclass
class ReportText:
    """What editors write (or what a new report starts with)."""

    title: str
    opening: str
    highlight: str = ""
    problems: list[Item] = field(default_factory=list)
    plans: list[Item] = field(default_factory=list)
    signing_unit: str = ""
    signing_date: dt.date | None = None


@dataclass
class Block:
    kind: str  # heading1, heading2 or paragraph
    text: str
    lead: str = ""  # a run-in heading printed before the text of a paragraph: (一)活动开展不多。


@dataclass
class Proposal:
    problem: Item
    plan: Item | None = None


@dataclass
class Document:
    title: str
    unit_name: str
    period_code: str
    period_label: str
    blocks: list[Block]
    signing_unit: str
    signing_date: str  # ISO date
    gaps: list[str] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    # (2023年第三季度) under the title, when neither the title nor the first paragraph names the period
    subtitle: str = ""

    @property
    def date_text(self) -> str:
        return formatting.chinese_date(dt.date.fromisoformat(self.signing_date))

    @property
    def text(self) -> str:
        """The whole document as plain text, one paragraph a line (for checks and the command line)."""
        lines = [self.title, *([self.subtitle] if self.subtitle else [])]
        lines += [block.lead + block.text for block in self.blocks]
        return "\n".join([*lines, self.signing_unit, self.date_text])

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        data = dict(data)
        data["blocks"] = [Block(**block) for block in data["blocks"]]
        data["proposals"] = [
            Proposal(Item(**p["problem"]), Item(**p["plan"]) if p.get("plan") else None) for p in data["proposals"]
        ]
        return cls(**data)


# The Excel annex -------------------------------------------------------------------------------


@dataclass
class AnnexColumn:
    label: str
    kind: str  # count, amount, rate, text
    additive: bool = True


@dataclass
class AnnexSheet:
    name: str
    title: str
    columns: list[AnnexColumn]
    rows: list[tuple[str, list]]
    total: list
    notes: list[str] = field(default_factory=list)


@dataclass
class DetailSheet:
    """A 明细 sheet of the annex: the records of one ledger behind the figures. `rows` is an iterable the
    renderer reads once, row by row (the records are read from the database as it writes them)."""

    name: str
    title: str
    columns: list[tuple[str, str]]  # (header, kind: count, amount, date, text)
    rows: Iterable[list]


@dataclass
class Annex:
    title: str
    unit_name: str
    period_label: str
    period_range: str
    sheets: list[AnnexSheet]


# Places a long title may break: after these words, or before these words.
_BREAK_AFTER = ("关于", "的", "和", "与", "及", "暨", "、")
_BREAK_BEFORE = ("专项", "工作", "情况", "报告", "通知", "意见", "方案", "实施", "有关", "开展", "进一步")


def split_title(title: str, per_line: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """The title's lines, broken between words (GB/T 9704: 回行时要做到词意完整).

    Spaces the editor typed mark the breaks; otherwise a break is chosen after or before common
    words (关于…, …的, 专项…, …报告) so that every line fits and the lines are as even as possible.
    """
    title = title.strip()
    if any(character.isspace() for character in title):
        return [part for part in title.split() if part]
    if len(title) <= per_line:
        return [title]
    candidates = [
        index
        for index in range(1, len(title))
        if title[:index].endswith(_BREAK_AFTER) or title[index:].startswith(_BREAK_BEFORE)
    ]
    best = None
    for index in candidates:
        head, rest = title[:index], title[index:]
        if len(head) > per_line:
            continue
        tail = split_title(rest, per_line) if len(rest) > per_line else [rest]
        if any(len(line) > per_line for line in tail):
            continue
        lines = [head, *tail]
        score = (len(lines), max(map(len, lines)) - min(map(len, lines)))
        if best is None or score < best[0]:
            best = (score, lines)
    return best[1] if best else [title]
