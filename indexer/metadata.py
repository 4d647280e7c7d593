"""Bibliographic metadata from what a file carries: titles, authors, dates, first-page guesses.

Order of trust, applied by the extractors: the file's own metadata first (when it is not junk),
then what the first page shows, then the file name. Everything here is pure and cheap: it runs
once per document in the ingest workers.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from urllib.parse import unquote

# Years a document of the fund can carry. Earlier "dates" are placeholders (1601 is the Windows
# FILETIME epoch, 1900/1904 spreadsheet epochs are outside too); later ones are typos or horizons
# ("Objectif 2050"). Fixed bounds keep results reproducible; widen them when 2030 comes near.
MIN_YEAR, MAX_YEAR = 1950, 2030

MAX_TITLE_CHARS = 300

_SPACES = re.compile(r"\s+")
_FILE_SUFFIX = re.compile(
    r"\.(?:pdf|docx?|docm|dotx?|odt|ott|rtf|txt|md|html?|xhtml|pptx?|ppsx?|odp|xlsx?|xlsm|ods|csv|"
    r"epub|indd|qxd|qxp|pub|wpd|wps|pages|key|tiff?|jpe?g|png|gif|bmp|eps|ai|psd|ps|zip|msg)$",
    re.IGNORECASE,
)
_APP_PREFIX = re.compile(
    r"^\s*(?:microsoft\s+(?:office\s+)?(?:word|powerpoint|excel|publisher)|microsoft word|"
    r"powerpoint|word|excel|adobe indesign|libreoffice writer|openoffice\.org writer)\s*[-–—:]\s*",
    re.IGNORECASE,
)
# Titles that authoring tools or templates put there by default, not by a writer (compared
# case-insensitively, accents and trailing numbers ignored).
_JUNK_TITLES = re.compile(
    r"^(?:untitled|sans titre|sans nom|no title|notitle|title|titre|titre du document|"
    r"inserer (?:le|un) titre|insert title|your title here|cliquez ici.*|click here.*|"
    r"document|doc|documents?|new document|nouveau document|document sans titre|"
    r"document word|word document|document microsoft word|microsoft word|microsoft word document|"
    r"presentation powerpoint|presentation|powerpoint presentation|diapositive|slide|"
    r"pdf|pdf document|document pdf|adobe acrobat|binder|classeur|feuil|sheet|page|layout|"
    r"maquette|modele|template|default|normal|brouillon|draft|scan|scanner|image|img|"
    r"numerisation|copie de|copy of|anonymous|anonyme|unknown|inconnu|test|essai|"
    r"converted|temp|tmp)"
    r"(?:[\s_-]*(?:\(?\d+\)?|[ivx]+))*$"
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_CAMEL = re.compile(r"[a-z][A-Z]")
_LETTER_DIGIT = re.compile(r"(?:[^\W\d_]\d|\d[^\W\d_])")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def clean_text_line(raw: str) -> str:
    """One line: NULs and control characters dropped, spaces collapsed."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") else c for c in raw)
    return _SPACES.sub(" ", text).strip()


def _looks_like_file_name(text: str) -> bool:
    """One token built like a file name or identifier: 'rapport_final_v2', 'doc1', 'scanFax'."""
    if " " in text:
        return False
    return "_" in text or bool(_LETTER_DIGIT.search(text)) or bool(_CAMEL.search(text[1:]))


def clean_title(raw: str | bytes | None) -> str | None:
    """A title worth showing, or None when the raw value is junk a tool left behind."""
    if raw is None:
        return None
    if isinstance(raw, bytes):
        raw = decode_bytes(raw)
    text = clean_text_line(str(raw)).strip(" \"'«»“”")
    if not text:
        return None
    text = _APP_PREFIX.sub("", text).strip()
    had_suffix = bool(_FILE_SUFFIX.search(text))
    if had_suffix:
        text = _FILE_SUFFIX.sub("", text).strip()
        # 'rapport_final_v2.pdf' names a file; 'Rapport d'activité 2009.doc' names a document.
        if " " not in text and text.isascii():
            return None
    if not text or not _HAS_LETTER.search(text) or "\ufffd" in text:
        return None
    if _looks_like_file_name(text):
        return None
    if _JUNK_TITLES.match(_fold(text).strip(" .-_")):
        return None
    if len(text) > MAX_TITLE_CHARS:
        return None  # a paragraph pasted into the title field is not a title
    return text


