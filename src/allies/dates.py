"""Partial dates: a day, a month or a year, with the precision kept."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .errors import AlliesError, BadDate, shown

PERIOD_FORMS = "use YYYY-MM-DD (a real calendar day), YYYY-MM or YYYY, e.g. 2022-04-01"
PUBLISHED_FORMS = (
    "use YYYY-MM-DD, an ISO datetime (2023-04-05T10:00:00Z) or an e-mail date "
    "(Wed, 05 Apr 2023 10:00:00 GMT)"
)


class PublicationDateWarning(UserWarning):
    """A record's publication date could not be read: the record is read with its date
    unknown (relative dates in it stay unresolved)."""


def bad_date(value: object, what: str, forms: str) -> BadDate:
    """A BadDate whose message lists the forms that are accepted here."""
    e = BadDate(str(value), what)
    e.message = f"bad {what} {shown(value)}: {forms}"
    e.args = (e.message,)
    return e

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


def parse_period(text: str | dt.date | None, what: str = "date") -> PartialDate:
    """A day, a month or a year (YYYY-MM-DD, YYYY-MM, YYYY); ``None`` means today."""
    if text is None:
        return PartialDate(dt.date.today(), "day")
    if isinstance(text, dt.date):
        return PartialDate(text, "day")
    try:
        return PartialDate.parse(text, what)
    except BadDate:
        raise bad_date(text, what, PERIOD_FORMS) from None


_ISO_DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)


def parse_published(text: str | dt.date | None, what: str = "publication date") -> dt.date | None:
    """A publication date as feeds and pages write it: ``2023-04-05``, an ISO datetime
    (``2023-04-05T10:00:00Z``, ``2023-04-05 10:00+02:00``) or an e-mail/RSS date (RFC 2822:
    ``Wed, 05 Apr 2023 10:00:00 GMT``). The day is the one written (no time-zone shift).
    ``None`` or an empty string is no date; anything else unreadable raises BadDate."""
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if not isinstance(text, str):
        raise bad_date(repr(text), what, PUBLISHED_FORMS)
    s = text.strip()
    if not s:
        return None
    m = _ISO_DATETIME.match(s)
    if m:
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError:
            raise bad_date(text, what, PUBLISHED_FORMS) from None
    import email.utils  # only here: it costs 30 ms at import

    try:
        stamp = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError, OverflowError):
        raise bad_date(text, what, PUBLISHED_FORMS) from None
    return stamp.date()


def partial_or_none(value: object) -> PartialDate | None:
    """A date of a reading or finding ("2022-03", "2022-03-10"), or None when it is empty or
    not a date."""
    if not value:
        return None
    try:
        return PartialDate.parse(str(value))
    except AlliesError:
        return None
