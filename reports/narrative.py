"""The report's wording: Django templates under templates/reports/narrative/, rendered and read back.

A narrative template writes plain lines; a few markers at the start of a line give them structure
(see guidance.txt for the full list): `@heading`, `@lead`, `@point`, `@gap`, `@problem`, `@plan`.
Lines are stripped and joined without spaces, so a sentence can run over several template lines and
a clause can sit in its own `{% if %}`: a clause whose figure has no data is simply not rendered and
its `@gap` line says what was left out.

Only the template's own text can make a marker or a line. Every `{{ variable }}` (a unit's name, a
document's title, a theme typed into a ledger) renders as a placeholder; the rendered text is read for
markers and lines first, and only then is each placeholder replaced by its value, with its whitespace
(line breaks included) folded to single spaces. So a 联合发文 titled `…\n@point 伪造的工作要点` is a
title, not a point, and `{{`, `{%`, `<script>` stay plain text for the renderers to escape.
"""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.template import Context, TemplateSyntaxError
from django.template.base import Node, Template, TextNode, VariableNode
from django.template.defaulttags import AutoEscapeControlNode, CommentNode, ForNode, IfNode, LoadNode, WithNode
from django.template.loader import get_template

ORDINALS = "一二三四五六七八九十"
# Chinese text takes full-width punctuation (GB/T 15834); templates and editors often type ASCII.
FULL_WIDTH = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "(": "\uff08", ")": "\uff09", "!": "\uff01", "?": "\uff1f"}
_LEADING = ",;、。\uff0c\uff1b"
_TRAILING = ",;、。: \uff0c\uff1b\uff1a"
_STOPS = '。!?…”"\uff01\uff1f'
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for 一是, (一), 一、)."""
    if number <= 10:
        return ORDINALS[number - 1]
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else ORDINALS[tens - 1]) + "十"
    return text + (ORDINALS[ones - 1] if ones else "")


def _ascii_word(character: str) -> bool:
    return character.isascii() and character.isalnum()


def punctuate(text: str) -> str:
    """ASCII punctuation in Chinese text made full-width: `,;:()!?` and paired `"` → “”.

    Punctuation between Latin letters or digits stays as it is (`12:30`, `Hello, world`).
    """
    result = []
    quotes_open = False
    for index, character in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if character in FULL_WIDTH and not (_ascii_word(before) and (after == " " or _ascii_word(after))):
            character = FULL_WIDTH[character]
        elif character == '"':
            character = "\u201d" if quotes_open else "\u201c"
            quotes_open = not quotes_open
        elif character == "\n":
            quotes_open = False
        result.append(character)
    return "".join(result)


def clean(text: str) -> str:
    """Text safe for any output: no control characters (python-docx refuses them), tabs as spaces,
    full-width punctuation."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return punctuate(_CONTROL.sub("", text))


def tidy(text: str) -> str:
    """A clause run without leading or trailing punctuation left over from omitted clauses."""
    text = clean(text).strip()
    while text and text[0] in _LEADING:
        text = text[1:].lstrip()
    while text and text[-1] in _TRAILING:
        text = text[:-1].rstrip()
    return text


def sentence(text: str) -> str:
    """Text that ends as a sentence (with 。 unless it already ends with a stop)."""
    text = clean(text).strip()
    if not text:
        return ""
    return text if text[-1] in _STOPS else tidy(text) + "。"


@dataclass
class Point:
    title: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return tidy("".join(self.parts))


@dataclass
class Item:
    kind: str  # problem or plan
    heading: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return sentence(tidy("".join(self.parts)))


@dataclass
class Narrative:
    heading: str = ""
    lead: str = ""
    points: list[Point] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The plain text outside points and items (a paragraph such as the opening)."""
        return clean("".join(self.parts)).strip()

    def numbered(self) -> str:
        """一是TITLE。text;二是TITLE。text。 — the points that have text, renumbered.

        A single point is not numbered (一是 with no 二是 reads wrong): TITLE。text。
        """
        kept = [point for point in self.points if point.text]
        if len(kept) == 1:
            return sentence(f"{kept[0].title}。{kept[0].text}")
        clauses = [f"{numeral(index)}是{point.title}。{point.text}" for index, point in enumerate(kept, start=1)]
        return sentence(";".join(clauses)) if clauses else ""


# A placeholder for the n-th value a template inserted: private-use characters, which no template
# text contains; a value that contains them is never read for placeholders (one pass, see _insert).
_PLACEHOLDER = re.compile(r"\ue000(\d+)\ue001")


def _insert(text: str, values: list[str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values[int(match.group(1))], text) if values else text


def parse(text: str, values: list[str] | None = None) -> Narrative:
    """Read the markers and lines of a rendered template, then put the inserted values in their places."""
    values = values or []
    narrative = Narrative()
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("@"):
            (narrative.parts if current is None else current).append(_insert(line, values))
            continue
        marker, _space, argument = line[1:].partition(" ")
        argument = _insert(argument.strip(), values)
        if marker == "heading":
            narrative.heading, current = argument, None
        elif marker == "lead":
            narrative.lead, current = argument, None
        elif marker == "point":
            narrative.points.append(Point(argument))
            current = narrative.points[-1].parts
        elif marker in ("problem", "plan"):
            narrative.items.append(Item(marker, argument))
            current = narrative.items[-1].parts
        elif marker == "gap":
            narrative.gaps.append(argument)
        else:
            raise ValueError(f"unknown narrative marker @{marker}")
    return narrative


# The values inserted by the template being rendered (set by render() around one rendering).
_inserted: contextvars.ContextVar[list[str]] = contextvars.ContextVar("narrative_inserted")
# Tags whose output is the template's own text or its variables'; any other tag could write data
# around the placeholders ({% firstof %}, {% include %}...) and is refused when the template loads.
_ALLOWED_NODES = (TextNode, VariableNode, IfNode, ForNode, WithNode, AutoEscapeControlNode, CommentNode, LoadNode)


class _ValueNode(VariableNode):
    """A {{ variable }} of a narrative template: renders as a placeholder for its value."""

    def render(self, context):
        values = _inserted.get()
        values.append(" ".join(super().render(context).split()))
        return f"\ue000{len(values) - 1}\ue001"


class NarrativeTemplate(Template):
    """A Django template whose variables render as placeholders (see the module's docstring)."""

    def compile_nodelist(self):
        nodelist = super().compile_nodelist()
        for node in nodelist.get_nodes_by_type(Node):
            if not isinstance(node, _ALLOWED_NODES):
                raise TemplateSyntaxError(f"{self.name}: narrative templates cannot use {type(node).__name__}")
            if type(node) is VariableNode:
                node.__class__ = _ValueNode  # same attributes; only how it renders differs
        return nodelist


@lru_cache(maxsize=32)
def _compiled(name: str, source: str, engine) -> NarrativeTemplate:
    return NarrativeTemplate(source, name=name, engine=engine)


def render(name: str, context: dict) -> Narrative:
    """Render templates/reports/narrative/<name>.txt with the context and read its structure."""
    loaded = get_template(f"reports/narrative/{name}.txt").template
    template = _compiled(loaded.name, loaded.source, loaded.engine)
    values: list[str] = []
    token = _inserted.set(values)
    try:
        text = template.render(Context(context, autoescape=False))
    finally:
        _inserted.reset(token)
    return parse(text, values)