def decode_bytes(raw: bytes) -> str:
    """Bytes of unknown encoding as text: UTF-8 when valid, else Windows-1252, else Latin-1."""
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


_VERSION_TOKEN = re.compile(r"^(?:v|vers?|version)\.?\d+(?:\.\d+)*$|^\(\d+\)$|^copie$|^copy$", re.I)


def title_from_filename(name: str | bytes | os.PathLike[str]) -> str:
    """Title from a file name: '2009_evaluation-CUCS_v2.pdf' -> '2009 evaluation CUCS'."""
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if isinstance(name, bytes):
        text = decode_bytes(name)
    else:
        # Names read from a non-UTF-8 disk arrive with surrogate escapes: recover the bytes.
        try:
            text = decode_bytes(name.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:
            text = name.encode("utf-8", "replace").decode("utf-8")
    text = PurePath(text.replace("\\", "/")).name
    stem = _FILE_SUFFIX.sub("", text)
    if stem == text and "." in text and len(text.rsplit(".", 1)[1]) <= 4:
        stem = text.rsplit(".", 1)[0]
    if "%" in stem:
        stem = unquote(stem)
    stem = clean_text_line(stem)
    words = [w for w in re.split(r"[\s_.+]+|(?<!\w)-|-(?!\w)|-", stem) if w]
    kept = [w for w in words if not _VERSION_TOKEN.match(w)] or words
    title = " ".join(kept).strip()
    return title or clean_text_line(text) or "document"


# --- authors -----------------------------------------------------------------------------------

_CIVILITY = re.compile(
    r"^(?:mme|mlle|madame|mademoiselle|monsieur|mr|mrs|ms|dr|pr|prof|professeur)\.?\s+", re.I
)
_ORGANISATION_WORDS = frozenset(
    """agence association assemblee atelier bureau cabinet centre center cerema chambre collectif
    comite commission communaute conseil cooperative departement direction dsi ecole federation
    fondation groupe groupement inspection institut institute insee laboratoire ligue mairie
    ministere mission observatoire office prefecture region reseau secretariat service societe
    syndicat universite university ville departement delegation anru acse dgcl cget anct
    direccte drjscs ddcs caf cnaf inc ltd sa sarl sas gmbh department agency council ministry
    de des du la le les et pour of for the""".split()  # noqa: SIM905 (a word list reads better)
)
_JUNK_AUTHORS = re.compile(
    r"^(?:admin|administrateur|administrator|administrateur systeme|user|utilisateur|"
    r"utilisateur windows|windows user|microsoft office user|owner|proprietaire|auteur|author|"
    r"unknown|inconnu|anonymous|anonyme|default|defaut|pc|poste\s*\d*|compaq|hp|dell|"
    r"microsoft|微软用户|системный администратор)$"
)
# Common given names (French first, then frequent others) to tell 'Dupont Marie' from 'Marie
# Dupont'. Only a hint: a name not listed stays as written.
_GIVEN_NAMES = frozenset(
    """alain alexandre alice amandine anne annie antoine arnaud aurelie bernard brigitte bruno
    camille caroline catherine cecile celine chantal charles christian christine christophe
    claire claude corinne damien daniel david delphine denis didier dominique elisabeth elodie
    emilie emmanuel emmanuelle eric erwan fabien fabrice fatima florence francois francoise
    frederic gerard gilles guillaume helene henri herve hugues isabelle jacqueline jacques jean
    jeanne jerome joelle julie julien karim karine laurence laurent lea louis lucie luc marc
    marcel marie marion martine mathieu maurice michel michele mohamed monique muriel nadia
    nathalie nicolas nicole olivier pascal pascale patrice patricia patrick paul philippe pierre
    rachid raymond regis remi renaud rene robert roger romain samia sandrine sebastien serge
    sophie stephane stephanie sylvie thierry thomas valerie veronique vincent virginie yves
    yann yannick andrew anna david emma james jane john joseph laura linda maria mark martin
    mary michael peter richard robert sarah susan william juan carlos jose luis ana
    carmen""".split()  # noqa: SIM905 (a word list reads better)
)
_INITIAL = re.compile(r"^(?:[A-Z]\.)(?:-?[A-Z]\.)*$")


def _is_organisation(name: str) -> bool:
    words = {_fold(w) for w in re.findall(r"[^\W\d_]+", name)}
    if len(words) >= 4:
        return True
    return bool(words & _ORGANISATION_WORDS) or (name.isupper() and " " not in name)


def person_name(name: str) -> str:
    """'Marie Dupont', 'J. Martin', 'Ali ZORGATI' -> 'Nom, Prénom' when the order is clear."""
    name = _CIVILITY.sub("", clean_text_line(name)).strip(" ,;")
    if not name or "," in name or _is_organisation(name):
        return name
    parts = name.split()
    if len(parts) == 1:
        return name
    upper = [i for i, p in enumerate(parts) if p.isupper() and len(p) > 1 and not _INITIAL.match(p)]
    if len(upper) == 1 and len(upper) < len(parts):  # a surname written in capitals
        i = upper[0]
        return f"{parts[i]}, {' '.join(parts[:i] + parts[i + 1 :])}"
    if _INITIAL.match(parts[-1]):  # 'Martin J.'
        return f"{' '.join(parts[:-1])}, {parts[-1]}"
    if _INITIAL.match(parts[0]):  # 'J. Martin', 'M. Dupont'
        return f"{' '.join(parts[1:])}, {parts[0]}"
    first, last = _fold(parts[0]).split("-")[0], _fold(parts[-1]).split("-")[0]
    if first in _GIVEN_NAMES:  # 'Marie Dupont', and 'Jean Martin' read in the usual order
        return f"{' '.join(parts[1:])}, {parts[0]}"
    if last in _GIVEN_NAMES:  # 'Dupont Marie', as administrative systems write it
        return f"{' '.join(parts[:-1])}, {parts[-1]}"
    return name


def split_authors(raw: str | bytes | None) -> tuple[str, ...]:
    """Authors from one metadata string: 'Dupont Marie; Martin J.', 'M. Dupont et J. Martin'."""
    if not raw:
        return ()
    if isinstance(raw, bytes):
        raw = decode_bytes(raw)
    text = clean_text_line(str(raw))
    if ";" in text or "\n" in str(raw):
        pieces = re.split(r"\s*[;\n]\s*", text)
    else:
        pieces = re.split(r"\s+(?:et|and|&|y|und)\s+|\s*/\s*|\s*\|\s*", text)
        expanded: list[str] = []
        for piece in pieces:
            commas = [p.strip() for p in piece.split(",") if p.strip()]
            # 'Dupont, Marie' is one person; 'Marie Dupont, Jean Martin' are two.
            if (
                len(commas) == 2
                and all(len(p.split()) <= 2 for p in commas)
                and not any(len(p.split()) == 2 for p in commas)
            ):
                expanded.append(piece)
            elif len(commas) > 1 and all(len(p.split()) >= 2 for p in commas):
                expanded.extend(commas)
            elif (
                len(commas) > 2
                and all(len(p.split()) == 1 for p in commas)
                and len(commas) % 2 == 0
            ):
                expanded.extend(f"{commas[i]}, {commas[i + 1]}" for i in range(0, len(commas), 2))
            else:
                expanded.append(piece)
        pieces = expanded
    out: list[str] = []
    for piece in pieces:
        name = piece.strip(" ,;:")
        if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):  # keep an initial's dot
            name = name[:-1]
        if not name or not _HAS_LETTER.search(name) or _JUNK_AUTHORS.match(_fold(name)):
            continue
        name = person_name(name)
        if name and name not in out:
            out.append(name)
    return tuple(out)


