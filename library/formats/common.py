"""What every exchange format shares: the export context, languages, names, dates, XML text.

Writers are pure functions `records -> bytes` given an `ExportContext`; readers are pure
functions `bytes -> ParsedFile`. Neither touches the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..keys import origin_id
from ..models import (
    DOC_TYPE_LABELS,
    Author,
    AuthorKind,
    AuthorRole,
    Copy,
    CopyStatus,
    DocType,
    Record,
)
from ..text import fold

# ISO 639-1 -> ISO 639-2/B (the bibliographic codes MARC and UNIMARC use). The fund is French,
# English and Spanish in the main; the others are the languages a partner may send.
_LANG_639_2 = {
    "fr": "fre",
    "en": "eng",
    "es": "spa",
    "de": "ger",
    "it": "ita",
    "pt": "por",
    "nl": "dut",
    "ht": "hat",
    "ar": "ara",
    "zh": "chi",
    "ru": "rus",
    "la": "lat",
    "el": "gre",
    "ja": "jpn",
    "pl": "pol",
    "ro": "rum",
    "tr": "tur",
    "vi": "vie",
    "wo": "wol",
    "ln": "lin",
    "sw": "swa",
    "ca": "cat",
    "eu": "baq",
    "br": "bre",
    "co": "cos",
    "oc": "oci",
    "gl": "glg",
    "da": "dan",
    "sv": "swe",
    "no": "nor",
    "fi": "fin",
    "hu": "hun",
    "cs": "cze",
    "sk": "slo",
    "uk": "ukr",
    "he": "heb",
    "hi": "hin",
    "ko": "kor",
    "fa": "per",
    "ur": "urd",
    "bn": "ben",
    "ta": "tam",
}
# Terminology codes (639-2/T) and a few names partners write, read back as ISO 639-1.
_LANG_ALIASES = {
    "fra": "fr",
    "deu": "de",
    "nld": "nl",
    "zho": "zh",
    "ell": "el",
    "ron": "ro",
    "ces": "cs",
    "slk": "sk",
    "eus": "eu",
    "fas": "fa",
    "francais": "fr",
    "french": "fr",
    "anglais": "en",
    "english": "en",
    "espagnol": "es",
    "spanish": "es",
    "espanol": "es",
    "allemand": "de",
    "german": "de",
    "italien": "it",
    "italian": "it",
    "portugais": "pt",
    "portuguese": "pt",
    "creole haitien": "ht",
    "haitian": "ht",
    "french creole": "ht",
}
_LANG_639_1 = {v: k for k, v in _LANG_639_2.items()}

# Documents of these types are periodicals or parts of them: ISSN, not ISBN, identifies them.
PERIODICAL_TYPES = frozenset({DocType.REVUE, DocType.ARTICLE, DocType.LETTRE_INFORMATION})

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What writers need beyond the records: names of thematics, where the records live."""

    theme_labels: Mapping[str, str] = field(default_factory=dict)
    repository: str = "crpv-martinique.fr"  # OAI repository domain, in every identifier
    base_url: str = ""  # public address of the site, for links to record pages
    centre: str = ""
    generated: str = ""  # UTC timestamp of the export, "YYYY-MM-DDThh:mm:ssZ"

    def identifier(self, record: Record) -> str:
        return f"oai:{self.repository}:{record.id}"

    def record_url(self, record: Record) -> str:
        return f"{self.base_url.rstrip('/')}/notice/{record.id}" if self.base_url else ""

    def theme_label(self, slug: str) -> str:
        return self.theme_labels.get(slug, slug)


def language_639_2(code: str) -> str:
    """'fr' -> 'fre'; 'und' (or anything unknown) -> 'und'."""
    return _LANG_639_2.get((code or "").lower(), "und")


def language_639_1(value: str) -> str:
    """A language as partners write it ('fre', 'fra', 'fr', 'French', 'fr-FR') -> 'fr' or 'und'."""
    text = fold(value or "").strip()
    if not text:
        return "und"
    if re.match(r"^[a-z]{2}[-_][a-z]{2,}$", text):
        text = text[:2]  # a locale: 'fr-FR', 'es_MX'
    if re.fullmatch(r"[a-z]{2}", text):
        return text
    if text in _LANG_639_1:
        return _LANG_639_1[text]
    return _LANG_ALIASES.get(text, "und")


