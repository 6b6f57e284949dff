"""Reading and checking articles off the event loop.

The reader and checker are CPU-bound (a 2 MB article takes seconds), so the handlers of
POST /api/read, /api/check, /check and /check.json run them in worker threads, and the
event loop keeps answering every other request meanwhile.

At most ``slots`` articles are read at a time (default 2); up to ``queue`` more requests
wait for a slot (default 8), in arrival order. A request arriving when every slot and queue
place is taken gets a 503 in the common error shape, with ``Retry-After``, straight away and
before its body is read.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from .errors import Busy

READ_SLOTS = 2
READ_QUEUE = 8

T = TypeVar("T")


class ReaderPool:
    """A cap on concurrent reads (threads) plus a bounded queue of waiting requests."""

    def __init__(self, slots: int = READ_SLOTS, queue: int = READ_QUEUE) -> None:
        if slots < 1 or queue < 0:
            raise ValueError("slots must be >= 1 and queue >= 0")
        self.slots = slots
        self.queue = queue
        self.admitted = 0  # running + waiting
        self._lock = threading.Lock()
        # One limiter per event loop (tests run several loops; a server runs one).
        self._limiters: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, anyio.CapacityLimiter
        ] = weakref.WeakKeyDictionary()

    def _limiter(self) -> anyio.CapacityLimiter:
        loop = asyncio.get_running_loop()
        lim = self._limiters.get(loop)
        if lim is None:
            lim = self._limiters[loop] = anyio.CapacityLimiter(self.slots)
        return lim

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Hold a place (running or waiting) for the duration; Busy (503) when full."""
        with self._lock:
            if self.admitted >= self.slots + self.queue:
                raise Busy(
                    f"server busy: {self.admitted} articles are being read or waiting "
                    f"(limit {self.slots} at a time, {self.queue} waiting); retry in a few "
                    "seconds"
                )
            self.admitted += 1
        try:
            yield
        finally:
            with self._lock:
                self.admitted -= 1

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a worker thread once a slot is free (call inside `admit`)."""
        return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter())
