"""Near-duplicate detection for syndicated stories: the same wire text in many outlets counts
as one source with many URLs.

Each article gets a MinHash signature (datasketch) of its word 5-shingles, computed where the
article is read (a scan worker) and carried as compact text; two articles whose estimated
Jaccard similarity reaches THRESHOLD are one story.

>>> a = signature("The United States designated Peru a major non-NATO ally on Wednesday, "
...               "officials said in Washington.")
>>> b = signature("The United States designated Peru a major non-NATO ally on Wednesday, "
...               "officials said in Washington. Read more")
>>> similar(a, b), similar(a, signature("Kenya and NATO leaders met in Brussels today."))
(True, False)
"""

from __future__ import annotations

import base64
import re
import zlib
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 64
THRESHOLD = 0.6  # estimated Jaccard of 5-shingles: wire copies with a changed head or tail
SHINGLE = 5
MAX_CHARS = 800  # about 120 words: enough to tell a wire copy, cheap on long pages
WORD_RX = re.compile(r"\w+")
SEED = 1  # fixed: signatures made anywhere (any worker, any run) are comparable


@cache
def _template() -> MinHash:
    # imported here: datasketch's package import pulls in scipy (seconds), and only making
    # signatures needs it, not comparing them or deciding on a candidate
    from datasketch.minhash import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")


def _shingle_hashes(text: str) -> list[int]:
    """32-bit hashes of the word 5-shingles of the text's first MAX_CHARS characters (a wire copy
    is recognised by its body; the cost stays bounded on long pages). Word hashes are CRC-32
    (stable across processes), combined per shingle in one vectorised pass."""
    words = WORD_RX.findall(text[:MAX_CHARS].lower())
    if not words:
        return [0]
    w = np.fromiter((zlib.crc32(x.encode("utf-8")) for x in words), dtype=np.uint64,
                    count=len(words))
    n = max(len(w) - SHINGLE + 1, 1)
    h = np.zeros(n, dtype=np.uint64)
    for k in range(min(SHINGLE, len(w))):
        h = (h * np.uint64(1000003) + w[k:k + n]) & np.uint64(0xFFFFFFFF)
    return [int(x) for x in np.unique(h)]


def warm() -> None:
    """Import datasketch now (its package import pulls in scipy): a scan calls this once
    before forking its workers, so each does not pay for it."""
    _template()


def minhash(text: str) -> MinHash:
    from datasketch.minhash import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_template().permutations,
                scheme="affine32", hashfunc=int)
    m.update_batch(_shingle_hashes(text))
    return m


def signature(text: str) -> str:
    """A text's MinHash as 4 bytes per permutation, base64 (344 characters)."""
    values = minhash(text).hashvalues.astype("<u4")
    return base64.b64encode(values.tobytes()).decode("ascii")


def _values(sig: str) -> np.ndarray | None:
    try:
        raw = base64.b64decode(sig.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    if len(raw) != NUM_PERM * 4:
        return None
    return np.frombuffer(raw, dtype="<u4")


def valid(sig: object) -> bool:
    return isinstance(sig, str) and _values(sig) is not None


def jaccard(a: str, b: str) -> float:
    """Estimated Jaccard similarity of two signatures (0.0 if either is malformed)."""
    va, vb = _values(a), _values(b)
    if va is None or vb is None:
        return 0.0
    return float(np.count_nonzero(va == vb)) / NUM_PERM


def similar(a: str, b: str) -> bool:
    return jaccard(a, b) >= THRESHOLD


class Stories:
    """Assign story ids: a signature similar to a known story's joins it; else a new story."""

    def __init__(self) -> None:
        self._reps: list[tuple[int, np.ndarray]] = []

    def add_known(self, story: int, sig: str) -> None:
        v = _values(sig)
        if v is not None:
            self._reps.append((story, v))

    def find(self, sig: str) -> int | None:
        v = _values(sig)
        if v is None:
            return None
        for story, rep in self._reps:
            if np.count_nonzero(rep == v) >= THRESHOLD * NUM_PERM:
                return story
        return None