# --- dates -------------------------------------------------------------------------------------

_PDF_DATE = re.compile(r"^(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?")
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DMY_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def parse_date(raw: object) -> str | None:
    """A plausible ISO date (possibly partial) from a PDF date, W3CDTF/XMP string or datetime."""
    if raw is None:
        return None
    if isinstance(raw, datetime | date):
        return _iso(raw.year, raw.month, raw.day)
    if isinstance(raw, bytes):
        raw = decode_bytes(raw)
    text = clean_text_line(str(raw))
    if not text:
        return None
    if m := _DMY_DATE.match(text):  # '24/9/2004 17:36:38', seen in scanner PDFs
        return _iso(int(m[3]), int(m[2]), int(m[1]))
    if text.startswith("D:") or re.match(r"^\d{8,}", text):
        m = _PDF_DATE.match(text)
    else:
        m = _ISO_DATE.match(text)
    if not m:
        return None
    return _iso(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)


def year_of(iso: str | None) -> int | None:
    """The year of an ISO date string."""
    return int(iso[:4]) if iso and iso[:4].isdigit() else None


# --- first page --------------------------------------------------------------------------------

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fevr": 2, "fev": 2,
    "february": 2, "feb": 2, "mars": 3, "march": 3, "mar": 3, "avril": 4, "avr": 4, "april": 4,
    "apr": 4, "mai": 5, "may": 5, "juin": 6, "june": 6, "jun": 6, "juillet": 7, "juil": 7,
    "july": 7, "jul": 7, "aout": 8, "august": 8, "aug": 8, "septembre": 9, "sept": 9, "sep": 9,
    "september": 9, "octobre": 10, "oct": 10, "october": 10, "novembre": 11, "nov": 11,
    "november": 11, "decembre": 12, "dec": 12, "december": 12,
}  # fmt: skip
_YEAR = r"(19[5-9]\d|20[0-3]\d)"
_MONTH_YEAR = re.compile(r"\b([a-z]{3,9})\.?,?\s+(?:\d{1,2}(?:er)?,?\s+)?" + _YEAR + r"\b")
_NUMERIC_DATE = re.compile(
    r"\b(?:(\d{1,2})[/.](\d{1,2})[/.]" + _YEAR + r"|" + _YEAR + r"-(\d{2})(?:-(\d{2}))?)\b"
)
_BARE_YEAR = re.compile(r"(?<![\d.,/-])" + _YEAR + r"(?![\d.,]\d|\d)")
_AUTHOR_LINE = re.compile(
    r"^(?:(?:r[ée]dig[ée]e?s?|r[ée]alis[ée]e?s?|[ée]crite?s?|coordonn[ée]e?s?|"
    r"[ée]tude r[ée]alis[ée]e)"
    r"\s+par|par|by|auteur(?:\(?e?s?\)?)?|author(?:\(?s\)?)?|auteures?|autrices?|r[ée]daction|"
    r"sous la direction de|coordination|written by)\s*:?\s+(.+)$",
    re.IGNORECASE,
)
_SKIP_LINE = re.compile(
    r"^(?:sommaire|table des mati[èe]res|contents|table of contents|summary|r[ée]sum[ée]|"
    r"abstract|introduction|avant-propos|pr[ée]face|index|page\s*\d+.*|\d+\s*(?:/|sur|of)\s*\d+|"
    r"p\.?\s*\d+|confidentiel|draft|brouillon|version.*|[ée]dition.*|www\.\S+|https?://\S+|"
    r"\S+@\S+|fichier\s*:.*|file\s*:.*|tel\.?.*|t[ée]l[ée]phone.*|fax.*)$",
    re.IGNORECASE,
)
_CONTINUATION_END = re.compile(
    r"(?:\b(?:de|du|des|d'|la|le|les|l'|et|à|au|aux|en|pour|sur|dans|par|avec|entre|un|une|of|"
    r"the|and|for|in|on|to|a|an|with)|[:,–—-])$",
    re.IGNORECASE,
)
_TITLE_MAX_LINES, _TOP_LINES = 3, 40


