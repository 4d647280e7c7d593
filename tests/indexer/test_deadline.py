"""The deadline that stops a runaway parser or OCR run, shared by the ingest and OCR workers."""

from __future__ import annotations

import threading

import pytest

from indexer.deadline import DeadlineExpired, deadline


def spin() -> None:
    while True:  # pure-Python work that never returns on its own
        pass


def test_work_past_its_deadline_is_stopped_even_inside_a_broad_except():
    with pytest.raises(DeadlineExpired), deadline(0.05):
        try:
            spin()
        except Exception:  # noqa: BLE001 - what a careless parser does: it must not swallow it
            pytest.fail("the deadline was swallowed")


def test_work_within_its_deadline_runs_to_its_end_and_disarms_the_alarm():
    with deadline(5):
        total = sum(range(1000))
    assert total == 499500
    threading.Event().wait(0.01)  # no alarm left armed to fire later


def test_outside_the_main_thread_the_deadline_is_not_armed():
    finished = []

    def work() -> None:
        with deadline(0.01):
            threading.Event().wait(0.05)
        finished.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert finished == [True]
