"""Read news: find the alliance status events an article reports, and the claims it makes.

>>> from allies.read import read
>>> r = read("On Thursday the U.S. designated Qatar a major non-NATO ally.", "2022-03-12")
>>> [(e.country, e.action, str(e.date)) for e in r.events]
[('QAT', 'designate', '2022-03-10')]
"""

from .dates import DateMention, resolve_dates
from .inputs import (
    MAX_BYTES,
    html_to_text,
    list_files,
    read_bytes,
    read_file,
    read_html,
    read_path,
    read_record,
    read_stream,
)
from .model import Claim, Event, Evidence, Reading, ReadResult, Source
from .pipeline import Reader, read, reader
from .segment import Sentence, split_sentences

__all__ = [
    "MAX_BYTES",
    "Claim",
    "DateMention",
    "Event",
    "Evidence",
    "ReadResult",
    "Reader",
    "Reading",
    "Sentence",
    "Source",
    "html_to_text",
    "list_files",
    "read",
    "read_bytes",
    "read_file",
    "read_html",
    "read_path",
    "read_record",
    "read_stream",
    "reader",
    "resolve_dates",
    "split_sentences",
]
