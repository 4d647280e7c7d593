"""Which waiting search runs next (indexer/search/admission.py): an ordinary search sent while
costly ones wait goes before them, so that it waits at most for the search already running."""

from __future__ import annotations

import threading
import time

from bench.search_corpus import hostile_queries
from indexer.search import SearchIndex, SearchRequest, sync_index
from indexer.search.admission import Admission, costly
from indexer.search.query import parse
from library import Catalogue, Record


def _queue(
    admission: Admission, order: list[str], name: str, *, is_costly: bool
) -> threading.Thread:
    def run() -> None:
        with admission.turn(costly=is_costly):
            order.append(name)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for(admission: Admission, cheap: int, costly_: int) -> None:
    deadline = time.monotonic() + 5
    while admission.waiting != (cheap, costly_):
        assert time.monotonic() < deadline, admission.waiting
        time.sleep(0.001)


def test_cheap_searches_waiting_go_before_costly_ones_that_came_first() -> None:
    admission = Admission(max_wait=60)
    order: list[str] = []
    with admission.turn(costly=True):  # a costly search is running
        threads = [_queue(admission, order, "coûteuse 1", is_costly=True)]
        _wait_for(admission, 0, 1)
        threads.append(_queue(admission, order, "coûteuse 2", is_costly=True))
        _wait_for(admission, 0, 2)
        threads.append(_queue(admission, order, "ordinaire 1", is_costly=False))
        _wait_for(admission, 1, 2)
        threads.append(_queue(admission, order, "ordinaire 2", is_costly=False))
        _wait_for(admission, 2, 2)
    for thread in threads:
        thread.join(5)
    assert order == ["ordinaire 1", "ordinaire 2", "coûteuse 1", "coûteuse 2"]
    assert admission.waiting == (0, 0)


def test_a_costly_search_that_waited_long_enough_goes_next() -> None:
    admission = Admission(max_wait=0.05)
    order: list[str] = []
    with admission.turn():
        threads = [_queue(admission, order, "coûteuse", is_costly=True)]
        _wait_for(admission, 0, 1)
        threads.append(_queue(admission, order, "ordinaire", is_costly=False))
        _wait_for(admission, 1, 1)
        time.sleep(0.06)
    for thread in threads:
        thread.join(5)
    assert order == ["coûteuse", "ordinaire"]


def test_one_search_at_a_time_and_the_turn_is_handed_on_after_an_error() -> None:
    admission = Admission()
    running = 0
    most = 0
    lock = threading.Lock()

    def run(fail: bool) -> None:
        nonlocal running, most
        try:
            with admission.turn(costly=fail):
                with lock:
                    running += 1
                    most = max(most, running)
                time.sleep(0.002)
                with lock:
                    running -= 1
                if fail:
                    raise RuntimeError("la recherche a échoué")
        except RuntimeError:
            pass

    threads = [threading.Thread(target=run, args=(i % 3 == 0,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
        assert not thread.is_alive()
    assert most == 1
    assert admission.waiting == (0, 0)
    with admission.turn():  # free again
        pass


def test_ordinary_queries_are_cheap_and_the_costliest_known_are_costly() -> None:
    for q in (
        "médiation sociale",
        "politique de la ville",
        '"contrat de ville" OU "emploi des jeunes"',
        "évalu* rénovation urbaine",
        "jeunes décrocheurs Fort-de-France 2009",
        "",
        "*",
    ):
        assert not costly(parse(q)), q
    expensive = [label for label, params in hostile_queries() if costly(parse(dict(params)["q"]))]
    assert expensive == [
        "24 préfixes OU et une expression, 6 filtres",
        "24 préfixes OU et une expression",
        "24 préfixes OU",
        "24 expressions de mots courants OU",
        "24 mots courants",
        "24 mots courants OU",
        "24 sigles",
        "1 000 mots inconnus",
        "24 mots mal orthographiés",
    ]


def test_the_index_runs_a_waiting_ordinary_search_before_waiting_costly_ones(instance) -> None:
    # GIVEN an index of a few records, busy with a search
    with Catalogue.in_instance(instance) as catalogue:
        for n in range(6):
            catalogue.add(Record(title=f"Médiation sociale {n}"), text="quartier emploi jeunes")
        index = SearchIndex.open(instance / "index")
        sync_index(catalogue, index)
    finished: list[str] = []

    def search(name: str, q: str) -> None:
        index.search(SearchRequest(q=q))
        finished.append(name)

    costly_q = " ".join(f"mot{n}" for n in range(20))
    with index._admission.turn():
        # WHEN two costly searches, then an ordinary one, come in while it runs
        threads = [
            threading.Thread(target=search, args=(f"coûteuse {n}", costly_q)) for n in (1, 2)
        ]
        for n, thread in enumerate(threads, 1):
            thread.start()
            _wait_for(index._admission, 0, n)
        threads.append(threading.Thread(target=search, args=("ordinaire", "médiation")))
        threads[-1].start()
        _wait_for(index._admission, 1, 2)
    for thread in threads:
        thread.join(30)
    index.close()
    # THEN the ordinary search is answered first
    assert finished[0] == "ordinaire"
    assert sorted(finished[1:]) == ["coûteuse 1", "coûteuse 2"]
