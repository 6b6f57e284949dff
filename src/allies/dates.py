"""Partial dates: a day, a month or a year, with the precision kept."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .errors import BadDate

Precision = Literal["day", "month", "year"]

_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date known to the day, the month or the year.

    Ordering and `start` use the first day of the period: ``1987`` counts from 1987-01-01.
    """

    start: dt.date
    precision: Precision

    @classmethod
    def parse(cls, text: str, what: str = "date") -> PartialDate:
        m = _FORM.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise BadDate(str(text), what)
        y, mo, d = m.group(1), m.group(2), m.group(3)
        try:
            if d is not None:
                return cls(dt.date(int(y), int(mo), int(d)), "day")
            if mo is not None:
                return cls(dt.date(int(y), int(mo), 1), "month")
            return cls(dt.date(int(y), 1, 1), "year")
        except ValueError:
            raise BadDate(text, what) from None

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        s = self.start
        if self.precision == "day":
            return s
        if self.precision == "month":
            return s.replace(day=calendar.monthrange(s.year, s.month)[1])
        return s.replace(month=12, day=31)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        s = self.start
        if self.precision == "day":
            return s.isoformat()
        if self.precision == "month":
            return f"{s.year:04d}-{s.month:02d}"
        return f"{s.year:04d}"


def parse_day(text: str | dt.date | None, what: str = "date") -> dt.date:
    """Parse a full YYYY-MM-DD day (``None`` means today)."""
    if text is None:
        return dt.date.today()
    if isinstance(text, dt.date):
        return text
    p = PartialDate.parse(text, what)
    if p.precision != "day":
        raise BadDate(text, what)
    return p.start
