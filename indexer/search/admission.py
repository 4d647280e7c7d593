"""Which waiting search runs next: the cheap ones before the costly ones.

An index answers one search at a time (its searcher is not shared between threads, and the
threads share one interpreter anyway). Served first come, first served, an ordinary search
sent while six of the costliest requests wait behind each other waited for all of them: 2.6 to
3.2 s on a 20,000-document fund. Here a search whose query is costly to rank (many words,
prefixes, long expressions) lets the cheap searches that wait go first, so an ordinary search
waits at most for the one search already running. A costly search that has waited `max_wait`
seconds goes next whatever waits, so a steady stream of cheap searches cannot hold it forever.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterator

from .query import ParsedQuery, Prefix

# What a query costs to rank, counted in words: a prefix is searched as up to 16-64 words, an
# expression is checked word by word. Ordinary queries weigh 1 to 6; the costliest requests
# the benchmark builds weigh 24 and more.
PREFIX_WEIGHT = 8
COSTLY_ABOVE = 12


def costly(parsed: ParsedQuery) -> bool:
    """Whether a query is one to run after the cheap ones that wait."""
    weight = 0
    for group in parsed.required:
        for option in group.options:
            weight += PREFIX_WEIGHT if isinstance(option, Prefix) else len(option.words)
    return weight > COSTLY_ABOVE


class Admission:
    """One search at a time; when one ends, the turn is handed to the oldest cheap search that
    waits, else to the oldest costly one (or to a costly one that has waited `max_wait`)."""

    def __init__(self, max_wait: float = 2.0) -> None:
        self.max_wait = max_wait
        self._mutex = threading.Lock()
        self._busy = False
        self._cheap: deque[threading.Event] = deque()
        self._costly: deque[tuple[threading.Event, float]] = deque()

    @contextlib.contextmanager
    def turn(self, *, costly: bool = False) -> Iterator[None]:
        """Wait for this search's turn, and hand it on when the block ends."""
        self._enter(costly)
        try:
            yield
        finally:
            self._leave()

    def _enter(self, costly: bool) -> None:
        with self._mutex:
            if not self._busy:
                self._busy = True
                return
            called = threading.Event()
            if costly:
                self._costly.append((called, time.monotonic()))
            else:
                self._cheap.append(called)
        # the turn is handed over, never taken: a search arriving just as one ends does not
        # pass those that waited
        called.wait()

    def _leave(self) -> None:
        with self._mutex:
            if self._costly and time.monotonic() - self._costly[0][1] >= self.max_wait:
                self._costly.popleft()[0].set()
            elif self._cheap:
                self._cheap.popleft().set()
            elif self._costly:
                self._costly.popleft()[0].set()
            else:
                self._busy = False

    @property
    def waiting(self) -> tuple[int, int]:
        """(cheap, costly) searches waiting for their turn."""
        with self._mutex:
            return len(self._cheap), len(self._costly)
