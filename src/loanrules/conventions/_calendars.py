"""Business-day calendars and business-day conventions.

A :class:`Calendar` knows its weekend days, its holidays and its make-up
working days (调休: a weekend day declared a working day). Three are built in:

- :data:`ALL_DAYS`: every day is a business day (the schedule default).
- :data:`WEEKENDS`: Saturday and Sunday are closed, nothing else.
- :data:`CHINA`: mainland statutory holidays and make-up working days,
  2004 to 2026, from the State Council's notices.

>>> from datetime import date
>>> from loanrules.calendars import CHINA, BusinessDay
>>> CHINA.is_business_day(date(2026, 10, 1))     # National Day
False
>>> CHINA.is_business_day(date(2026, 10, 10))    # a Saturday made a working day
True
>>> CHINA.adjust(date(2026, 10, 1), BusinessDay.FOLLOWING)
datetime.date(2026, 10, 8)

Holiday data ends with the latest official notice, yet a 30-year schedule
runs decades past it. A calendar therefore says what it does outside the
years its data covers: project the statutory holidays by rule
(:attr:`Outside.PROJECTED`, the default of ``CHINA``, for 1901 to 2100),
raise :class:`~loanrules.errors.CalendarCoverageError` (:attr:`Outside.RAISE`,
the default of a calendar you build) or treat only weekends as closed
(:attr:`Outside.WEEKENDS_ONLY`). Outside the data every date is
provisional, and :meth:`Calendar.is_provisional` says so:

>>> CHINA.is_business_day(date(2040, 1, 1)), CHINA.is_provisional(date(2040, 1, 1))   # 元旦, projected
(False, True)
>>> CHINA.is_business_day(date(2040, 1, 2)), CHINA.is_provisional(date(2040, 1, 2))
(True, True)
>>> CHINA.is_business_day(date(2101, 1, 3))
Traceback (most recent call last):
...
loanrules.errors.CalendarCoverageError: calendar 'CHINA' has holiday data for 1901-2100 only, got 2101-01-03; extend it with Calendar.with_year() or choose outside=Outside.WEEKENDS_ONLY to treat only weekends as closed there
>>> strict = CHINA.with_outside(Outside.RAISE)
>>> strict.is_business_day(date(2040, 1, 2))
Traceback (most recent call last):
...
loanrules.errors.CalendarCoverageError: calendar 'CHINA' has holiday data for 2004-2026 only, got 2040-01-02; extend it with Calendar.with_year() or choose outside=Outside.WEEKENDS_ONLY to treat only weekends as closed there
>>> lenient = CHINA.with_outside(Outside.WEEKENDS_ONLY)
>>> lenient.is_business_day(date(2040, 1, 1)), lenient.is_provisional(date(2040, 1, 1))   # a Sunday
(False, True)
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Iterable
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

import attrs

from loanrules._checks import IntIn, MemberOf, member_repr
from loanrules.errors import CalendarCoverageError, InvalidTypeError, InvalidValueError

from ._china_data import CHINA_YEARS
from ._china_projection import PROJECTION_YEARS, projected_holidays
from ._dates import check_date

__all__ = [
    "ALL_DAYS",
    "CHINA",
    "WEEKENDS",
    "BusinessDay",
    "Calendar",
    "Outside",
    "Projection",
]

_ONE_DAY = timedelta(days=1)
_WEEKDAY = IntIn(0, 6)
_YEAR = IntIn(date.min.year, date.max.year)
_ANY_INT = IntIn()


class BusinessDay(enum.Enum):
    """How a date that is not a business day is moved (QuantLib's meanings).

    >>> WEEKENDS.adjust(date(2026, 2, 28), BusinessDay.MODIFIED_FOLLOWING)   # Saturday, month end
    datetime.date(2026, 2, 27)
    """

    __repr__ = member_repr

    UNADJUSTED = "unadjusted"
    """Leave the date where it is."""
    FOLLOWING = "following"
    """The first business day after it (节假日顺延)."""
    MODIFIED_FOLLOWING = "modified_following"
    """The first business day after it, unless that is in the next month:
    then the last business day before it."""
    PRECEDING = "preceding"
    """The last business day before it."""
    MODIFIED_PRECEDING = "modified_preceding"
    """The last business day before it, unless that is in the previous
    month: then the first business day after it."""


class Outside(enum.Enum):
    """What a calendar does for a date outside the years its holiday data covers.

    Whatever the choice, a date outside the data is *provisional*
    (:meth:`Calendar.is_provisional`): its status is a forecast, not an
    official notice.
    """

    __repr__ = member_repr

    RAISE = "raise"
    """Raise :class:`~loanrules.errors.CalendarCoverageError` (the default of :meth:`Calendar.from_dates`)."""
    WEEKENDS_ONLY = "weekends_only"
    """Treat only the weekend days as closed; such dates are *provisional*."""
    PROJECTED = "projected"
    """Apply the calendar's :class:`Projection` (the default of ``CHINA``): for
    ``Projection.CHINA``, the statutory holidays by rule, weekends closed and
    no make-up working days; such dates are *provisional*. Past the years the
    projection knows (1901 to 2100) it raises
    :class:`~loanrules.errors.CalendarCoverageError`. A calendar with no
    projection treats only weekends as closed."""


class Projection(enum.Enum):
    """A rule that forecasts a calendar's holidays for years without official data."""

    __repr__ = member_repr

    CHINA = "china"
    """Mainland statutory holidays by the rules of the 2025 State Council
    regulation (全国年节及纪念日放假办法), without the annual bridging
    arrangements: 元旦 1 day (1 Jan), 春节 4 days (除夕 to 初三), 清明 1 day,
    劳动节 2 days (1-2 May), 端午 1 day, 中秋 1 day, 国庆 3 days (1-3 Oct),
    from the Chinese lunisolar calendar, for 1901 to 2100."""

    @property
    def years(self) -> tuple[int, int]:
        """The first and last year the rule can project.

        >>> Projection.CHINA.years
        (1901, 2100)
        """
        return _PROJECTION_YEARS

    def holidays(self, year: int) -> frozenset[date]:
        """The projected holidays of ``year`` (weekend days among them included).

        Raises:
            InvalidValueError: For a year outside :attr:`years`.

        >>> date(2040, 10, 1) in Projection.CHINA.holidays(2040)
        True
        """
        first, last = _PROJECTION_YEARS
        IntIn(first, last).check(year, "year")
        return _projected(self, year)


_PROJECTION_YEARS: Final = (PROJECTION_YEARS.start, PROJECTION_YEARS.stop - 1)
# Every projected year, made once at import and never changed (read-only).
_CHINA_PROJECTED: Final = MappingProxyType(
    {year: projected_holidays(year) for year in range(_PROJECTION_YEARS[0], _PROJECTION_YEARS[1] + 1)}
)


def _projected(_projection: Projection, year: int) -> frozenset[date]:
    """The holidays ``_projection`` forecasts for ``year`` (inside its years; one projection so far)."""
    return _CHINA_PROJECTED[year]
_PROJECTION = MemberOf(Projection)


_OUTSIDE = MemberOf(Outside)


def _to_dates(values: Iterable[date], field: str) -> frozenset[date]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidTypeError(field, "must be an iterable of dates", values)
    # Each checked before it is hashed: an unhashable member is refused like any other non-date.
    return values if type(values) is frozenset and all(type(v) is date for v in values) else frozenset(
        check_date(value, field) for value in values)


def _to_holidays(values: Iterable[date]) -> frozenset[date]:
    return _to_dates(values, "holidays")


def _to_working_days(values: Iterable[date]) -> frozenset[date]:
    return _to_dates(values, "working_days")


def _to_weekend(values: Iterable[int]) -> frozenset[int]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidTypeError("weekend", "must be an iterable of weekday numbers (Monday = 0)", values)
    members = tuple(values)
    for value in members:
        if type(value) is not int or not 0 <= value <= 6:  # one message for a wrong type or value
            raise InvalidValueError("weekend", "must hold weekday numbers in [0, 6] (Monday = 0)", value)
    result = frozenset(members)
    if len(result) == 7:
        # No day of the week would be open, so adjust() would search forever.
        raise InvalidValueError("weekend", "must leave at least one weekday open", sorted(result))
    return result


@typing.final
@attrs.frozen(cache_hash=True, repr=False)
class Calendar:
    """A business-day calendar: weekend days, holidays and make-up working days.

    Args:
        name: A short name, used in messages.
        weekend: Weekday numbers that are closed (Monday = 0); Saturday and Sunday by default.
        holidays: Dates that are closed (a holiday on a weekend may be listed too).
        working_days: Dates that are open even though they fall on a weekend (调休).
        years: ``(first, last)``: the years the holiday data covers, or
            ``None`` when the rules above are complete for every date.
        projection: The rule that forecasts holidays outside ``years``
            under ``Outside.PROJECTED``, or ``None`` (weekends only).
        outside: What to do for a date outside ``years``.

    Build your own with :meth:`from_dates`; extend one with a newly
    published year with :meth:`with_year`.

    >>> from loanrules.calendars import Calendar
    >>> cal = Calendar.from_dates("ACME", holidays=[date(2026, 12, 25)])
    >>> cal.is_business_day(date(2026, 12, 25)), cal.is_business_day(date(2026, 12, 24))
    (False, True)
    """

    name: str
    weekend: frozenset[int] = attrs.field(default=frozenset({5, 6}), converter=_to_weekend)
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_holidays)
    working_days: frozenset[date] = attrs.field(default=frozenset(), converter=_to_working_days)
    years: tuple[int, int] | None = None
    projection: Projection | None = None
    outside: Outside = attrs.field(default=Outside.RAISE)

    @outside.validator
    def _check(self, _attribute: object, outside: Outside) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InvalidValueError("name", "must be a non-empty string", self.name)
        _OUTSIDE.check(outside, "outside")
        if self.projection is not None:
            _PROJECTION.check(self.projection, "projection")
        both = self.holidays & self.working_days
        if both:
            raise InvalidValueError(
                "working_days", "must not contain a date that is also a holiday", min(both)
            )
        if self.years is not None:
            if not (isinstance(self.years, tuple) and len(self.years) == 2):
                raise InvalidTypeError("years", "must be a (first, last) tuple or None", self.years)
            first, last = self.years
            if type(first) is not int or type(last) is not int or not date.min.year <= first <= last <= date.max.year:
                raise InvalidValueError(
                    "years", f"must be (first, last) ints with {date.min.year} <= first <= last <= {date.max.year}",
                    self.years,
                )
            for field, days in (("holidays", self.holidays), ("working_days", self.working_days)):
                for day in sorted(days):
                    if not first <= day.year <= last:
                        raise InvalidValueError(
                            field, f"must lie within the covered years [{first}, {last}]", day
                        )

    def __repr__(self) -> str:
        """A built-in by name (``CHINA``, ``CHINA.with_outside(Outside.RAISE)``), any other in full.

        The repr evaluates back to an equal calendar with ``from loanrules
        import *`` and ``import datetime``:

        >>> CHINA, CHINA.with_outside(Outside.RAISE)
        (CHINA, CHINA.with_outside(Outside.RAISE))
        >>> Calendar.from_dates("ACME", [date(2026, 12, 25)], weekend=[6])
        Calendar.from_dates('ACME', holidays=[datetime.date(2026, 12, 25)], weekend=[6])
        """
        base = _BUILTINS.get(self.name)
        if (base is not None and self.holidays == base.holidays and self.working_days == base.working_days
                and self.weekend == base.weekend and self.years == base.years
                and self.projection == base.projection):
            return self.name if self.outside is base.outside else f"{self.name}.with_outside({self.outside!r})"
        parts = [repr(self.name)]
        if self.holidays:
            parts.append(f"holidays={sorted(self.holidays)!r}")
        if self.working_days:
            parts.append(f"working_days={sorted(self.working_days)!r}")
        if self.weekend != frozenset({5, 6}):
            parts.append(f"weekend={sorted(self.weekend)!r}")
        if self.years is not None:
            parts.append(f"years={self.years!r}")
        if self.projection is not None:
            parts.append(f"projection={self.projection!r}")
        if self.outside is not Outside.RAISE:
            parts.append(f"outside={self.outside!r}")
        return f"Calendar.from_dates({', '.join(parts)})"

    def __reduce__(self) -> tuple[typing.Any, ...]:
        """Pickle a built-in calendar (or one changed only in its scalar fields) by name.

        ``ALL_DAYS``, ``WEEKENDS``, ``CHINA`` and, say,
        ``CHINA.with_outside(...)`` pickle as the built-in's name plus the
        fields that differ from it, so a pickled loan does not carry a
        thousand holidays; any other calendar pickles in full.

        >>> import pickle
        >>> len(pickle.dumps(CHINA)) < 150, pickle.loads(pickle.dumps(CHINA)) is CHINA
        (True, True)
        """
        base = _BUILTINS.get(self.name)
        if base is not None and self.holidays == base.holidays and self.working_days == base.working_days:
            changes = {field: getattr(self, field) for field in _SCALAR_FIELDS
                       if getattr(self, field) != getattr(base, field)}
            return _builtin, (self.name, changes) if changes else (self.name,)
        return _calendar, (attrs.asdict(self, recurse=False),)

    def _repr_pretty_(self, printer: typing.Any, cycle: bool) -> None:
        """Pretty printers (IPython, Hypothesis) show the repr: a built-in by its name, not its thousand holidays."""
        printer.text(repr(self))

    @classmethod
    def from_dates(
        cls,
        name: str,
        holidays: Iterable[date] = (),
        working_days: Iterable[date] = (),
        *,
        weekend: Iterable[int] = (5, 6),
        years: tuple[int, int] | None = None,
        projection: Projection | None = None,
        outside: Outside = Outside.RAISE,
    ) -> Calendar:
        """A calendar from sets of dates.

        >>> Calendar.from_dates("X", [date(2026, 1, 1)], years=(2026, 2026)).covers(date(2027, 1, 1))
        False
        """
        return cls(name=name, weekend=weekend, holidays=holidays, working_days=working_days, years=years,
                   projection=projection, outside=outside)  # the fields' converters check, then freeze

    def covers(self, day: date) -> bool:
        """Whether the holiday data covers ``day``'s year.

        >>> CHINA.covers(date(2026, 5, 1)), CHINA.covers(date(2027, 5, 1))
        (True, False)
        """
        check_date(day, "day")
        years = self.years
        return years is None or years[0] <= day.year <= years[1]

    def is_provisional(self, day: date) -> bool:
        """Whether ``day`` is outside the data, so its status is a forecast (projected, or weekends alone).

        >>> WEEKENDS.is_provisional(date(2090, 1, 1))
        False
        """
        return not self.covers(day)

    def is_business_day(self, day: date) -> bool:
        """Whether ``day`` is open for business.

        Raises:
            CalendarCoverageError: Outside the covered years, under ``Outside.RAISE``.
            InvalidTypeError: For a ``datetime`` (which never equals a listed
                holiday, so it would silently count as open) or a non-date.

        >>> WEEKENDS.is_business_day(date(2026, 11, 28))   # a Saturday
        False
        """
        check_date(day, "day")
        return self._is_open(day)

    def _is_open(self, day: date) -> bool:
        years = self.years
        if years is not None and not years[0] <= day.year <= years[1]:
            outside = self.outside
            if outside is Outside.RAISE:
                raise CalendarCoverageError(self.name, day, years[0], years[1])
            if outside is Outside.PROJECTED and self.projection is not None:
                first, last = self.projection.years
                if not first <= day.year <= last:
                    raise CalendarCoverageError(self.name, day, min(first, years[0]), max(last, years[1]))
                if day in _projected(self.projection, day.year):
                    return False
            return day.weekday() not in self.weekend
        if day in self.working_days:
            return True
        return day not in self.holidays and day.weekday() not in self.weekend

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is closed (a holiday or a weekend day that is not made up).

        >>> CHINA.is_holiday(date(2026, 2, 16))   # Spring Festival
        True
        """
        return not self.is_business_day(day)

    def adjust(self, day: date, convention: BusinessDay = BusinessDay.FOLLOWING) -> date:
        """Move ``day`` onto a business day by ``convention``.

        >>> CHINA.adjust(date(2026, 1, 31), BusinessDay.MODIFIED_FOLLOWING)   # Saturday, month end
        datetime.date(2026, 1, 30)
        >>> CHINA.adjust(date(2026, 10, 4), BusinessDay.PRECEDING)
        datetime.date(2026, 9, 30)
        """
        check_date(day, "day")
        if convention is BusinessDay.UNADJUSTED:
            return day
        if convention is BusinessDay.FOLLOWING or convention is BusinessDay.MODIFIED_FOLLOWING:
            moved = self._roll(day, _ONE_DAY)
            if convention is BusinessDay.MODIFIED_FOLLOWING and moved.month != day.month:
                moved = self._roll(day, -_ONE_DAY)
            return moved
        if convention is BusinessDay.PRECEDING or convention is BusinessDay.MODIFIED_PRECEDING:
            moved = self._roll(day, -_ONE_DAY)
            if convention is BusinessDay.MODIFIED_PRECEDING and moved.month != day.month:
                moved = self._roll(day, _ONE_DAY)
            return moved
        raise InvalidTypeError("convention", "must be a BusinessDay member", convention)

    def _roll(self, day: date, step: timedelta) -> date:
        start = day
        try:
            while not self._is_open(day):
                day += step
        except OverflowError:
            side = "after" if step > timedelta(0) else "before"
            raise InvalidValueError(
                "day", f"has no business day {side} it within {date.min}..{date.max}", start
            ) from None
        return day

    def _plain_after(self) -> date | None:
        """A date after which weekends alone decide (``None``: no such date, keep walking)."""
        if self.years is None:
            special = self.holidays | self.working_days
            return max(special) if special else date.min
        if self.outside is Outside.WEEKENDS_ONLY or (self.outside is Outside.PROJECTED and self.projection is None):
            return date(self.years[1], 12, 31)
        return None

    def _plain_before(self) -> date | None:
        """A date before which weekends alone decide (``None``: no such date, keep walking)."""
        if self.years is None:
            special = self.holidays | self.working_days
            return min(special) if special else date.max
        if self.outside is Outside.WEEKENDS_ONLY or (self.outside is Outside.PROJECTED and self.projection is None):
            return date(self.years[0], 1, 1)
        return None

    def add_business_days(self, day: date, n: int) -> date:
        """The date ``n`` business days after ``day`` (before it for negative ``n``).

        ``n = 0`` gives ``day`` itself when it is a business day, else the
        next business day.

        >>> CHINA.add_business_days(date(2026, 9, 30), 1)   # over National Day week
        datetime.date(2026, 10, 8)
        >>> CHINA.add_business_days(date(2026, 10, 8), -1)
        datetime.date(2026, 9, 30)
        >>> WEEKENDS.add_business_days(date(2026, 1, 1), 10**7)
        Traceback (most recent call last):
        ...
        loanrules.errors.InvalidValueError: 'n' must lie in [-739616, 2912442] (the days from 2026-01-01 to the ends of datetime.date's range), got 10000000

        Where weekends alone decide (past a calendar's data under
        ``WEEKENDS_ONLY``, or past the last listed date of a calendar that
        covers every year) the walk jumps whole weeks.

        Raises:
            InvalidTypeError: For a non-int ``n`` (a bool is refused) or a bad ``day``.
            InvalidValueError: For an ``n`` that would leave ``datetime.date``'s range.
            CalendarCoverageError: When the walk leaves the data of a calendar that raises there.
        """
        check_date(day, "day")
        n = _ANY_INT.check(n, "n")
        if n == 0:
            return self._roll(day, _ONE_DAY)
        low, high = -(day - date.min).days, (date.max - day).days
        if not low <= n <= high:
            raise InvalidValueError(
                "n", f"must lie in [{low}, {high}] (the days from {day} to the ends of datetime.date's range)", n
            )
        forward = n > 0
        step = _ONE_DAY if forward else -_ONE_DAY
        plain = self._plain_after() if forward else self._plain_before()
        per_week = 7 - len(self.weekend)
        remaining = abs(n)
        start = day
        try:
            while remaining:
                if plain is not None and remaining > per_week and (day >= plain if forward else day <= plain):
                    # Every later day is decided by weekends alone: any 7 of them hold per_week open days.
                    weeks = (remaining - 1) // per_week
                    day += step * 7 * weeks
                    remaining -= weeks * per_week
                    continue
                day += step
                if self._is_open(day):
                    remaining -= 1
        except OverflowError:
            raise InvalidValueError(
                "n", f"must keep the result within {date.min}..{date.max} from {start}", n
            ) from None
        return day

    def with_outside(self, outside: Outside) -> Calendar:
        """The same calendar with another rule for dates outside its data.

        >>> CHINA.with_outside(Outside.WEEKENDS_ONLY).outside
        Outside.WEEKENDS_ONLY
        """
        return attrs.evolve(self, outside=outside)

    def with_year(self, year: int, holidays: Iterable[date], working_days: Iterable[date] = ()) -> Calendar:
        """This calendar with the holiday data of ``year`` added or replaced.

        Use it for a newly published year without waiting for a release. The
        year must be inside the covered years or next to them, so that no
        uncovered year is left in between. A calendar whose rules hold for
        every date (``years`` is ``None``) keeps doing so.

        >>> cal = CHINA.with_year(2027, holidays=[date(2027, 1, 1)], working_days=[])
        >>> cal.years, cal.is_business_day(date(2027, 1, 1)), cal.is_business_day(date(2027, 1, 4))
        ((2004, 2027), False, True)
        """
        _YEAR.check(year, "year")
        new_holidays = _to_holidays(holidays)
        new_working = _to_working_days(working_days)
        for field, days in (("holidays", new_holidays), ("working_days", new_working)):
            for day in sorted(days):
                if day.year != year:
                    raise InvalidValueError(field, f"must all lie in {year}", day)
        years: tuple[int, int] | None
        if self.years is None:
            years = None
        else:
            first, last = self.years
            if not first - 1 <= year <= last + 1:
                raise InvalidValueError(
                    "year", f"must lie within or next to the covered years [{first}, {last}]", year
                )
            years = (min(first, year), max(last, year))
        kept_h = frozenset(d for d in self.holidays if d.year != year)
        kept_w = frozenset(d for d in self.working_days if d.year != year)
        return attrs.evolve(self, holidays=kept_h | new_holidays, working_days=kept_w | new_working,
                            years=years)


_SCALAR_FIELDS: Final = ("weekend", "years", "projection", "outside")


def _builtin(name: str, changes: dict[str, typing.Any] | None = None) -> Calendar:
    """The built-in calendar ``name``, with ``changes`` (unpickling; private)."""
    base = _BUILTINS[name]
    return attrs.evolve(base, **changes) if changes else base


def _calendar(fields: dict[str, typing.Any]) -> Calendar:
    """A calendar from its fields, validated again (unpickling; private)."""
    return Calendar(**fields)


def _parse_days(year: int, text: str) -> Iterable[date]:
    for item in text.split():
        first, _, last = item.partition("-")
        start = date(year, int(first[:2]), int(first[2:]))
        end = date(year, int(last[:2]), int(last[2:])) if last else start
        while start <= end:
            yield start
            start += _ONE_DAY


ALL_DAYS: Final = Calendar(name="ALL_DAYS", weekend=frozenset())
"""Every day is a business day: no weekend, no holidays."""

WEEKENDS: Final = Calendar(name="WEEKENDS")
"""Saturday and Sunday closed; no holidays."""

CHINA: Final = Calendar(
    name="CHINA",
    holidays=frozenset(d for y, (h, _) in CHINA_YEARS.items() for d in _parse_days(y, h)),
    working_days=frozenset(d for y, (_, w) in CHINA_YEARS.items() for d in _parse_days(y, w)),
    years=(min(CHINA_YEARS), max(CHINA_YEARS)),
    projection=Projection.CHINA,
    outside=Outside.PROJECTED,
)
"""Mainland China: weekends, statutory holidays and 调休 make-up working days,
2004 to 2026 from the official notices; other years from 1901 to 2100 are
projected (``Outside.PROJECTED``: statutory holidays by rule, no make-up
days, every date provisional); ``with_outside`` chooses otherwise."""

_BUILTINS: Final = {calendar.name: calendar for calendar in (ALL_DAYS, WEEKENDS, CHINA)}
