"""Reading and checking articles off the event loop.

The reader and checker are CPU-bound (a 2 MB article takes seconds), so the handlers of
POST /api/read, /api/check, /check and /check.json run them away from the event loop, which
keeps answering every other request meanwhile.

The body is read first (within the size cap and the body timeout of `bodies`); only then is
a place taken. At most ``slots`` articles are read at a time (default 2); up to ``queue``
more requests wait for a slot (default 8), in arrival order. A request arriving when every
slot and queue place is taken gets a 503 in the common error shape, with ``Retry-After``.

Two ways to run a reading:

- ``isolate=False`` (the default of `create_app`, handy for embedding and tests): a worker
  thread.
- ``isolate=True`` (what ``allies serve`` uses): worker processes (at most ``slots``),
  forked from the warm server when first needed and reused, so a reading can be stopped.
  Each reading gets a CPU budget (``RLIMIT_CPU``, default 20 s): a reading that needs more
  ends its worker and the client gets a 422 saying so. A reading whose client has gone
  (connection closed) is stopped at once (its worker is killed) instead of running on for
  nobody. A stopped worker is replaced by a new fork at the next reading.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import signal
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from ..errors import AlliesError
from .errors import Busy, ClientGone

READ_SLOTS = 2
READ_QUEUE = 8
CPU_SECONDS = 20.0  # per reading, in a child process
POLL = 0.01  # seconds between looks at a running reading
WORKER_NICE = 10  # workers run at a lower priority than the server's event loop

T = TypeVar("T")


class TooCostly(AlliesError):
    """A reading went over its CPU budget and was stopped."""

    status = 422


class ChildError(AlliesError):
    """An AlliesError raised in a child process, carried back with its status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class _Ref:
    """Stands for one of the pool's shared objects (the ledger) in a job sent to a worker,
    which has its own copy from the fork: the ledger is never pickled."""

    __slots__ = ("i",)

    def __init__(self, i: int) -> None:
        self.i = i


def _worker_main(conn: Any, shared: tuple[Any, ...], cpu: float) -> None:
    """A worker process: drop the server's sockets, then run jobs until the pipe closes,
    each within a CPU budget of `cpu` seconds (RLIMIT_CPU: SIGXCPU ends the process)."""
    # The worker must not hold the listening socket or clients' connections: a closed
    # connection would stay open (no EOF for the server) and a restart could not bind.
    keep = conn.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 20)
    try:  # readings yield the CPU to the event loop, which answers everything else
        os.nice(WORKER_NICE)
    except OSError:  # pragma: no cover
        pass
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        args = tuple(shared[a.i] if isinstance(a, _Ref) else a for a in args)
        _budget(cpu)
        try:
            out: tuple[Any, ...] = ("ok", fn(*args))
        except AlliesError as e:
            out = ("err", e.status, str(e))
        except BaseException as e:  # noqa: BLE001 - reported to the parent as a generic 500
            out = ("crash", f"{type(e).__name__}: {e}")
        try:
            conn.send(out)
        except (OSError, ValueError):
            os._exit(0)
        except Exception as e:  # noqa: BLE001 - an answer that cannot be sent
            conn.send(("crash", f"{type(e).__name__}: {e}"))


def _budget(cpu: float) -> None:
    """Let this process use `cpu` more seconds of CPU from now."""
    try:
        import resource

        used = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(used.ru_utime + used.ru_stime + cpu)
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        if hard == resource.RLIM_INFINITY or soft <= hard:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass


class _Worker:
    __slots__ = ("proc", "conn")

    def __init__(self, proc: Any, conn: Any) -> None:
        self.proc = proc
        self.conn = conn

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.conn.close()
        self.proc.join(5)


