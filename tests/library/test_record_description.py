"""Issue 10's richer record: collections and numbers, edition, physical description, public
note beside the internal one, acquisition date — stored, refused when wrong, used for news."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from library import Catalogue, Record, ThemeAssignment, ThemeSource
from library.alerts import Alerts, entered_the_fund, theme_matches
from library.harvest import newest_first
from library.models import Series
from library.validation import (
    Problem,
    Refusal,
    acquisition_date_problem,
    admit,
    series_number_problem,
)
from webapp.messages import problem_message, problem_reason, row_message


@pytest.fixture
def cat(tmp_path):
    with Catalogue.open(tmp_path / "c.sqlite3") as catalogue:
        yield catalogue


def rich(**fields) -> Record:
    values = dict(
        title="La ville caribéenne face au risque",
        series=(Series("Cahiers Ville caraïbe", "12"), Series("Études urbaines", "3-4")),
        edition="2e édition revue et augmentée",
        physical_description="312 p. : ill. ; 24 cm",
        public_note="Exemplaire dédicacé par l'auteur.",
        notes="Reçu en don, à relier.",
        acquired_on="2012-05-14",
    )
    values.update(fields)
    return Record(**values)


def test_every_new_field_is_kept_by_the_catalogue(cat):
    stored = cat.get(cat.add(rich()).id)
    assert stored.series == (
        Series("Cahiers Ville caraïbe", "12"),
        Series("Études urbaines", "3-4"),
    )
    assert stored.series[0].display == "Cahiers Ville caraïbe ; 12"
    assert stored.edition == "2e édition revue et augmentée"
    assert stored.physical_description == "312 p. : ill. ; 24 cm"
    assert stored.public_note == "Exemplaire dédicacé par l'auteur."
    assert stored.notes == "Reçu en don, à relier."
    assert stored.acquired_on == "2012-05-14"


def said(problem: Problem | None) -> str:
    assert problem is not None
    return problem_reason(problem)


@pytest.mark.parametrize("number", ["12", "12 bis", "3-4", "IV", "7a", ""])
def test_a_collection_number_is_a_number(number):
    assert series_number_problem(number) is None
    admitted, problems = admit(rich(series=(Series("Cahiers", number),)))
    assert admitted.series == (Series("Cahiers", number),) and not problems


@pytest.mark.parametrize("number", ["hors-série", "n° spécial", "douze"])
def test_a_collection_number_that_is_not_a_number_is_refused_clearly_and_kept_in_the_notes(
    number,
):
    assert "ce n'est pas un numéro" in said(series_number_problem(number))
    admitted, problems = admit(rich(series=(Series("Cahiers", number),)))
    assert admitted.series == (Series("Cahiers", ""),)
    (problem,) = problems
    assert problem.field == "series" and f"« {number} »" in problem_message(problem)
    assert problem_message(problem).endswith(" : numéro gardé en note")
    assert f"Numéro dans la collection Cahiers : {number}" in admitted.notes


def test_an_acquisition_date_in_the_future_or_unreadable_is_refused():
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert "dans le futur" in said(acquisition_date_problem(tomorrow))
    assert "AAAA-MM-JJ" in said(acquisition_date_problem("14/05/2012"))
    assert "AAAA-MM-JJ" in said(acquisition_date_problem("2012-02-30"))
    assert acquisition_date_problem(date.today().isoformat()) is None
    admitted, problems = admit(rich(acquired_on=tomorrow))
    assert admitted.acquired_on == ""
    assert [p.field for p in problems] == ["acquired_on"]


def test_texts_are_cleaned_and_limited_like_the_others():
    admitted, problems = admit(
        rich(
            edition="2e\x07 édition",
            public_note="ligne 1\r\nligne 2",
            physical_description="x" * 301,
        )
    )
    assert admitted.edition == "2e édition"
    assert admitted.public_note == "ligne 1\nligne 2"
    assert admitted.physical_description == ""
    assert [p.field for p in problems] == ["physical_description"]


def test_news_go_by_acquisition_date_so_a_retro_catalogued_old_book_is_not_news(cat):
    old = cat.add(Record(title="Vieux livre rétro-catalogué", acquired_on="1998-03-02"))
    new = cat.add(Record(title="Livre reçu ce mois"))
    assert entered_the_fund(old) == "1998-03-02"
    this_month = datetime.now(UTC).strftime("%Y-%m-01T00:00:00Z")
    assert newest_first(cat, since=this_month) == [new.id]
    assert newest_first(cat, since="1998-03-01T00:00:00Z", before="1998-04-01T00:00:00Z") == [
        old.id
    ]
    assert newest_first(cat) == [new.id, old.id]


def test_the_veille_does_not_send_a_record_acquired_long_ago(cat):
    alerts = Alerts(cat)
    _, token = alerts.request("ana@example.org", [("theme", "jeunesse")], origin="test")
    alerts.confirm(token)
    theme = (ThemeAssignment("jeunesse", ThemeSource.MANUAL),)
    cat.add(Record(title="Acquis en 2001", themes=theme, acquired_on="2001-06-01"))
    recent = cat.add(Record(title="Acquis aujourd'hui", themes=theme))
    alerts.plan_digests(theme_matches)
    (delivery,) = alerts.queued()
    assert [r for r, _ in alerts.items(delivery.id)] == [recent.id]


# -- the spreadsheet ---------------------------------------------------------------------------


def test_the_spreadsheet_columns_go_out_and_come_back():
    from library.formats import csv_export
    from library.formats.common import ExportContext
    from library.formats.holdings_csv import read_holdings

    record = rich(id=7, series=(Series("Cahiers Ville caraïbe", "12"), Series("Études", "")))
    data = csv_export.write([record], ExportContext())
    header = data.decode("utf-8-sig").splitlines()[0].split(";")
    for column in (
        "collection",
        "numero_collection",
        "edition",
        "description_materielle",
        "note_publique",
        "notes",
        "date_acquisition",
    ):
        assert column in header
    parsed = read_holdings(data)
    assert not parsed.errors
    ((_, back),) = parsed.rows
    assert back.series == record.series
    assert (back.edition, back.physical_description) == (record.edition, "312 p. : ill. ; 24 cm")
    assert (back.public_note, back.notes) == (record.public_note, record.notes)
    assert back.acquired_on == "2012-05-14"


@pytest.mark.parametrize(
    "cells, message",
    [
        ("Cahiers;hors-série;", "ce n'est pas un numéro"),
        (";12;", "sans collection"),
        ("Cahiers;12;2099-01-01", "dans le futur"),
        ("Cahiers;12;14/05/2012", "AAAA-MM-JJ"),
    ],
)
def test_a_spreadsheet_row_with_a_wrong_number_or_date_is_refused_with_its_reason(cells, message):
    from library.formats.holdings_csv import read_holdings

    data = (
        "titre;collection;numero_collection;date_acquisition\r\nBon;Cahiers;3;\r\n"
        f"Mauvais;{cells}\r\n"
    ).encode()
    parsed = read_holdings(data)
    assert [r.title for _, r in parsed.rows] == ["Bon"]
    (error,) = parsed.errors
    assert error.line == 3 and message in row_message(error)


def test_a_changed_file_re_extracted_keeps_the_documentalist_s_description():
    from indexer.extractors.base import Extraction
    from indexer.records import refresh_from_extraction
    from library.models import SourceFile

    new_file = SourceFile("b" * 64, "rapport.pdf", "application/pdf", 10, "bb/rapport.pdf")
    extraction = Extraction(text="Nouveau texte", media_type="application/pdf", title="Rapport")
    for curated in (True, False):
        refreshed = refresh_from_extraction(
            rich(curated=curated),
            extraction,
            language="fr",
            source_file=new_file,
            original_name="rapport.pdf",
        )
        assert refreshed.series == rich().series and refreshed.edition == rich().edition
        assert refreshed.physical_description == "312 p. : ill. ; 24 cm"
        assert (refreshed.public_note, refreshed.acquired_on) == (rich().public_note, "2012-05-14")


def test_every_refusal_of_the_rule_is_worded_in_french_at_the_edge():
    facts = dict(length=501, limit=500, value="x", count=3, kept=2, year=50, number="x")
    for code in Refusal:
        text = problem_reason(Problem("title", code, {**facts, "fields": ("title",)}))
        assert text and text != code.value and "{" not in text, code


def test_a_value_too_long_says_its_length_and_the_limit():
    _, problems = admit(rich(title="x" * 501, abstract="a" * 20_001))
    assert [problem_message(p) for p in problems] == [
        "titre trop long (501 caractères, 500 au plus)",
        "résumé trop long (20\u202f001 caractères, 20\u202f000 au plus) : valeur non importée",
    ]
    assert [p.fatal for p in problems] == [True, False]
