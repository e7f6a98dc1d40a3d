"""Filters the report's narrative templates use to write figures and names into Chinese sentences."""

import re

from django import template

from youthwork import formatting
from youthwork.metrics import place_name

register = template.Library()


@register.filter
def count(value):
    """`3568`, `12.35万` (add the measure word in the template: {{ n|count }}人次)."""
    return formatting.count(value)


@register.filter
def amount(value):
    """`8650元`, `35.24万元`."""
    return formatting.amount(value)


@register.filter
def rate(pair):
    """[numerator, denominator] as `87.5%`."""
    numerator, denominator = pair
    return formatting.rate(numerator, denominator)


@register.filter
def complete(pair) -> bool:
    """[numerator, denominator] with every one counted (全覆盖)."""
    numerator, denominator = pair
    return bool(denominator) and numerator >= denominator


@register.filter
def names(items, shown=3):
    """The first `shown` names joined by 、, with 等 when there are more: `甲、乙、丙等`."""
    items = [str(item) for item in items or [] if str(item)]
    shown = int(shown)
    text = "、".join(items[:shown])
    return text + "等" if len(items) > shown else text


@register.filter
def and_names(items, shown=3):
    """`甲、乙和丙`; with more than `shown`, `甲、乙、丙等`."""
    items = [str(item) for item in items or [] if str(item)]
    shown = int(shown)
    if len(items) > shown:
        return "、".join(items[:shown]) + "等"
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


@register.filter
def more_than(items, shown) -> bool:
    """Whether a list holds more names than are shown (so the text says 等)."""
    return len(items or []) > int(shown)


@register.filter
def quoted(items):
    """Each name in Chinese quotation marks: `“五四”“六一”`."""
    if isinstance(items, str):
        items = [items]
    return "".join(quote(item) for item in items or [])


@register.filter
def quote(text):
    text = str(text).strip()
    if text.startswith(("“", '"', "《")):
        return text
    return f"“{text}”"


@register.filter
def book_title(text):
    """A document's title in 《》 (as typed when it already has them)."""
    text = str(text).strip()
    return text if text.startswith("《") else f"《{text}》"


@register.filter
def place(name):
    """A unit's place name: 城关街道团工委 → 城关街道, 东城区团委 → 东城区."""
    return place_name(str(name).strip())


@register.filter
def places(items):
    seen = []
    for item in items or []:
        if (name := place(item)) not in seen:
            seen.append(name)
    return seen


@register.filter
def without(items, unwanted):
    """The list without the given labels (comma-separated): {{ types|without:"其他" }}."""
    unwanted = {label.strip() for label in str(unwanted).split(",")}
    return [item for item in items or [] if item not in unwanted]


@register.filter
def includes(items, label) -> bool:
    """Whether a list of labels holds this one: {% if l.publicity_channels|includes:"小程序" %}."""
    return str(label) in (items or [])


@register.filter
def trim_suffix(items, suffix):
    """Names without a common suffix: [阳光社区希望家园] → [阳光社区] (a name that is only the suffix stays)."""
    return [item[: -len(suffix)] if item.endswith(suffix) and item != suffix else item for item in items or []]


_OCCASION = re.compile(r"[((](五四|六一|七一|国庆)[))]$")


@register.filter
def theme(text):
    """A theme without the occasion the ledger already records: 学习二十大 争做好队员(六一) → 学习二十大 争做好队员."""
    return _OCCASION.sub("", str(text).strip()) or str(text)


_STREET = re.compile(r"^(.+?(?:街道|镇|乡))(.+)$")


@register.filter
def streets(items, shown=5):
    """Places named as their streets say them: the street once for its sites in a row,
    [城关街道阳光社区, 城关街道幸福小区, 白沙镇中心村] → 城关街道阳光社区、幸福小区、白沙镇中心村 (等 past `shown`)."""
    items = [str(item) for item in items or [] if str(item)]
    shown = int(shown)
    parts, street = [], None
    for item in items[:shown]:
        match = _STREET.match(item)
        if match and match[1] == street:
            parts.append(match[2])
        else:
            parts.append(item)
            street = match[1] if match else None
    return "、".join(parts) + ("等" if len(items) > shown else "")
