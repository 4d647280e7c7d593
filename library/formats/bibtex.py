"""BibTeX (UTF-8, read by BibTeX 8-bit, Biber, Zotero, JabRef).

Entry types by document type: book, techreport (reports, studies, minutes, practice sheets,
with `type` = the French label), manual (methodological guides), proceedings, article,
mastersthesis or phdthesis (a thesis says so in its title or note), misc (periodical issues,
newsletters, official texts, others, with `type`). Special characters
{ } & % $ # _ \\ ~ ^ are escaped; everything else stays UTF-8. Keys are stable and unique:
first author's family name, year, and the record number (`josephangelique2009_12`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..identifiers import normalise_isbn, normalise_issn
from ..models import AuthorKind, DocType, Record, Support
from .common import (
    ExportContext,
    ascii_key,
    author_from_name,
    clean_text,
    import_source,
    language_639_1,
    parse_date,
    parse_pages,
    split_title,
    type_by_label,
)
from .holdings_csv import ParsedFile, RowError

ENTRY_TYPES = {
    DocType.OUVRAGE: "book",
    DocType.RAPPORT: "techreport",
    DocType.ETUDE: "techreport",
    DocType.GUIDE: "manual",
    DocType.ACTES: "proceedings",
    DocType.ARTICLE: "article",
    DocType.REVUE: "misc",
    DocType.COMPTE_RENDU: "techreport",
    DocType.FICHE_EXPERIENCE: "techreport",
    DocType.LETTRE_INFORMATION: "misc",
    DocType.MEMOIRE: "mastersthesis",
    DocType.TEXTE_OFFICIEL: "misc",
    DocType.AUTRE: "misc",
}
_BY_ENTRY = {
    "book": DocType.OUVRAGE,
    "booklet": DocType.OUVRAGE,
    "inbook": DocType.OUVRAGE,
    "incollection": DocType.OUVRAGE,
    "techreport": DocType.RAPPORT,
    "report": DocType.RAPPORT,
    "manual": DocType.GUIDE,
    "proceedings": DocType.ACTES,
    "inproceedings": DocType.ACTES,
    "conference": DocType.ACTES,
    "article": DocType.ARTICLE,
    "periodical": DocType.REVUE,
    "mastersthesis": DocType.MEMOIRE,
    "phdthesis": DocType.MEMOIRE,
    "thesis": DocType.MEMOIRE,
    "misc": DocType.AUTRE,
    "online": DocType.AUTRE,
    "unpublished": DocType.AUTRE,
}
# Where each entry type puts the publishing body.
_PUBLISHER_FIELD = {
    "techreport": "institution",
    "mastersthesis": "school",
    "phdthesis": "school",
    "article": "journal",
    "manual": "organization",
}
_LANGUAGES = {
    "fr": "french",
    "en": "english",
    "es": "spanish",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "ht": "haitian",
}
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_THESIS_WORDS = re.compile(r"\b(th[eè]se|doctora[lt]|phd|doctorado|tesis doctoral)\b", re.I)


def escape(text: str) -> str:
    """Text as a BibTeX value: special characters escaped, one line."""
    text = " ".join(clean_text(text).split())
    return "".join(_ESCAPES.get(c, c) for c in text)


def _protect(title: str) -> str:
    """Escape, then brace words with capitals inside (acronyms, names) so styles that
    change case leave them alone: 'CUCS', 'Fort-de-France'."""
    words = escape(title).split(" ")
    out = []
    for i, word in enumerate(words):
        bare = re.sub(r"\\[a-z]+\{\}|\\.", "", word)
        capitals = sum(1 for c in bare if c.isupper())
        if capitals and (i > 0 or capitals > 1) and "{" not in word and "}" not in word:
            out.append("{" + word + "}")
        else:
            out.append(word)
    return " ".join(out)


def entry_type(record: Record) -> str:
    kind = ENTRY_TYPES[record.doc_type]
    if kind == "mastersthesis" and _THESIS_WORDS.search(
        " ".join((record.title, record.subtitle, record.notes))
    ):
        return "phdthesis"
    return kind


def citation_key(record: Record) -> str:
    first = record.authors[0].family if record.authors else ""
    stem = ascii_key(first)[:24] or ascii_key(record.title.split(" ")[0])[:24] or "notice"
    return f"{stem}{record.year or ''}_{record.id}"


def write(records: Iterable[Record], ctx: ExportContext) -> bytes:
    entries = [_entry(r, ctx) for r in records]
    header = f"% Encoding: UTF-8\n% {ctx.centre or 'Fonds'} — {len(entries)} notices\n\n"
    return (header + "\n".join(entries)).encode("utf-8")


def _names(record: Record) -> str:
    names = []
    for author in record.authors:
        if author.kind is AuthorKind.ORGANISATION:
            names.append("{" + escape(author.name) + "}")
        else:
            names.append(escape(author.name))
    return " and ".join(names)


def _entry(record: Record, ctx: ExportContext) -> str:
    kind = entry_type(record)
    fields: list[tuple[str, str]] = []
    people = _names(record)
    if people:
        fields.append(("editor" if kind == "proceedings" else "author", people))
    title = f"{record.title} : {record.subtitle}" if record.subtitle else record.title
    fields.append(("title", _protect(title)))
    if record.subtitle:
        fields.append(("shorttitle", _protect(record.title)))
    if record.year:
        fields.append(("year", str(record.year)))
    if record.date and len(record.date) > 4:
        fields.append(("date", record.date))
    if record.publisher:
        fields.append((_PUBLISHER_FIELD.get(kind, "publisher"), escape(record.publisher)))
    if record.place:
        fields.append(("address", escape(record.place)))
    if kind in ("techreport", "mastersthesis", "phdthesis", "misc"):
        fields.append(("type", escape(record.doc_type.label)))
    if record.pages:
        fields.append(("pagetotal", str(record.pages)))
    if record.isbn:
        fields.append(("isbn", escape(record.isbn)))
    if record.issn:
        fields.append(("issn", escape(record.issn)))
    if record.url:
        fields.append(("url", escape(record.url)))
        if kind == "misc":
            fields.append(("howpublished", r"\url{" + escape(record.url) + "}"))
    if record.language in _LANGUAGES:
        fields.append(("langid", _LANGUAGES[record.language]))
        fields.append(("language", record.language))
    keywords = list(record.keywords) + [ctx.theme_label(t.slug) for t in record.themes]
    if keywords:
        fields.append(("keywords", escape(", ".join(k.replace(",", " ") for k in keywords))))
    if record.territories:
        fields.append(("territories", escape(" ; ".join(record.territories))))
    if record.abstract:
        fields.append(("abstract", escape(record.abstract)))
    if record.notes:
        fields.append(("note", escape(record.notes)))
    if record.call_number:
        fields.append(("callnumber", escape(record.call_number)))
    if record.support is Support.ELECTRONIQUE:
        fields.append(
            (
                "howpublished" if kind != "misc" or not record.url else "medium",
                "Document électronique",
            )
        )
    fields.append(("identifier", escape(ctx.identifier(record))))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{citation_key(record)},\n{body}\n}}\n"


# -- reading -------------------------------------------------------------------------------

_UNESCAPES = [
    (r"\textbackslash{}", "\\"),
    (r"\textasciitilde{}", "~"),
    (r"\textasciicircum{}", "^"),
    (r"\{", "{"),
    (r"\}", "}"),
    (r"\&", "&"),
    (r"\%", "%"),
    (r"\$", "$"),
    (r"\#", "#"),
    (r"\_", "_"),
    (r"\oe{}", "œ"),
    (r"\OE{}", "Œ"),
    (r"\ae{}", "æ"),
    (r"\AE{}", "Æ"),
    (r"\ss{}", "ß"),
    (r"\og{}", "«"),
    (r"\fg{}", "»"),
    (r"\guillemotleft{}", "«"),
    (r"\guillemotright{}", "»"),
    ("--", "–"),
    (r"\,", " "),
    ("~", "\u00a0"),
]
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "c": "\u0327",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "k": "\u0328",
    "r": "\u030a",
}
_ACCENT = re.compile(r"\\([`'^\"~=.]|[cuvHkr](?=[{\s]))\s*(?:\{\s*([A-Za-z]|\\i)\s*\}|([A-Za-z]))")
_NAMED = re.compile(r"\\(oe|OE|ae|AE|ss|og|fg|o|O|l|L|aa|AA|i)\b(?:\{\})?\s?")
_NAMED_CHARS = {
    "oe": "œ",
    "OE": "Œ",
    "ae": "æ",
    "AE": "Æ",
    "ss": "ß",
    "og": "«",
    "fg": "»",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "aa": "å",
    "AA": "Å",
    "i": "ı",
}


def latex_to_text(value: str) -> str:
    """The text of a BibTeX value: escapes and accent commands decoded, grouping braces dropped."""
    import unicodedata

    def accent(m: re.Match[str]) -> str:
        letter = m.group(2) or m.group(3)
        letter = "i" if letter == "\\i" else letter
        return unicodedata.normalize("NFC", letter + _ACCENTS[m.group(1)])

    value = re.sub(r"\\url\{([^}]*)\}", r"\1", value)
    value = _ACCENT.sub(accent, value)
    value = re.sub(
        r"\{\\(oe|OE|ae|AE|ss|o|O|l|L|aa|AA)\}", lambda m: _NAMED_CHARS[m.group(1)], value
    )
    value = _NAMED.sub(lambda m: _NAMED_CHARS[m.group(1)], value)
    placeholder = {}
    for i, (escaped, char) in enumerate(_UNESCAPES):
        if escaped in value:
            key = f"\x00{i}\x00"
            placeholder[key] = char
            value = value.replace(escaped, key)
    value = re.sub(r"\\(?:emph|textit|textbf|textsc|mkbibquote)\{", "{", value)
    value = value.replace("{", "").replace("}", "")
    for key, char in placeholder.items():
        value = value.replace(key, char)
    return " ".join(value.split())


class _Scanner:
    """A small BibTeX parser that keeps line numbers for its error messages."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def line(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def braced(self) -> str:
        """From an opening brace to its matching brace (ValueError when unbalanced)."""
        start = self.pos
        depth = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.text[start + 1 : self.pos - 1]
            elif char == "@" and depth >= 1 and self.text[self.pos - 1] == "\n":
                break  # a new entry starts: this one never closed
            self.pos += 1
        raise ValueError(
            f"accolades non équilibrées (accolade ouverte ligne {self.line(start)} jamais refermée)"
        )

    def quoted(self) -> str:
        start = self.pos
        self.pos += 1
        depth = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                self.pos += 1
                return self.text[start + 1 : self.pos - 1]
            self.pos += 1
        raise ValueError(f"guillemet non fermé (valeur ouverte ligne {self.line(start)})")


