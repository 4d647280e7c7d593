"""The record form of the workspace: every field of a notice, parsed and checked, with French
messages per field. Used by the cataloguing pages and by the confirmation of uploads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from library import Author, AuthorKind, AuthorRole, DocType, Record, Support
from library.formats.common import with_role
from library.identifiers import normalise_isbn, normalise_issn
from library.models import DESCRIPTIVE_FIELDS, Series
from library.text import clean_line
from library.validation import (
    AUTHOR_LIMIT,
    LIMITS,
    acquisition_date_problem,
    admit,
    clean_multiline,
    clean_single,
    series_number_problem,
    url_problem,
)

from ..messages import LANGUAGE_LABELS, ROLE_LABELS, problem_reason

LANGUAGES = LANGUAGE_LABELS
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
EXTRA_AUTHOR_ROWS = 3
NEW_RECORD_AUTHOR_ROWS = 6  # a new record offers this many empty rows; each save adds 3 more
EXTRA_SERIES_ROWS = 1
NEW_RECORD_SERIES_ROWS = 2
ROLE_VALUES = frozenset(r.value for r in AuthorRole)
ROLE_CHOICES = {r.value: ROLE_LABELS[r] for r in AuthorRole}


@dataclass
class RecordForm:
    """What the form shows: values as typed, and an error per field name."""

    values: dict[str, Any] = field(default_factory=dict)
    authors: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, role)
    series: list[tuple[str, str]] = field(default_factory=list)  # (collection, number)
    errors: dict[str, str] = field(default_factory=dict)
    more_authors: int = 0  # empty author rows asked for ("ajouter des lignes d'auteur")

    @property
    def ok(self) -> bool:
        return not self.errors

    def author_rows(self) -> list[tuple[int, str, str, str]]:
        """(order, name, kind, role) rows: the authors, then a few empty rows to add more."""
        rows = [(i + 1, n, k, r) for i, (n, k, r) in enumerate(self.authors)]
        start = len(rows)
        extra = EXTRA_AUTHOR_ROWS if rows else NEW_RECORD_AUTHOR_ROWS
        extra += self.more_authors
        rows += [(start + i + 1, "", "person", "author") for i in range(extra)]
        return rows

    def series_rows(self) -> list[tuple[int, str, str]]:
        """(position, collection, number) rows: the collections, then empty rows to add one."""
        rows = [(i + 1, t, n) for i, (t, n) in enumerate(self.series)]
        extra = EXTRA_SERIES_ROWS if rows else NEW_RECORD_SERIES_ROWS
        return rows + [(len(rows) + i + 1, "", "") for i in range(extra)]


def form_from_record(record: Record) -> RecordForm:
    values = {
        "title": record.title,
        "subtitle": record.subtitle,
        "publisher": record.publisher,
        "place": record.place,
        "date": record.date,
        "year": "" if record.year is None else str(record.year),
        "doc_type": record.doc_type.value,
        "support": record.support.value,
        "language": record.language,
        "pages": "" if record.pages is None else str(record.pages),
        "isbn": record.isbn,
        "issn": record.issn,
        "call_number": record.call_number,
        "abstract": record.abstract,
        "keywords": "\n".join(record.keywords),
        "territories": "\n".join(record.territories),
        "url": record.url,
        "edition": record.edition,
        "physical_description": record.physical_description,
        "public_note": record.public_note,
        "notes": record.notes,
        "acquired_on": record.acquired_on,
    }
    return RecordForm(
        values,
        [(a.name, a.kind.value, a.role.value) for a in record.authors],
        [(s.title, s.number) for s in record.series],
    )


def parse_record_form(
    form: MultiDict[str, str], base: Record | None = None
) -> tuple[RecordForm, Record | None]:
    """The record the form describes (on top of `base`, whose other fields are kept)."""
    f = RecordForm()
    text = {
        name: form.get(name, "").strip()
        for name in DESCRIPTIVE_FIELDS
        if name not in ("authors", "series")  # ordered lists of their own, below
    }
    f.values = dict(text)
    for name in (
        "title",
        "subtitle",
        "publisher",
        "place",
        "call_number",
        "url",
        "edition",
        "physical_description",
        "acquired_on",
    ):
        text[name] = clean_single(text[name])
    for name in ("abstract", "notes", "public_note"):
        text[name] = clean_multiline(text[name])
    for name, limit in LIMITS.items():
        if len(text[name]) > limit:
            f.errors[name] = f"Trop long : {limit} caractères au plus."
    if not text["title"]:
        f.errors["title"] = "Le titre est obligatoire."
    year = _integer(text["year"], "year", f, 1000, 2999, "Année sur quatre chiffres (1000 à 2999).")
    pages = _integer(text["pages"], "pages", f, 0, 100_000, "Nombre de pages entier et positif.")
    if text["date"] and not _DATE.match(text["date"]):
        f.errors["date"] = "Date au format AAAA, AAAA-MM ou AAAA-MM-JJ."
    elif text["date"] and year is None and "year" not in f.errors:
        year = int(text["date"][:4])
    try:
        doc_type = DocType(text["doc_type"] or "autre")
    except ValueError:
        f.errors["doc_type"], doc_type = "Type de document inconnu.", DocType.AUTRE
    try:
        support = Support(text["support"] or "papier")
    except ValueError:
        f.errors["support"], support = "Support inconnu.", Support.PAPIER
    language = text["language"] or "und"
    if not _LANGUAGE.match(language):
        f.errors["language"] = "Code de langue ISO 639-1 (fr, en, es…)."
    isbn = issn = ""
    if text["isbn"]:
        try:
            isbn = normalise_isbn(text["isbn"])
        except ValueError:
            f.errors["isbn"] = (
                "ISBN invalide : la clé de contrôle ne correspond pas (vérifiez la saisie)."
            )
    if text["issn"]:
        try:
            issn = normalise_issn(text["issn"])
        except ValueError:
            f.errors["issn"] = "ISSN invalide : la clé de contrôle ne correspond pas."
    if url_problem(text["url"]) and "url" not in f.errors:
        f.errors["url"] = "Adresse web commençant par http:// ou https://."
    f.authors = _authors(form)
    if any(len(name) > AUTHOR_LIMIT for name, _, _ in f.authors):
        f.errors["authors"] = "Nom d'auteur trop long (300 caractères au plus)."
    if any(r not in ROLE_VALUES for _, _, r in f.authors):
        f.errors["authors"] = (
            "Rôle inconnu : auteur, traducteur, directeur, illustrateur ou préfacier."
        )
    problem = acquisition_date_problem(text["acquired_on"])
    if problem:
        f.errors["acquired_on"] = _sentence(problem_reason(problem))
    f.series = _series(form)
    for title, number in f.series:
        if not title:
            f.errors["series"] = f"Numéro « {number} » sans collection : indiquez la collection."
        elif problem := series_number_problem(number):
            f.errors["series"] = _sentence(problem_reason(problem))
    if base is not None and base.copies and support is not Support.PAPIER:
        f.errors["support"] = (
            "Cette notice a des exemplaires papier : retirez-les avant de changer de support."
        )
    if f.errors:
        return f, None
    values = dict(
        title=text["title"],
        subtitle=text["subtitle"],
        authors=tuple(Author(n, AuthorKind(k), AuthorRole(r)) for n, k, r in f.authors),
        publisher=text["publisher"],
        place=text["place"],
        date=text["date"],
        year=year,
        doc_type=doc_type,
        support=support,
        language=language,
        pages=pages,
        isbn=isbn,
        issn=issn,
        call_number=text["call_number"],
        abstract=text["abstract"],
        keywords=_list(text["keywords"]),
        territories=_list(text["territories"]),
        url=text["url"],
        series=tuple(Series(t, n) for t, n in f.series),
        edition=text["edition"],
        physical_description=text["physical_description"],
        public_note=text["public_note"],
        notes=text["notes"],
        acquired_on=text["acquired_on"],
    )
    record = replace(base, **values) if base is not None else Record(**values)  # type: ignore[arg-type]
    # The rule every import applies too (library.validation): what it refuses, the form refuses.
    record, problems = admit(record)
    for refused in problems:
        f.errors.setdefault(refused.field, _sentence(problem_reason(refused)))
    return (f, None) if f.errors else (f, record)


def _sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:] + "."


def _integer(raw: str, name: str, f: RecordForm, low: int, high: int, message: str) -> int | None:
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        f.errors[name] = message
        return None
    if not low <= value <= high:
        f.errors[name] = message
        return None
    return value


def _authors(form: MultiDict[str, str]) -> list[tuple[str, str, str]]:
    """Author rows in the order the documentalist gave (the `ordre` numbers, then the rows),
    each with its role (author when the form has no role column)."""
    names = form.getlist("author_name")
    kinds = form.getlist("author_kind")
    roles = form.getlist("author_role")
    orders = form.getlist("author_order")
    rows = []
    for i, name in enumerate(names):
        name = clean_line(name)
        if not name:
            continue
        kind = kinds[i] if i < len(kinds) and kinds[i] in ("person", "organisation") else "person"
        role = roles[i] if i < len(roles) and roles[i] else "author"
        try:
            order = float(orders[i]) if i < len(orders) and orders[i].strip() else i + 1
        except ValueError:
            order = i + 1
        rows.append((order, i, name, kind, role))
    rows.sort()
    seen: set[tuple[str, str]] = set()
    out = []
    for _, _, name, kind, role in rows:
        if (name.casefold(), role) not in seen:  # one person may be editor and translator
            seen.add((name.casefold(), role))
            out.append((name, kind, role))
    return out[:50]


def _series(form: MultiDict[str, str]) -> list[tuple[str, str]]:
    """(collection, number) rows as given, empty rows dropped."""
    titles = form.getlist("series_title")
    numbers = form.getlist("series_number")
    rows = []
    for i, title in enumerate(titles):
        title = clean_line(title)
        number = clean_line(numbers[i]) if i < len(numbers) else ""
        if title or number:
            rows.append((title, number))
    return rows[:10]


def _list(raw: str) -> tuple[str, ...]:
    """One value per line (or separated by ';'), cleaned, duplicates dropped, order kept."""
    parts = [clean_line(p) for p in re.split(r"[\n;]", raw)]
    return tuple(dict.fromkeys(p for p in parts if p))[:50]


def audit_view(record: Record) -> dict[str, Any]:
    """The descriptive fields of a record, as the audit log compares them."""
    return {
        "titre": record.title,
        "sous_titre": record.subtitle,
        "auteurs": [with_role(a) for a in record.authors],
        "editeur": record.publisher,
        "lieu": record.place,
        "date": record.date,
        "annee": record.year,
        "type": record.doc_type.value,
        "support": record.support.value,
        "langue": record.language,
        "pages": record.pages,
        "isbn": record.isbn,
        "issn": record.issn,
        "cote": record.call_number,
        "resume": record.abstract,
        "mots_cles": list(record.keywords),
        "territoires": list(record.territories),
        "url": record.url,
        "collections": [s.display for s in record.series],
        "edition": record.edition,
        "description_materielle": record.physical_description,
        "note_publique": record.public_note,
        "notes": record.notes,
        "date_acquisition": record.acquired_on,
    }


def language_choices(current: str | None = None) -> Mapping[str, str]:
    choices = dict(LANGUAGES)
    if current and current not in choices:
        choices[current] = current
    return choices
