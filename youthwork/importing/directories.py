"""The units and venues a workbook names, loaded once per import and found without a query per row.

A unit is found by 单位编码, else by a name unique among the user's units (a namesake elsewhere does
not make it ambiguous for a district). A venue is found by name among the user's units' venues; when
several units have one of that name, the row unit's own or its nearest ancestor's is meant. A venue
outside the user's units is usable only by a record that already names it (VenueOutOfScope).
"""

from __future__ import annotations

from youthwork import access
from youthwork.importing.cells import normalise
from youthwork.models import Unit, Venue


class UnitNotFound(ValueError):
    """No editable unit has that 编码 or name."""


class VenueOutOfScope(ValueError):
    """A venue outside the user's units: usable only by a record that already names it."""

    def __init__(self, message: str, venue: Venue):
        super().__init__(message)
        self.venue = venue


class UnitDirectory:
    """Every unit, loaded in one query, found by 单位编码 or by a name that is unique in the user's scope."""

    def __init__(self, user=None):
        self.user = user
        self.full_scope = user is None or access.sees_everything(user)
        self.reload()

    def reload(self):
        self.by_id: dict[int, Unit] = {unit.pk: unit for unit in Unit.objects.all()}
        if self.full_scope:
            self.editable: set[int] | None = None
        else:
            self.editable = set(access.editable_units(self.user).values_list("pk", flat=True))
        self._index()

    def _index(self):
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = {}
        for unit in self.by_id.values():
            self._enter(unit)

    def _enter(self, unit: Unit):
        if unit.code:
            self.by_code[normalise(unit.code)] = unit
        self.by_name.setdefault(normalise(unit.name), []).append(unit)

    def add(self, unit: Unit):
        """A unit created or changed during the import (the index follows its new name and code)."""
        old = self.by_id.get(unit.pk)
        if old is not None:
            if old.code and self.by_code.get(normalise(old.code)) is old:
                del self.by_code[normalise(old.code)]
            self.by_name[normalise(old.name)].remove(old)
        self.by_id[unit.pk] = unit
        if self.editable is not None:
            self.editable.add(unit.pk)
        self._enter(unit)

    def can_edit(self, unit: Unit) -> bool:
        return self.editable is None or unit.pk in self.editable

    def _missing(self, text: str) -> UnitNotFound:
        if self.full_scope:
            return UnitNotFound(f"单位“{text}”不存在")
        return UnitNotFound(f"单位“{text}”不存在,或不在您的管理范围内")

    def resolve(self, value) -> Unit:
        """The editable unit a cell names (by 编码, else by a unique name), or ValueError with the reason."""
        text = normalise(value)
        unit = self.by_code.get(text)
        if unit is not None:
            if not self.can_edit(unit):
                raise self._missing(text)
            return unit
        candidates = [unit for unit in self.by_name.get(text, ()) if self.can_edit(unit)]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise ValueError(f"单位“{text}”有多个,请填写单位编码")
        raise self._missing(text)

    def find_any(self, value) -> Unit | None:
        """The unit a cell names among all units, whatever the scope (None if absent or ambiguous)."""
        text = normalise(value)
        if text in self.by_code:
            return self.by_code[text]
        candidates = self.by_name.get(text, [])
        return candidates[0] if len(candidates) == 1 else None

    def label(self, unit_id) -> str:
        """How an export names a unit: its name, or its 编码 when the name is shared."""
        unit = self.by_id.get(unit_id)
        if unit is None:
            return ""
        if unit.code and len(self.by_name.get(normalise(unit.name), ())) > 1:
            return unit.code
        return unit.name


class VenueDirectory:
    """The venues of the user's units, loaded in one query, found by name."""

    def __init__(self, user=None, units: UnitDirectory | None = None):
        self.user = user
        self.units = units
        self.reload()

    def reload(self):
        # Every venue by id (an export names a record's venue even if it belongs to another unit);
        # by name only the venues the user may use, as the admin's venue choices.
        self.by_id: dict[int, Venue] = {venue.pk: venue for venue in Venue.objects.all()}
        usable = self.by_id.values()
        if self.user is not None and not access.sees_everything(self.user):
            allowed = set(access.scope(Venue.objects.all(), self.user).values_list("pk", flat=True))
            usable = [venue for venue in usable if venue.pk in allowed]
        self.by_name: dict[str, list[Venue]] = {}
        for venue in usable:
            self.by_name.setdefault(normalise(venue.name), []).append(venue)

    def resolve(self, value, unit: Unit | None) -> Venue:
        text = normalise(value)
        found = self._pick(self.by_name.get(text, []), unit, text)
        if found is not None:
            return found
        if self.user is None or access.sees_everything(self.user):
            raise ValueError(f"阵地“{text}”不存在,请先在阵地表中登记")
        message = f"阵地“{text}”不存在或不在您的管理范围内,请先在阵地表中登记"
        outside = [venue for venue in self.by_id.values() if normalise(venue.name) == text]
        try:
            other = self._pick(outside, unit, text)
        except ValueError:
            other = None
        if other is not None:
            raise VenueOutOfScope(message, other)
        raise ValueError(message)

    def _pick(self, candidates: list[Venue], unit: Unit | None, text: str) -> Venue | None:
        if len(candidates) > 1 and unit is not None and self.units is not None:
            # The same name in several units: the row's own unit, else its nearest ancestor.
            def path_of(venue):
                owner = self.units.by_id.get(venue.unit_id)
                return owner.path if owner else ""

            related = [venue for venue in candidates if unit.path.startswith(path_of(venue))]
            if related:
                longest = max(len(path_of(venue)) for venue in related)
                candidates = [venue for venue in related if len(path_of(venue)) == longest]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise ValueError(f"阵地“{text}”有多个,无法确定是哪个单位的阵地,请先在阵地表中改用不同的名称")
        return None

    def label(self, venue_id) -> str:
        venue = self.by_id.get(venue_id)
        return venue.name if venue else ""


class Lookups:
    """What the readers of one import or export share: the user, units and venues, the date system."""

    def __init__(self, user=None):
        self.user = user
        self.units = UnitDirectory(user)
        self.venues = VenueDirectory(user, self.units)
        self.date1904 = False
