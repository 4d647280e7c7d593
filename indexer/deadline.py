"""A deadline for work that cannot be interrupted otherwise (pure-Python parsers, OCR runs)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class DeadlineExpired(BaseException):
    """Raised inside the guarded block when its time is up. A BaseException, so that the
    library code being interrupted cannot swallow it in an `except Exception`."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise DeadlineExpired in the block once `seconds` have passed.

    Only the main thread of a process receives SIGALRM; elsewhere (and for seconds <= 0) the
    deadline is not armed."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DeadlineExpired()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
