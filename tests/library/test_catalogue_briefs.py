"""A record's brief (what a list of results shows: Catalogue.briefs) holds the values the
whole record has, read without its copies, files or the tagger's evidence."""

from __future__ import annotations

import random

from library import (
    Author,
    AuthorKind,
    Catalogue,
    Copy,
    DocType,
    Record,
    Support,
    ThemeAssignment,
    ThemeSource,
)

THEMES = ("evaluation", "sante", "jeunesse", "emploi-insertion", "logement")


def _record(rng: random.Random, n: int) -> Record:
    authors = tuple(
        Author(rng.choice(["Joseph-Angélique, Marie", "Ville de Fort-de-France", "Daniel, J."]),
               rng.choice(list(AuthorKind)))
        for _ in range(rng.randrange(0, 4))
    )  # fmt: skip
    support = rng.choice(list(Support))
    return Record(
        title=f"Étude {n} sur la cohésion sociale",
        authors=authors,
        year=rng.choice([None, 1998, 2009]),
        doc_type=rng.choice(list(DocType)),
        support=support,
        language=rng.choice(["fr", "en", "es", "und"]),
        call_number=rng.choice(["", f"URB {n}"]),
        abstract=rng.choice(["", f"Résumé {n}."]),
        keywords=("CUCS",),
        copies=(Copy(barcode=f"C{n}"),) if support is Support.PAPIER else (),
    )


def test_briefs_hold_the_values_of_the_whole_records(instance) -> None:
    rng = random.Random(8)
    with Catalogue.in_instance(instance) as catalogue:
        ids = [catalogue.add(_record(rng, n)).id for n in range(60)]
        for record_id in ids:
            proposals = [
                ThemeAssignment(slug, ThemeSource.AUTO, rng.random(), {"terms": {"cucs": 2}})
                for slug in rng.sample(THEMES, rng.randrange(0, 4))
            ]
            catalogue.set_auto_themes(record_id, proposals)
            for slug in rng.sample(THEMES, rng.randrange(0, 3)):
                catalogue.set_manual_theme(record_id, slug, rng.choice(["add", "remove"]))
        for record_id in rng.sample(ids, 10):
            catalogue.delete(record_id)
        asked = [*rng.sample(ids, 40), 10_000]  # and an id the catalogue does not hold
        records = catalogue.get_many(asked)
        briefs = catalogue.briefs(asked)
    assert set(briefs) == set(records) and 10_000 not in briefs
    assert any(r.themes and any(t.source is ThemeSource.MANUAL for t in r.themes)
               for r in records.values())  # fmt: skip
    assert any(r.deleted for r in records.values())
    for record_id, record in records.items():
        brief = briefs[record_id]
        assert (
            brief.id, brief.title, brief.authors, brief.year, brief.doc_type, brief.support,
            brief.language, brief.theme_slugs, brief.call_number, brief.abstract, brief.deleted,
        ) == (
            record.id, record.title, record.authors, record.year, record.doc_type, record.support,
            record.language, record.theme_slugs, record.call_number, record.abstract,
            record.deleted,
        )  # fmt: skip