def type_by_label(value: str) -> DocType | None:
    """Our document type from its slug or French label, as exports write it."""
    text = fold(value or "").strip()
    for doc_type, label in DOC_TYPE_LABELS.items():
        if text in (doc_type.value, fold(label)):
            return doc_type
    return {
        "memoire": DocType.MEMOIRE,
        "these": DocType.MEMOIRE,
        "thesis": DocType.MEMOIRE,
        "guide methodologique": DocType.GUIDE,
    }.get(text)


def author_from_name(
    name: str, kind: AuthorKind | None = None, role: AuthorRole = AuthorRole.AUTHOR
) -> Author:
    """'Nom, Prénom' is a person; a name without a comma is an organisation (catalogue rule)."""
    name = " ".join(name.split())
    if kind is None:
        kind = AuthorKind.PERSON if "," in name else AuthorKind.ORGANISATION
    return Author(name, kind, role)


def person(
    family: str, given: str, suffix: str = "", role: AuthorRole = AuthorRole.AUTHOR
) -> Author:
    """A person from the parts of their name; empty parts (a blank subfield, a lone comma)
    leave no stray comma behind: 'Asimov', not 'Asimov, , Isaac'."""

    def tidy(part: str) -> str:
        return " ".join(part.split()).strip(" ,;:/")

    family, given, suffix = tidy(family), tidy(given), tidy(suffix)
    name = ", ".join(p for p in (family, given) if p) if family else given
    if suffix and family:
        name = f"{family}, {given}, {suffix}"
    return Author(name, AuthorKind.PERSON, role)


def full_title(record: Record) -> str:
    """Title and subtitle as French typography writes them: 'Titre : sous-titre'."""
    return f"{record.title} : {record.subtitle}" if record.subtitle else record.title


def split_title(text: str, short: str | None = None) -> tuple[str, str]:
    """(title, subtitle) from 'Titre : sous-titre'. `short` (a short title: RIS ST, BibTeX
    shorttitle) says where to cut; an empty `short` says the file has no subtitle to cut off;
    None (formats that cannot say) cuts at the first ' : '."""
    text = " ".join(text.split())
    if short is not None:
        short = " ".join(short.split())
        for sep in (" : ", ": "):
            if text.startswith(short + sep):
                return short, text[len(short) + len(sep) :].strip()
        return text, ""
    for sep in (" : ", ": "):
        if sep in text:
            head, tail = text.split(sep, 1)
            if head.strip() and tail.strip():
                return head.strip(), tail.strip()
    return text, ""


def parse_date(value: str) -> tuple[str, int | None]:
    """(ISO date, year) from '2009', '2009-05-12', '2009/05/12/', '12/05/2009', 'c2009'."""
    text = (value or "").strip()
    m = re.match(r"^\D{0,3}(\d{4})(?:[-/.](\d{1,2}))?(?:[-/.](\d{1,2}))?", text)
    if m:
        year = int(m.group(1))
        parts = [m.group(1)]
        if m.group(2) and 1 <= int(m.group(2)) <= 12:
            parts.append(f"{int(m.group(2)):02d}")
            if m.group(3) and 1 <= int(m.group(3)) <= 31:
                parts.append(f"{int(m.group(3)):02d}")
        return ("-".join(parts), year) if 1000 <= year <= 2999 else ("", None)
    m = re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$", text)
    if m and 1000 <= int(m.group(3)) <= 2999:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}", int(m.group(3))
    m = re.search(r"\b(1\d{3}|2\d{3})\b", text)
    if m:
        return m.group(1), int(m.group(1))
    return "", None


def record_date(record: Record) -> str:
    """The best date of a record: its ISO date, else its year, else ''."""
    return record.date or (str(record.year) if record.year else "")


def parse_pages(value: str) -> int | None:
    """120 from '120', '120 p.', '120 pages', 'XII-120 p.'."""
    m = re.search(r"(\d+)\s*(?:p\b|p\.|pages?\b|f\.|ff\.)", value or "", re.I)
    if m is None:
        m = re.fullmatch(r"\s*(\d+)\s*", value or "")
    return int(m.group(1)) if m else None


def split_physical(text: str) -> tuple[str, str, str]:
    """An ISBD physical description in its three parts: extent, other details, dimensions.
    '312 p. : ill. ; 24 cm' -> ('312 p.', 'ill.', '24 cm')."""
    rest, _, dimensions = text.rpartition(" ; ") if " ; " in text else (text, "", "")
    extent, _, other = rest.partition(" : ")
    return extent.strip(), other.strip(), dimensions.strip()


