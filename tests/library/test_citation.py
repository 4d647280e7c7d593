"""ISO 690 references as a librarian checks them: the collection in parentheses after the
extent (never the document type), the edition statement, the other responsibilities, the
address and the consultation date of an online item, names in capitals that are not turned
round, and the three ways to group a bibliography."""

from __future__ import annotations

from datetime import date

from library import Author, DocType, Record, Support, ThemeAssignment, ThemeSource
from library.formats.citation import author_name, grouped, plain
from library.models import AuthorKind, AuthorRole, Series

DAY = date(2026, 12, 7)


def test_a_book_in_a_collection_has_its_collection_and_number_in_parentheses():
    book = Record(
        title="La ville caraïbe",
        subtitle="formes urbaines et sociétés",
        authors=(Author("Daniel, Justin"),),
        edition="2e éd. revue et augmentée",
        place="Paris",
        publisher="L'Harmattan",
        year=2009,
        physical_description="312 p. : ill. ; 24 cm",
        series=(Series("Logiques sociales", "12"),),
        isbn="9782296529137",
        doc_type=DocType.OUVRAGE,
        support=Support.PAPIER,
    )
    assert plain(book, consulted=DAY) == (
        "DANIEL, Justin. La ville caraïbe : formes urbaines et sociétés. "
        "2e éd. revue et augmentée. Paris : L'Harmattan, 2009. 312 p. : ill. ; 24 cm. "
        "(Logiques sociales ; 12). ISBN 9782296529137."
    )


def test_a_report_never_shows_its_type_where_the_collection_belongs():
    report = Record(
        title="Contrat de ville de Fort-de-France",
        subtitle="évaluation à mi-parcours",
        authors=(Author("Ville de Fort-de-France", AuthorKind.ORGANISATION),),
        place="Fort-de-France",
        publisher="Ville de Fort-de-France",
        year=2018,
        pages=86,
        series=(Series("Études urbaines"),),
        doc_type=DocType.RAPPORT,
        support=Support.PAPIER,
    )
    text = plain(report)
    assert text == (
        "Ville de Fort-de-France. Contrat de ville de Fort-de-France : évaluation à "
        "mi-parcours. Fort-de-France : Ville de Fort-de-France, 2018. 86 p. (Études urbaines)."
    )
    assert "(Rapport)" not in text
    untyped = plain(Record(title="Rapport annuel", doc_type=DocType.RAPPORT, year=2020))
    assert "(Rapport)" not in untyped and "(" not in untyped.replace("[en ligne]", "")


def test_an_online_pdf_has_its_address_and_the_day_it_was_consulted():
    pdf = Record(
        title="Guide de la médiation sociale",
        authors=(Author("Joseph, Marie"), Author("Leblanc, Paul", role=AuthorRole.TRANSLATOR)),
        place="Saint-Denis",
        publisher="France Médiation",
        year=2021,
        pages=48,
        url="https://exemple.org/guide.pdf",
        doc_type=DocType.GUIDE,
        support=Support.ELECTRONIQUE,
    )
    assert plain(pdf, consulted=DAY) == (
        "JOSEPH, Marie. Guide de la médiation sociale [en ligne]. Trad. par Paul LEBLANC. "
        "Saint-Denis : France Médiation, 2021. 48 p. "
        "Disponible sur : https://exemple.org/guide.pdf (consulté le 7 décembre 2026)."
    )
    first_day = plain(pdf, consulted=date(2027, 1, 1))
    assert first_day.endswith("(consulté le 1er janvier 2027).")


def test_an_electronic_file_of_the_fund_without_an_address_points_to_its_page():
    held = Record(title="Diagnostic", id=42, support=Support.ELECTRONIQUE, year=2011)
    text = plain(held, consulted=DAY, base_url="https://fonds.example.org/")
    assert text.endswith(
        "Disponible sur : https://fonds.example.org/notice/42 (consulté le 7 décembre 2026)."
    )
    paper = Record(title="Diagnostic", id=43, support=Support.PAPIER, year=2011)
    assert "Disponible sur" not in plain(paper, consulted=DAY, base_url="https://x.org")


def test_compound_names_in_capitals_are_never_turned_round():
    stored = Author("ISABEL CASTILLO MÉNDEZ, Ana")
    assert author_name(stored) == "ISABEL CASTILLO MÉNDEZ, Ana"
    in_one_piece = Author("Ana ISABEL CASTILLO MÉNDEZ")  # as a file's metadata may give it
    assert author_name(in_one_piece) == "ISABEL CASTILLO MÉNDEZ, Ana"
    assert author_name(Author("García Márquez, Gabriel")) == "GARCÍA MÁRQUEZ, Gabriel"
    assert author_name(Author("La Fontaine, Jean de")) == "LA FONTAINE, Jean de"
    # Without capitals nothing tells the family name: the name stays as it was written.
    assert author_name(Author("Ana Isabel Castillo Méndez")) == "Ana Isabel Castillo Méndez"
    assert author_name(Author("King, Martin Luther, Jr.")) == "KING, Martin Luther, Jr."


def test_directors_stand_first_when_there_is_no_author():
    book = Record(
        title="Politique de la ville",
        authors=(
            Author("Dupont, Marie", role=AuthorRole.EDITOR),
            Author("Leblanc, Paul", role=AuthorRole.PREFACE),
        ),
        place="Paris",
        publisher="La Découverte",
        year=2015,
        support=Support.PAPIER,
    )
    assert plain(book).startswith(
        "DUPONT, Marie (dir.). Politique de la ville. Préf. de Paul LEBLANC. Paris"
    )


def test_a_series_is_not_squeezed_into_the_subtitle():
    record = Record(
        title="Habiter les quartiers",
        subtitle="enquête",
        series=(Series("Cahiers Ville caraïbe", "3"), Series("Travaux", "IV")),
        year=2010,
        support=Support.PAPIER,
    )
    text = plain(record)
    assert "Habiter les quartiers : enquête. [s.l.] : [s.n.], 2010. " in text
    assert text.endswith("(Cahiers Ville caraïbe ; 3) (Travaux ; IV).")


def _theme(slug: str) -> tuple[ThemeAssignment, ...]:
    return (ThemeAssignment(slug, ThemeSource.MANUAL),)


def test_a_bibliography_is_grouped_by_thematic_by_type_or_not_at_all():
    records = [
        Record(title="B", id=1, doc_type=DocType.RAPPORT, themes=_theme("sante")),
        Record(title="A", id=2, doc_type=DocType.OUVRAGE, themes=_theme("logement")),
        Record(title="C", id=3, doc_type=DocType.RAPPORT),
    ]
    labels = {"logement": "Logement", "sante": "Santé"}
    assert [s.label for s in grouped(records, "theme", labels)] == [
        "Logement",
        "Santé",
        "Autres documents",
    ]
    by_type = grouped(records, "type", labels)
    assert [(s.label, [r.title for r in s.records]) for s in by_type] == [
        ("Ouvrage", ["A"]),
        ("Rapport", ["B", "C"]),
    ]
    one = grouped(records, "none", labels)
    assert len(one) == 1 and one[0].label == ""
    assert [r.title for r in one[0].records] == ["A", "B", "C"]
    assert grouped([], "none", labels) == []