@dataclass(frozen=True, slots=True)
class FirstPage:
    """What the top of a document shows."""

    title: str | None
    authors: tuple[str, ...]
    date: str | None  # ISO, possibly partial

    @property
    def year(self) -> int | None:
        return year_of(self.date)


def _top_lines(text: str) -> list[str]:
    first = text.split("\f", 1)[0][:4000]
    lines = [clean_text_line(line) for line in first.splitlines()]
    return [line for line in lines if line][:_TOP_LINES]


def is_title_line(line: str) -> bool:
    """A line that can belong to a title: not a page number, header, date, by-line or sentence."""
    letters = len(_HAS_LETTER.findall(line))
    if letters < 4 or letters < len(line) * 0.5 or len(line) > 160:
        return False
    if sum(c.isdigit() for c in line) > len(line) * 0.25:
        return False
    if line.endswith((".", ";", ",")) and not re.search(r"\b(?:[A-Z]\.)+$|\betc\.$|\.\.\.$", line):
        return False  # titles do not end like sentences
    if _SKIP_LINE.match(line) or _AUTHOR_LINE.match(line):
        return False
    if _MONTH_YEAR.fullmatch(_fold(line)) or _NUMERIC_DATE.fullmatch(line):
        return False
    return not line.endswith("-") or line.endswith(" -")