def read(data: bytes, *, source: str = "") -> ParsedFile:
    """Entries of a BibTeX file; a broken entry (unbalanced braces...) is reported with the
    line where it starts, and reading goes on at the next entry."""
    from .holdings_csv import decode

    text, encoding = decode(data)
    parsed = ParsedFile(encoding=encoding, delimiter="")
    scanner = _Scanner(text)
    macros = {
        m: m.capitalize()
        for m in (
            "jan",
            "feb",
            "mar",
            "apr",
            "may",
            "jun",
            "jul",
            "aug",
            "sep",
            "oct",
            "nov",
            "dec",
        )
    }
    while True:
        at = text.find("@", scanner.pos)
        if at < 0:
            break
        scanner.pos = at + 1
        start_line = scanner.line(at)
        m = re.compile(r"\s*([A-Za-z]+)\s*([{(])").match(text, scanner.pos)
        if m is None:
            parsed.errors.append(RowError(start_line, "entrée illisible après « @ »"))
            continue
        kind = m.group(1).lower()
        scanner.pos = m.end() - 1
        if kind in ("comment", "preamble"):
            try:
                scanner.braced()
            except ValueError:
                scanner.pos = m.end()
            continue
        try:
            key, fields = _entry_body(scanner, macros, m.group(2))
        except ValueError as exc:
            parsed.errors.append(RowError(start_line, f"entrée @{kind} : {exc}"))
            next_entry = text.find("\n@", m.end())  # go on with the next entry
            scanner.pos = len(text) if next_entry < 0 else next_entry + 1
            continue
        if kind == "string":
            macros.update({k.lower(): v for k, v in fields.items()})
            continue
        try:
            parsed.rows.append((start_line, _record(kind, key, fields, source)))
        except ValueError as exc:
            parsed.errors.append(RowError(start_line, f"entrée {key or kind} : {exc}"))
    return parsed