class ReaderPool:
    """A cap on concurrent reads plus a bounded queue of waiting requests."""

    def __init__(
        self,
        slots: int = READ_SLOTS,
        queue: int = READ_QUEUE,
        isolate: bool = False,
        cpu_seconds: float = CPU_SECONDS,
        shared: tuple[Any, ...] = (),
    ) -> None:
        if slots < 1 or queue < 0:
            raise ValueError("slots must be >= 1 and queue >= 0")
        if cpu_seconds <= 0:
            raise ValueError("cpu_seconds must be > 0")
        self.slots = slots
        self.queue = queue
        self.isolate = isolate and hasattr(os, "fork")
        self.cpu_seconds = cpu_seconds
        self.shared = shared  # objects workers get from the fork, not by pickling (the ledger)
        self._idle: list[_Worker] = []  # workers waiting for a reading (at most `slots`)
        self.admitted = 0  # running + waiting
        self.stopped = 0  # children stopped (client gone or over budget), for tests and logs
        self._lock = threading.Lock()
        self._warm = threading.Lock()
        self._warmed = False
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

    def _busy(self) -> Busy:
        return Busy(
            f"server busy: {self.admitted} articles are being read or waiting "
            f"(limit {self.slots} at a time, {self.queue} waiting); retry in a few seconds"
        )

    def check_room(self) -> None:
        """Busy (503) straight away when every place is taken (before reading a body)."""
        if self.admitted >= self.slots + self.queue:
            raise self._busy()

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Hold a place (running or waiting) for the duration; Busy (503) when full."""
        with self._lock:
            if self.admitted >= self.slots + self.queue:
                raise self._busy()
            self.admitted += 1
        try:
            yield
        finally:
            with self._lock:
                self.admitted -= 1

    async def run(
        self,
        fn: Callable[..., T],
        *args: Any,
        gone: Callable[[], Awaitable[bool]] | None = None,
    ) -> T:
        """`fn(*args)` once a slot is free (call inside `admit`): in a worker thread, or
        in a child process stopped when `gone()` turns true or the CPU budget is spent."""
        if not self.isolate:
            return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter())
        await anyio.to_thread.run_sync(self._warm_once)
        async with self._limiter():
            result: T = await self._in_child(fn, args, gone)
            return result

    def _warm_once(self) -> None:
        """Load the reader's data in this process once, so every worker starts warm."""
        with self._warm:
            if not self._warmed:
                from ..read import read

                read("NATO invited Finland.", "2022-06-29")
                self._warmed = True

    def _spawn(self) -> _Worker:
        """Fork a worker (from the warm server process; in a thread: a fork takes ms)."""
        ctx = multiprocessing.get_context("fork")
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(
            target=_worker_main, args=(theirs, self.shared, self.cpu_seconds), daemon=True
        )
        proc.start()
        theirs.close()
        return _Worker(proc, mine)

    async def _in_child(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        gone: Callable[[], Awaitable[bool]] | None,
    ) -> Any:
        refs = tuple(
            next((_Ref(i) for i, o in enumerate(self.shared) if a is o), a) for a in args
        )
        worker = self._idle.pop() if self._idle else None
        if worker is not None:
            try:
                await anyio.to_thread.run_sync(worker.conn.send, (fn, refs))
            except (OSError, ValueError):  # it died while idle: use a new one
                await anyio.to_thread.run_sync(worker.stop)
                worker = None
        if worker is None:
            worker = await anyio.to_thread.run_sync(self._spawn)
            await anyio.to_thread.run_sync(worker.conn.send, (fn, refs))
        wall = time.monotonic() + 3 * self.cpu_seconds + 10  # CPU budget, with room to wait
        out = None
        try:
            while not worker.conn.poll():
                if not worker.proc.is_alive() and not worker.conn.poll():
                    break
                if time.monotonic() > wall:
                    self.stopped += 1
                    raise TooCostly(self._costly())
                if gone is not None and await gone():
                    self.stopped += 1
                    raise ClientGone()
                await anyio.sleep(POLL)
            try:
                out = await anyio.to_thread.run_sync(worker.conn.recv)
            except (EOFError, OSError):
                out = None
        finally:
            if out is not None and worker.proc.is_alive():
                self._idle.append(worker)  # ready for the next reading
            else:  # stopped, over budget or dead: never reused
                await anyio.to_thread.run_sync(worker.stop)
        if out is None:  # the worker died without an answer: over its CPU budget, or killed
            code = worker.proc.exitcode
            if code in (-signal.SIGXCPU, -signal.SIGKILL):
                self.stopped += 1
                raise TooCostly(self._costly())
            raise RuntimeError(f"reading process ended with exit code {code}")
        if out[0] == "ok":
            return out[1]
        if out[0] == "err":
            raise ChildError(out[2], out[1])
        raise RuntimeError(f"reading failed: {out[1]}")

    def _costly(self) -> str:
        return (
            f"reading this article took more than its {self.cpu_seconds:g} s budget and was "
            "stopped; send a shorter article (or split it)"
        )