def _guess_title(lines: list[str]) -> str | None:
    for i, line in enumerate(lines[:15]):
        if not is_title_line(line):
            continue
        # A line that runs into another long one is body text, not a title: give up.
        if len(line) > 70 and i + 1 < len(lines) and len(lines[i + 1]) > 60:
            return None
        parts = [line]
        for nxt in lines[i + 1 : i + _TITLE_MAX_LINES]:
            if not (_CONTINUATION_END.search(parts[-1]) or nxt[:1].islower()):
                break
            if not is_title_line(nxt):
                break
            parts.append(nxt)
        title = " ".join(parts).rstrip(" :,–—-")
        # One word is a heading ('Rapport', 'Name'), not a title, unless it is long or not
        # written with spaces (Chinese, Japanese).
        if " " not in title and title.isascii() and len(title) < 12:
            return None
        return clean_title(title)
    return None


def _guess_date(lines: list[str]) -> str | None:
    for line in lines[:30]:
        folded = _fold(line)
        for m in _MONTH_YEAR.finditer(folded):
            if (month := _MONTHS.get(m[1])) is not None:
                return _iso(int(m[2]), month)
        if m := _NUMERIC_DATE.search(line):
            if m[3]:
                return _iso(int(m[3]), int(m[2]), int(m[1]))
            return _iso(int(m[4]), int(m[5]), int(m[6]) if m[6] else None)
    for line in lines[:15]:
        if len(line) <= 60 and (m := _BARE_YEAR.search(line)):
            return _iso(int(m[1]))
    return None


def _guess_authors(lines: list[str]) -> tuple[str, ...]:
    for line in lines:
        if m := _AUTHOR_LINE.match(line):
            names = split_authors(m[1])
            # 'Par les habitants, pour les habitants' is a sentence, not a by-line.
            if names and all(len(n) <= 80 and n[:1].isupper() for n in names):
                return names
    return ()


def read_first_page(text: str) -> FirstPage:
    """Title, authors and date shown at the top of the text (first page when paged)."""
    lines = _top_lines(text)
    if not lines:
        return FirstPage(None, (), None)
    return FirstPage(_guess_title(lines), _guess_authors(lines), _guess_date(lines))


def first_page_guess(text: str) -> tuple[str | None, tuple[str, ...], int | None]:
    """(title, authors, year) read from the first page when the file's metadata says nothing."""
    page = read_first_page(text)
    return page.title, page.authors, page.year


def choose_date(printed: str | None, file_date: str | None) -> str | None:
    """The document's date from a date printed on its first page and its file's own date.

    The file's creation date says when the file was made (an export, a scan years later), so
    the printed date wins, unless it lies more than a year after the file was made, which
    points to a horizon or a programme period ('Objectif 2030'), not a publication date."""
    printed_year, file_year = year_of(printed), year_of(file_date)
    if printed_year is None:
        return file_date
    if file_year is not None and printed_year > file_year + 1:
        return file_date
    return printed


def split_keywords(raw: str | bytes | Iterable[str] | None) -> tuple[str, ...]:
    """Keywords from a metadata value: 'a, b; c' or a list, cleaned and deduplicated."""
    if not raw:
        return ()
    if isinstance(raw, bytes):
        raw = decode_bytes(raw)
    items = re.split(r"\s*[;,\n]\s*", raw) if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        word = clean_text_line(str(item)).strip(" .")
        if word and _HAS_LETTER.search(word) and word not in out and len(word) <= 100:
            out.append(word)
    return tuple(out)