def _entry_body(
    scanner: _Scanner, macros: dict[str, str], opener: str
) -> tuple[str, dict[str, str]]:
    text = scanner.text
    closer = "}" if opener == "{" else ")"
    scanner.pos += 1
    body_start = scanner.pos
    # Check the whole entry's braces first, so an unbalanced one is caught at its start.
    scanner.pos = body_start - 1
    if opener == "{":
        scanner.braced()
        end = scanner.pos
    else:
        end = text.find(")\n", body_start)
        end = len(text) if end < 0 else end + 1
    scanner.pos = body_start
    key = ""
    m = re.compile(r"\s*([^\s,={}()\"#]+)\s*,").match(text, scanner.pos)
    if m and "=" not in m.group(1):
        key = m.group(1)
        scanner.pos = m.end()
    fields: dict[str, str] = {}
    while True:
        scanner.skip_space()
        if scanner.pos >= end - 1 or text[scanner.pos] == closer:
            break
        m = re.compile(r"([A-Za-z][\w:+.-]*)\s*=\s*").match(text, scanner.pos)
        if m is None:
            raise ValueError(f"champ illisible ligne {scanner.line()}")
        name = m.group(1).lower()
        scanner.pos = m.end()
        parts = []
        while True:
            scanner.skip_space()
            char = text[scanner.pos : scanner.pos + 1]
            if char == "{":
                parts.append(scanner.braced())
            elif char == '"':
                parts.append(scanner.quoted())
            else:
                word = re.compile(r"[\w:.+-]+").match(text, scanner.pos)
                if word is None:
                    raise ValueError(f"valeur du champ {name} illisible ligne {scanner.line()}")
                parts.append(macros.get(word.group(0).lower(), word.group(0)))
                scanner.pos = word.end()
            scanner.skip_space()
            if text[scanner.pos : scanner.pos + 1] == "#":
                scanner.pos += 1
                continue
            break
        fields[name] = "".join(parts)
        scanner.skip_space()
        if text[scanner.pos : scanner.pos + 1] == ",":
            scanner.pos += 1
    scanner.pos = end
    return key, fields


