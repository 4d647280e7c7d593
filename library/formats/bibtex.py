"""BibTeX (UTF-8, read by BibTeX 8-bit, Biber, Zotero, JabRef).

Entry types by document type: book, techreport (reports, studies, minutes, practice sheets,
with `type` = the French label), manual (methodological guides), proceedings, article,
mastersthesis or phdthesis (a thesis says so in its title or note), misc (periodical issues,
newsletters, official texts, others, with `type`). Special characters
{ } & % $ # _ \\ ~ ^ are escaped; everything else stays UTF-8. Keys are stable and unique:
first author's family name, year, and the record number (`josephangelique2009_12`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from ..identifiers import normalise_isbn, normalise_issn
from ..models import Author, AuthorKind, AuthorRole, DocType, Record, Series, Support
from .common import (
    UNTITLED,
    ExportContext,
    ascii_key,
    author_from_name,
    checked_identifier,
    clean_text,
    import_source,
    language_639_1,
    parse_date,
    parse_pages,
    person,
    split_title,
    type_by_label,
)
from .holdings_csv import ParsedFile, RowError, RowRefused, not_utf8
from .hosts import periodical_host

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


def _verbatim_value(url: str) -> str:
    """A URL as a BibTeX verbatim value: unchanged but for braces, which would unbalance it."""
    return "".join(url.split()).replace("{", "%7B").replace("}", "%7D")


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


# The biblatex name list of each role (BibTeX itself knows author and editor).
ROLE_FIELDS = {
    AuthorRole.AUTHOR: "author",
    AuthorRole.EDITOR: "editor",
    AuthorRole.TRANSLATOR: "translator",
    AuthorRole.ILLUSTRATOR: "illustrator",
    AuthorRole.PREFACE: "foreword",
}


def _names(authors: Iterable[Author]) -> str:
    names = []
    for author in authors:
        if author.kind is AuthorKind.ORGANISATION:
            names.append("{" + escape(author.name) + "}")
        elif author.suffix:  # BibTeX's 'von Last, Jr, First'
            names.append(escape(f"{author.family}, {author.suffix}, {author.given}"))
        else:
            names.append(escape(author.name))
    return " and ".join(names)


def _entry(record: Record, ctx: ExportContext) -> str:
    kind = entry_type(record)
    fields: list[tuple[str, str]] = []
    for role, name in ROLE_FIELDS.items():
        people = _names(a for a in record.authors if AuthorRole(a.role) is role)
        if people:
            fields.append((name, people))
    title = f"{record.title} : {record.subtitle}" if record.subtitle else record.title
    fields.append(("title", _protect(title)))
    if record.subtitle:
        fields.append(("shorttitle", _protect(record.title)))
    if record.year:
        fields.append(("year", str(record.year)))
    if record.date and len(record.date) > 4:
        fields.append(("date", record.date))
    host = record.host
    if host is not None:  # an @article's periodical, issue and pages
        fields.append(("journal", escape(host.title)))
        if host.number:
            fields.append(("number", escape(host.number)))
        if host.pages:
            fields.append(("pages", host.pages.replace("-", "--")))
        if host.issn:
            fields.append(("issn", escape(host.issn)))
    if record.publisher and host is not None:
        fields.append(("publisher", escape(record.publisher)))
    elif record.publisher:
        fields.append((_PUBLISHER_FIELD.get(kind, "publisher"), escape(record.publisher)))
    if record.place:
        fields.append(("address", escape(record.place)))
    if record.edition:
        fields.append(("edition", escape(record.edition)))
    if record.series:  # BibTeX has one series: the first collection
        fields.append(("series", escape(record.series[0].title)))
        if record.series[0].number and kind != "article":
            fields.append(("number", escape(record.series[0].number)))
    if kind in ("techreport", "mastersthesis", "phdthesis", "misc"):
        fields.append(("type", escape(record.doc_type.label)))
    if record.pages:
        fields.append(("pagetotal", str(record.pages)))
    if record.isbn:
        fields.append(("isbn", escape(record.isbn)))
    if record.issn and host is None:
        fields.append(("issn", escape(record.issn)))
    if record.url:
        # url is a verbatim field: written as it is (a '\&' would stay in the address).
        fields.append(("url", _verbatim_value(record.url)))
        if kind == "misc":
            fields.append(("howpublished", r"\url{" + _verbatim_value(record.url) + "}"))
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
    if record.public_note:
        fields.append(("note", escape(record.public_note)))
    if record.notes:  # the internal note: an annotation, which bibliographies do not print
        fields.append(("annote", escape(record.notes)))
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
# bibtexparser (v2) splits the file into entries, @string definitions and failed blocks, with
# their lines, and splits names by BibTeX's own rules (First von Last, Last, Jr, First;
# braces keep a body's name whole); pylatexenc (its dependency) turns LaTeX into text. What
# is ours: the values' expressions (@string macros joined by #), crossref inheritance, and
# the fields that must not be decoded (URLs keep their ~ and --).

for _name in ("bibtexparser", "pylatexenc"):  # their parse warnings become our RowErrors
    logging.getLogger(_name).addHandler(logging.NullHandler())

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "urldate", "identifier"})
# Entries that are no reference of their own: a set groups other entries, xdata holds data
# for them to inherit.
_CONTAINERS = frozenset({"set", "xdata"})
# What a child entry inherits from its crossref parent (biblatex's defaults, in short).
_INHERITED = (
    "publisher",
    "institution",
    "organization",
    "school",
    "address",
    "location",
    "year",
    "date",
    "isbn",
    "issn",
    "language",
    "langid",
    "journal",
    "journaltitle",
    "editor",
    "series",
    "volume",
)


def _latex():
    """pylatexenc's converter, taught the macros bibliographies use that it does not know."""
    from pylatexenc import latexwalker, macrospec
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    with_argument = {
        "texttt": "%(1)s",
        "textsc": "%(1)s",
        "textsf": "%(1)s",
        "textup": "%(1)s",
        "mkbibquote": "“%(1)s”",
        "mkbibemph": "%(1)s",
        "mkbibitalic": "%(1)s",
        "mkbibbold": "%(1)s",
        "bibstring": "%(1)s",
        "enquote": "“%(1)s”",
        "foreignlanguage": "%(2)s",
    }
    plain = {
        "TeX": "TeX",
        "LaTeX": "LaTeX",
        "LaTeXe": "LaTeX2e",
        "BibTeX": "BibTeX",
        "hyphen": "-",
        "slash": "/",
        "og": "«\N{NO-BREAK SPACE}",
        "fg": "\N{NO-BREAK SPACE}»",
        "textbackslash": "\\",
        "textasciicircum": "^",
        "textasciitilde": "~",
        "textendash": "–",
        "textemdash": "—",
    }
    db = get_default_latex_context_db()
    db.add_context_category(
        "fonds-bibtex",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=repl) for name, repl in plain.items()]
        + [MacroTextSpec(name, simplify_repl=repl) for name, repl in with_argument.items()],
    )
    parsing = latexwalker.get_default_latex_context_db()
    parsing.add_context_category(
        "fonds-bibtex",
        prepend=True,
        macros=[
            macrospec.std_macro(name, False, 2 if name == "foreignlanguage" else 1)
            for name in with_argument
        ],
    )
    converter = LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True)

    def convert(text: str) -> str:
        walker = latexwalker.LatexWalker(text, latex_context=parsing, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        return converter.nodelist_to_text(nodes)

    return convert


_CONVERTER = None
_URL_MACRO = re.compile(r"\\(?:url|href)\{([^{}]*)\}")


def latex_to_text(value: str) -> str:
    """The text of a BibTeX value: LaTeX commands and accents decoded, braces dropped,
    URLs in `url{…}` kept as written."""
    global _CONVERTER
    if "\\" not in value and "{" not in value and "~" not in value and "--" not in value:
        return " ".join(value.split())
    if _CONVERTER is None:
        _CONVERTER = _latex()
    urls: list[str] = []

    def keep(m: re.Match[str]) -> str:
        urls.append(m.group(1))
        return f"URLMARK{len(urls) - 1}X"

    value = _URL_MACRO.sub(keep, value)
    try:
        text = _CONVERTER(value)
    except Exception:  # noqa: BLE001 - pylatexenc's parse errors have no common base
        text = value.replace("{", "").replace("}", "")
    text = text.replace("\N{NO-BREAK SPACE}", " ") if "«" not in text else text
    for i, url in enumerate(urls):
        text = text.replace(f"URLMARK{i}X", url)
    return " ".join(text.split())


def _verbatim(value: str) -> str:
    """A URL or DOI as written: only the braces BibTeX needs go."""
    value = _URL_MACRO.sub(r"\1", value)
    value = re.sub(r"\\([&%_#$~])", r"\1", value)  # escapes older writers put in URLs
    return "".join(value.replace("{", "").replace("}", "").split())


def decode_bibtex(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8, else the encoding the file names (JabRef's '% Encoding: GBK'
    line), else Windows-1252; the caller says so when it was a guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = re.search(rb"%\s*Encoding:\s*([A-Za-z0-9_.-]+)", data[:2000])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii")), m.group(1).decode("ascii")
        except (LookupError, UnicodeDecodeError):
            pass
    from .holdings_csv import decode

    return decode(data)


def read(data: bytes, *, source: str = "") -> ParsedFile:
    """Entries of a BibTeX or biblatex file; a broken entry (unbalanced braces...) is
    reported with the line where it starts, and reading goes on at the next entry."""
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

    text, encoding = decode_bibtex(data)
    parsed = ParsedFile(encoding=encoding, delimiter="")
    if warning := not_utf8(encoding):
        parsed.warnings.append(warning)
    library = bibtexparser.parse_string(text, parse_stack=[])
    macros = {m: m.capitalize() for m in _MONTHS}
    for string in library.strings:
        macros[string.key.lower()] = _expression(string.value, macros)
    entries: list[bibtexparser.model.Entry] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            parsed.warnings.append(RowError.note(line, "bib-duplicate-key", key=block.key))
            if isinstance(block.ignore_error_block, bibtexparser.model.Entry):
                entries.append(block.ignore_error_block)  # a repeated @string adds no entry
        elif isinstance(block, ParsingFailedBlock):
            raw = block.raw or ""
            opening = re.match(r"\s*@\s*(\w+)", raw)
            kind = opening.group(1).lower() if opening else ""
            code = "bib-unbalanced" if raw.count("{") != raw.count("}") else "bib-unreadable"
            parsed.errors.append(RowError.note(line, code, kind=kind, opened=line))
        elif isinstance(block, bibtexparser.model.Entry):
            entries.append(block)
    if not entries and not parsed.errors:
        parsed.errors.append(RowError.note(1, "bib-empty"))
    by_key = {e.key.lower(): e for e in entries if e.key}
    for entry in entries:
        line = (entry.start_line or 0) + 1
        kind = entry.entry_type.lower()
        if kind in _CONTAINERS:
            continue
        fields = {f.key.lower(): _expression(str(f.value), macros) for f in entry.fields}
        parent_key = fields.get("crossref", "") or fields.get("xdata", "")
        parent = by_key.get(parent_key.strip().lower()) if parent_key else None
        if parent_key and parent is None:
            parsed.warnings.append(
                RowError.note(line, "bib-no-crossref", key=entry.key, parent=parent_key)
            )
        if parent is not None:
            inherited = {f.key.lower(): _expression(str(f.value), macros) for f in parent.fields}
            for name in _INHERITED:
                if name in inherited and not fields.get(name):
                    fields[name] = inherited[name]
            if inherited.get("title") and not fields.get("booktitle"):
                fields["booktitle"] = inherited["title"]
        if not fields.get("title", "").strip():
            if not any(v.strip() for k, v in fields.items() if k != "crossref"):
                parsed.warnings.append(RowError.note(line, "bib-empty-entry", key=entry.key))
                continue
            fields["title"] = UNTITLED
            parsed.warnings.append(
                RowError.note(line, "bib-untitled", key=entry.key, title=UNTITLED)
            )
        try:
            parsed.rows.append((line, _record(kind, entry.key, fields, source)))
        except RowRefused as exc:
            key = entry.key or kind
            parsed.errors.append(RowError.note(line, "bib-entry", key=key, refusal=exc.code))
        except ValueError as exc:
            key = entry.key or kind
            parsed.errors.append(RowError.note(line, "bib-entry", key=key, detail=str(exc)))
    return parsed


def _expression(value: str, macros: dict[str, str]) -> str:
    """A field's value: braced or quoted pieces and @string macros joined by '#'."""
    value = value.strip()
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        if char == "#" and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    out = []
    for part in (p.strip() for p in parts):
        if (
            len(part) >= 2
            and part[0] == "{"
            and part[-1] == "}"
            or len(part) >= 2
            and part[0] == '"'
            and part[-1] == '"'
        ):
            out.append(part[1:-1])
        else:
            out.append(macros.get(part.lower(), part))
    return "".join(out)


def _authors(value: str, role: AuthorRole) -> list[Author]:
    """Names by BibTeX's rules: 'and' between names (across lines too), First von Last or
    von Last, Jr, First; a name in braces is a body's; 'others' is 'et al.'."""
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    out = []
    for raw in split_multiple_persons_names(" ".join(value.split())):
        raw = raw.strip()
        if not raw or raw.lower() == "others":
            continue
        if raw.startswith("{") and raw.endswith("}") and _balanced(raw[1:-1]):
            out.append(author_from_name(latex_to_text(raw[1:-1]), AuthorKind.ORGANISATION, role))
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except InvalidNameError:
            out.append(author_from_name(latex_to_text(raw), AuthorKind.PERSON, role))
            continue

        def text(words: list[str]) -> str:
            return latex_to_text(" ".join(words))

        # Catalogue order: the particle follows the given name ('La Fontaine, Jean de').
        given = " ".join(p for p in (text(parts.first), text(parts.von)) if p)
        out.append(person(text(parts.last), given, text(parts.jr), role))
    return out


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _record(kind: str, key: str, raw: dict[str, str], source: str) -> Record:
    fields = {k: (_verbatim(v) if k in _VERBATIM else latex_to_text(v)) for k, v in raw.items()}
    if not fields.get("title"):
        raise RowRefused("bib-no-title")
    title, subtitle = split_title(fields["title"], fields.get("shorttitle", ""))
    if fields.get("subtitle"):
        subtitle = fields["subtitle"]
    doc_type = _BY_ENTRY.get(kind, DocType.AUTRE)
    if fields.get("type"):
        doc_type = type_by_label(fields["type"]) or doc_type
    authors = _authors(raw.get("author", ""), AuthorRole.AUTHOR)
    editors = _authors(raw.get("editor", ""), AuthorRole.EDITOR)
    if kind in ("proceedings", "collection", "mvcollection", "mvproceedings") and not authors:
        editors_first = True  # a volume under editors: they head it
    else:
        editors_first = False
    people = editors + authors if editors_first else authors + editors
    people += _authors(raw.get("translator", ""), AuthorRole.TRANSLATOR)
    people += _authors(raw.get("illustrator", ""), AuthorRole.ILLUSTRATOR)
    for name in ("foreword", "introduction", "afterword"):
        people += _authors(raw.get(name, ""), AuthorRole.PREFACE)
    date, year = parse_date(fields.get("date", ""))
    y_date, y = parse_date(fields.get("year", ""))
    if y and y != year:
        date, year = y_date, y
    publisher = next(
        (
            fields[f]
            for f in ("publisher", "institution", "school", "organization")
            if fields.get(f)
        ),
        "",
    )
    journal = fields.get("journaltitle") or fields.get("journal") or ""
    issn = checked_identifier(fields.get("issn", ""), normalise_issn)
    article_host = (
        periodical_host(
            journal,
            issn=issn,
            volume=fields.get("volume", ""),
            number=fields.get("number", ""),
            date=date,
            pages=fields.get("pages", ""),
        )
        if kind == "article"
        else None
    )
    if article_host is not None:  # the host carries the periodical, issue, pages and ISSN
        journal, issn = "", "" if article_host.issn else issn  # a wrong ISSN stays to be told
        fields = {k: v for k, v in fields.items() if k not in ("volume", "number", "pages")}
    if kind == "article" and journal and not publisher:
        publisher, journal = journal, ""  # our convention: an article's publisher is its periodical
    notes: list[str] = []
    host = _host(fields, journal)
    if host:
        notes.insert(0, host)
    if fields.get("doi"):
        notes.append(f"DOI : {fields['doi']}")
    if fields.get("annotation") or fields.get("annote"):
        notes.append(fields.get("annotation") or fields.get("annote", ""))
    keywords = tuple(
        dict.fromkeys(k.strip() for k in re.split(r"[,;]", fields.get("keywords", "")) if k.strip())
    )
    electronic = (
        "électronique" in (fields.get("howpublished", "") + fields.get("medium", "")).lower()
    )
    identifier = fields.get("identifier", "")
    url = fields.get("url", "") or (f"https://doi.org/{fields['doi']}" if fields.get("doi") else "")
    return Record(
        title=title,
        subtitle=subtitle,
        authors=tuple(people),
        publisher=publisher,
        place=fields.get("address", "") or fields.get("location", ""),
        date=date,
        year=year,
        doc_type=doc_type,
        support=Support.ELECTRONIQUE if electronic else Support.PAPIER,
        language=language_639_1(fields.get("language", "") or fields.get("langid", "")),
        pages=parse_pages(fields.get("pagetotal", "")),
        isbn=checked_identifier(fields.get("isbn", ""), normalise_isbn),
        issn=issn,
        host=article_host,
        call_number=fields.get("callnumber", ""),
        abstract=fields.get("abstract", ""),
        keywords=keywords,
        territories=tuple(t.strip() for t in fields.get("territories", "").split(";") if t.strip()),
        url=url,
        series=(Series(fields["series"], fields.get("number", "") if not journal else ""),)
        if fields.get("series")
        else (),
        edition=fields.get("edition", ""),
        public_note=fields.get("note", ""),
        notes="\n".join(notes),
        source=import_source(source, identifier if identifier.startswith("oai:") else ""),
    )


def _host(fields: dict[str, str], journal: str) -> str:
    """Where a part sits: 'Dans : Revue, vol. 9, n° 3, p. 12-25' or 'Dans : Livre, p. 3-9'."""
    parts = [journal or fields.get("booktitle", "") or fields.get("maintitle", "")]
    if fields.get("volume"):
        parts.append(f"vol. {fields['volume']}")
    if fields.get("number") and fields.get("journal", fields.get("journaltitle")):
        parts.append(f"n° {fields['number']}")
    if fields.get("pages"):
        parts.append(f"p. {fields['pages']}")
    parts = [p for p in parts if p]
    return "Dans : " + ", ".join(parts) if parts else ""
