"""Facet counts tell the truth: for any query and any filters, the count beside a value is the
number of documents that choosing that value gives (property-based, on a generated fund)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from library import (
    Author,
    AuthorKind,
    Catalogue,
    Copy,
    CopyStatus,
    DocType,
    Record,
    Support,
    ThemeAssignment,
    ThemeSource,
)
from library.store import FileStore

from .fund import make_app

THEMES = ("evaluation", "jeunesse", "logement", "sante", "culture", "emploi-insertion")
TYPES = (DocType.RAPPORT, DocType.ETUDE, DocType.GUIDE, DocType.ACTES)
AUTHORS = (
    Author("Bellance, Jocelyne"),
    Author("Marie-Sainte, Gilles"),
    Author("Durand, Hélène"),
    Author("Ville du Lamentin", AuthorKind.ORGANISATION),
    Author("Ville de Fort-de-France", AuthorKind.ORGANISATION),
    Author("Smith, John"),
)
WORDS = (
    "quartier",
    "quartiers",
    "jeunesse",
    "jeunes",
    "logement",
    "emploi",
    "santé",
    "médiation",
    "évaluation",
    "culture",
    "association",
    "école",
    "maison",
)
QUERIES = (
    "",
    "",
    "quartier",
    "logement jeunesse",
    "emploi OU santé",
    "évalu*",
    '"maison de quartier"',
    "quartier -logement",
    "ZFU",
    "zzzz",
)
VALUES = {
    "theme": THEMES,
    "type": tuple(t.value for t in TYPES),
    "support": ("papier", "electronique"),
    "year": ("2004", "2007", "2010", "2000-2009", "2010-2019"),
    "lang": ("fr", "en", "es"),
    "author": tuple(a.name for a in AUTHORS),
    "available": ("en-rayon", "en-pret", "en-ligne"),
}
FACET_PARAM = {
    "theme": "theme",
    "type": "type",
    "support": "support",
    "year": "year",
    "language": "lang",
    "author": "author",
    "available": "available",
}


def generated_fund(root, n: int = 90, seed: int = 7):  # type: ignore[no-untyped-def]
    """Records with every facet varied, some without year, some copies missing, some files."""
    rng = random.Random(seed)
    store = FileStore(root / "files")
    barcode = 0
    with Catalogue.in_instance(root) as catalogue:
        for number in range(n):
            paper = rng.random() < 0.4
            copies = []
            if paper:
                for _ in range(rng.randint(1, 2)):
                    barcode += 1
                    status = CopyStatus.MISSING if rng.random() < 0.3 else CopyStatus.AVAILABLE
                    copies.append(Copy(f"B{barcode:05d}", "300 GEN", "Salle", status))
            file = None
            if not paper and rng.random() < 0.6:
                file = store.put_bytes(
                    f"fichier {number}".encode(),
                    original_name=f"d{number}.txt",
                    media_type="text/plain",
                )
                catalogue.add_file(file)
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30)))
            if rng.random() < 0.15:
                text += " maison de quartier"
            record = catalogue.add(
                Record(
                    title=f"Document {number} : {rng.choice(WORDS)} et {rng.choice(WORDS)}",
                    year=None if rng.random() < 0.1 else rng.randint(2003, 2013),
                    doc_type=rng.choice(TYPES),
                    support=Support.PAPIER if paper else Support.ELECTRONIQUE,
                    language=rng.choice(("fr", "fr", "fr", "en", "es")),
                    authors=tuple(rng.sample(AUTHORS, rng.randint(0, 2))),
                    copies=tuple(copies),
                    file=file,
                ),
                text=text,
            )
            themes = rng.sample(THEMES, rng.randint(0, 3))
            proposals = [
                ThemeAssignment(slug, ThemeSource.AUTO, 0.9 - 0.1 * i)
                for i, slug in enumerate(themes)
            ]
            catalogue.set_auto_themes(record.id, proposals)


@pytest.fixture(scope="module", name="api")
def api_fixture(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("generated") / "instance"
    generated_fund(root)
    client = make_app(root).test_client()

    def search(params: dict[str, object]) -> dict:  # type: ignore[type-arg]
        response = client.get("/api/search", query_string=params)
        assert response.status_code == 200, (params, response.get_json())
        return response.get_json()

    return search


filters = st.fixed_dictionaries(
    {},
    optional={
        param: st.lists(st.sampled_from(values), max_size=2, unique=True)
        for param, values in VALUES.items()
    },
)
searches = st.builds(lambda q, f: {"q": q, **f}, st.sampled_from(QUERIES), filters)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(params=searches)
def test_every_facet_count_is_the_total_choosing_that_value_gives(api, params) -> None:
    data = api({**params, "per_page": 1})
    for facet, values in data["facets"].items():
        param = "year" if facet == "decade" else FACET_PARAM[facet]
        for value in values:
            chosen = api({**params, param: [value["value"]], "per_page": 1})
            assert chosen["total"] == value["count"], (params, facet, value)


@SETTINGS
@given(params=searches)
def test_single_valued_facets_add_up_to_the_total(api, params) -> None:
    data = api({**params, "per_page": 1})
    for facet in ("type", "support", "language"):
        if not params.get(FACET_PARAM[facet]):
            assert sum(v["count"] for v in data["facets"][facet]) == data["total"], facet


@SETTINGS
@given(params=searches, extra=st.sampled_from(sorted(VALUES.items())))
def test_adding_a_filter_never_widens_another_facet_and_or_within_widens(
    api, params, extra
) -> None:
    param, values = extra
    before = api({**params, "per_page": 1})["total"]
    # AND across facets: another facet's filter can only narrow
    other = "support" if param != "support" else "type"
    narrowed = api({**params, other: [VALUES[other][0]], "per_page": 1})["total"]
    if not params.get(other):
        assert narrowed <= before
    # OR within a facet: one more value can only widen
    current = list(params.get(param, []))
    added = next((v for v in values if v not in current), None)
    if added is not None and current:
        widened = api({**params, param: [*current, added], "per_page": 1})["total"]
        assert widened >= before


@SETTINGS
@given(
    params=searches,
    sort=st.sampled_from(["relevance", "newest", "oldest", "title"]),
    per_page=st.integers(1, 7),
)
def test_pages_partition_the_results(api, params, sort, per_page) -> None:
    first = api({**params, "sort": sort, "per_page": per_page})
    seen: list[int] = []
    for number in range(1, min(first["pages"], 6) + 1):
        page = api({**params, "sort": sort, "per_page": per_page, "page": number})
        assert page["total"] == first["total"]
        seen.extend(h["id"] for h in page["hits"])
    assert len(seen) == len(set(seen)) == min(first["total"], per_page * 6)