def join_physical(extent: str, other: str, dimensions: str) -> str:
    """The physical description from its parts, with ISBD punctuation."""
    text = extent.strip()
    if other.strip():
        text = f"{text} : {other.strip()}" if text else other.strip()
    if dimensions.strip():
        text = f"{text} ; {dimensions.strip()}" if text else dimensions.strip()
    return text


def physical_fields(record: Record) -> tuple[str, str, str]:
    """What a MARC 215/300 carries for a record: its physical description, else its pages."""
    if record.physical_description:
        return split_physical(record.physical_description)
    return (f"{record.pages} p." if record.pages else "", "", "")


def physical_from_fields(extent: str, other: str, dimensions: str) -> str:
    """The physical description a MARC 215/300 gives, '' when it says only the page count
    (which the record holds as its pages)."""
    text = join_physical(*(isbd_part(v) for v in (extent, other, dimensions)))
    return "" if re.fullmatch(r"\d+ p\.?", text) else text


def isbd_part(value: str) -> str:
    """A value without the ISBD separator after it (' :', ' ;', ' /', ' ='); a final point
    stays, since 'ill.' or 'rev.' need it."""
    return " ".join(value.split()).rstrip(" :;,/=").strip()


def series_number_text(value: str) -> str:
    """A number in a collection as partners write it ('n° 12', 'no 12', '; 12') -> '12'."""
    value = value.strip().lstrip(";").strip()
    return re.sub(r"^(?:n[°o]\.?|num(?:éro)?\.?|vol\.?|t\.)\s*", "", value, flags=re.I).strip()


def xml_text(value: str) -> str:
    """Text safe inside an XML element: escaped, and without the characters XML 1.0 forbids."""
    value = _XML_ILLEGAL.sub(" ", unicodedata.normalize("NFC", value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value: str) -> str:
    return xml_text(value).replace('"', "&quot;")


def clean_text(value: str) -> str:
    """NFC text without control characters other than newlines and tabs."""
    return _XML_ILLEGAL.sub(" ", unicodedata.normalize("NFC", value or "")).replace("\r\n", "\n")


def ascii_key(text: str) -> str:
    """Letters and digits only, accents dropped: 'Joseph-Angélique' -> 'josephangelique'."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def identifier_of(source: str) -> str:
    """The identifier an imported record had in its system of origin (after '#' in source)."""
    return origin_id(source)


def import_source(file_name: str, identifier: str = "") -> str:
    """The provenance of an imported record: the file, and its identifier in its origin."""
    base = f"import:{file_name}" if file_name else "import"
    return f"{base}#{identifier}" if identifier else base


def in_statement_order(authors: list[Author], statement: str) -> tuple[Author, ...]:
    """Authors in the order a statement of responsibility names them ('Marie Dupont, Ville
    de Fort-de-France'): MARC files persons and bodies in separate fields, losing the order."""

    def position(item: tuple[int, Author]) -> tuple[int, int]:
        index, author = item
        found = statement.find(author.display) if statement else -1
        return (found if found >= 0 else len(statement) + index, index)

    return tuple(a for _, a in sorted(enumerate(authors), key=position))


# -- roles -------------------------------------------------------------------------------------

UNIMARC_RELATORS = {
    AuthorRole.AUTHOR: "070",
    AuthorRole.TRANSLATOR: "730",
    AuthorRole.EDITOR: "340",
    AuthorRole.ILLUSTRATOR: "440",
    AuthorRole.PREFACE: "080",
}
MARC21_RELATORS = {
    AuthorRole.AUTHOR: "aut",
    AuthorRole.TRANSLATOR: "trl",
    AuthorRole.EDITOR: "edt",
    AuthorRole.ILLUSTRATOR: "ill",
    AuthorRole.PREFACE: "aui",
}
# What partners' files write for a role: relator codes of both flavours (UNIMARC 651 is the
# director of the publication, 075 the writer of the postface, MARC 21 'win' the writer of
# an introduction, 'pbd' the publishing director) and the terms of MARC 21's $e.
_ROLE_WORDS = {
    **{code: role for role, code in UNIMARC_RELATORS.items()},
    **{code: role for role, code in MARC21_RELATORS.items()},
    "651": AuthorRole.EDITOR,
    "075": AuthorRole.PREFACE,
    "win": AuthorRole.PREFACE,
    "pbd": AuthorRole.EDITOR,
    "author": AuthorRole.AUTHOR,
    "auteur": AuthorRole.AUTHOR,
    "translator": AuthorRole.TRANSLATOR,
    "traducteur": AuthorRole.TRANSLATOR,
    "traductrice": AuthorRole.TRANSLATOR,
    "trad": AuthorRole.TRANSLATOR,
    "tr": AuthorRole.TRANSLATOR,
    "trans": AuthorRole.TRANSLATOR,
    "editor": AuthorRole.EDITOR,
    "ed": AuthorRole.EDITOR,
    "eds": AuthorRole.EDITOR,
    "dir": AuthorRole.EDITOR,
    "directeur": AuthorRole.EDITOR,
    "directrice": AuthorRole.EDITOR,
    "directeur de publication": AuthorRole.EDITOR,
    "editeur scientifique": AuthorRole.EDITOR,
    "illustrator": AuthorRole.ILLUSTRATOR,
    "illustrateur": AuthorRole.ILLUSTRATOR,
    "illustratrice": AuthorRole.ILLUSTRATOR,
    "ill": AuthorRole.ILLUSTRATOR,
    "pref": AuthorRole.PREFACE,
    "prefacier": AuthorRole.PREFACE,
    "preface": AuthorRole.PREFACE,
    "writer of introduction": AuthorRole.PREFACE,
    "author of introduction": AuthorRole.PREFACE,
    "author of introduction, etc": AuthorRole.PREFACE,
}
_ROLE_SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]{1,30})\)\s*$")