def _split_names(value: str) -> list[str]:
    """Names separated by ' and ' at brace depth 0."""
    names, depth, current, i = [], 0, [], 0
    while i < len(value):
        char = value[i]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth == 0 and value[i : i + 5].lower() == " and ":
            names.append("".join(current))
            current = []
            i += 5
            continue
        current.append(char)
        i += 1
    names.append("".join(current))
    return [n.strip() for n in names if n.strip()]


def _author(raw: str):  # type: ignore[no-untyped-def]
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and _balanced(raw[1:-1]):
        return author_from_name(
            latex_to_text(raw[1:-1]).replace(",", " ").strip() or "?", kind=_organisation()
        )
    text = latex_to_text(raw)
    if "," in text:
        return author_from_name(text)
    parts = text.split()
    if len(parts) == 1:
        return author_from_name(text, kind=_organisation())
    return author_from_name(f"{parts[-1]}, {' '.join(parts[:-1])}")


def _organisation():  # type: ignore[no-untyped-def]
    from ..models import AuthorKind

    return AuthorKind.ORGANISATION


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _record(kind: str, key: str, raw: dict[str, str], source: str) -> Record:
    fields = {k: latex_to_text(v) for k, v in raw.items()}
    if not fields.get("title"):
        raise ValueError("champ title absent")
    title, subtitle = split_title(fields["title"], fields.get("shorttitle", ""))
    if fields.get("subtitle"):
        subtitle = fields["subtitle"]
    doc_type = _BY_ENTRY.get(kind, DocType.AUTRE)
    if fields.get("type"):
        doc_type = type_by_label(fields["type"]) or doc_type
    names = raw.get("author") or raw.get("editor") or ""
    date, year = parse_date(fields.get("date", ""))
    y_date, y = parse_date(fields.get("year", ""))
    if y and y != year:
        date, year = y_date, y
    publisher = next(
        (
            fields[f]
            for f in (
                "publisher",
                "institution",
                "school",
                "organization",
                "journal",
                "journaltitle",
            )
            if fields.get(f)
        ),
        "",
    )
    isbn = _checked(fields.get("isbn", ""), normalise_isbn)
    issn = _checked(fields.get("issn", ""), normalise_issn)
    keywords = tuple(
        dict.fromkeys(k.strip() for k in re.split(r"[,;]", fields.get("keywords", "")) if k.strip())
    )
    electronic = (
        "électronique" in (fields.get("howpublished", "") + fields.get("medium", "")).lower()
    )
    identifier = fields.get("identifier", "")
    return Record(
        title=title,
        subtitle=subtitle,
        authors=tuple(_author(n) for n in _split_names(names)),
        publisher=publisher,
        place=fields.get("address", "") or fields.get("location", ""),
        date=date,
        year=year,
        doc_type=doc_type,
        support=Support.ELECTRONIQUE if electronic else Support.PAPIER,
        language=language_639_1(fields.get("language", "") or fields.get("langid", "")),
        pages=parse_pages(fields.get("pagetotal", "")),
        isbn=isbn,
        issn=issn,
        call_number=fields.get("callnumber", ""),
        abstract=fields.get("abstract", ""),
        keywords=keywords,
        territories=tuple(t.strip() for t in fields.get("territories", "").split(";") if t.strip()),
        url=fields.get("url", ""),
        notes=fields.get("note", ""),
        source=import_source(source, identifier if identifier.startswith("oai:") else ""),
    )


def _checked(value: str, normalise) -> str:  # type: ignore[no-untyped-def]
    if not value.strip():
        return ""
    try:
        return normalise(value)
    except ValueError:
        return value.strip()