def role_of(term: str) -> AuthorRole | None:
    """The role a relator code or term says ('730', 'trl', 'translator', 'trad.'); None when
    it names none of ours."""
    key = fold(term).strip().strip(".,;: ").rstrip(".")
    return _ROLE_WORDS.get(key)


def split_role(text: str) -> tuple[str, AuthorRole | None]:
    """'Dupont, Marie (trad.)' -> ('Dupont, Marie', TRANSLATOR); no parentheses -> author.
    A parenthesis that names no role ('(1835-1906)') stays in the name; an unknown one is
    returned with role None so the caller can refuse it."""
    m = _ROLE_SUFFIX.match(text)
    if m is None:
        return text.strip(), AuthorRole.AUTHOR
    inside = m.group("role")
    role = role_of(inside)
    if role is not None:
        return m.group("name").strip(), role
    if re.search(r"\d", inside):  # dates, not a role
        return text.strip(), AuthorRole.AUTHOR
    return m.group("name").strip(), None


def with_role(author: Author) -> str:
    """The spreadsheet form of an author: 'Dupont, Marie (trad.)'; authors as they are."""
    role = AuthorRole(author.role)
    return f"{author.name} ({role.abbreviation})" if role is not AuthorRole.AUTHOR else author.name


def checked_identifier(value: str, normalise) -> str:
    """An ISBN or ISSN written one way when its check digit is right, else as the file has
    it (the validation rule then keeps it in the notes and says so)."""
    value = value.strip()
    if not value:
        return ""
    try:
        return normalise(value)
    except ValueError:
        return value


UNTITLED = "[Sans titre]"  # ISBD's word for a document that has no title


# -- holdings ----------------------------------------------------------------------------------


def exported_copies(record: Record) -> tuple[Copy, ...]:
    """The copies a partner is told about: every copy but the withdrawn ones (a withdrawn
    copy has left the shelves). The state of a copy (on loan, missing) stays here: partners'
    codes for it are their own."""
    return tuple(c for c in record.copies if c.status != CopyStatus.WITHDRAWN and c.barcode)


def copies_from_fields(rows: Iterable[tuple[str, str, str]]) -> tuple[Copy, ...]:
    """Copies from (barcode, call number, location) as a MARC holdings field gives them: a
    copy without a barcode is not a copy the catalogue can lend or count, and is left out;
    a barcode given twice makes one copy."""
    copies: dict[str, Copy] = {}
    for barcode, call_number, location in rows:
        barcode = " ".join(barcode.split())
        if barcode and barcode not in copies:
            copies[barcode] = Copy(
                barcode=barcode,
                call_number=" ".join(call_number.split()),
                location=" ".join(location.split()),
            )
    return tuple(copies.values())
