"""Bibliographic metadata from what a file carries: titles, authors, dates, first-page guesses.

Order of trust, applied by the extractors: the file's own metadata first (when it is not junk),
then what the first page shows, then the file name. Everything here is pure and cheap: it runs
once per document in the ingest workers.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from urllib.parse import unquote

from library.names import is_organisation

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
    r"converted|temp|tmp|nouvelle page|new page|page sans titre|untitled document|"
    r"(?:modele|template|copie de|copy of)\b.*)"
    # Each repetition takes a whole number or numeral (the lookaheads forbid splitting one),
    # so the pattern cannot backtrack exponentially on 'documentiiiii…!'.
    r"(?:[\s_-]*(?:\(?\d+(?!\d)\)?|[ivx]+(?![ivx])))*$"
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_STEM_MARKS = re.compile(r"_|\b\d{1,4}[-.]\d{1,2}[-.]\d{1,4}\b|\b[vV]\d+\b")
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
    text = _unquote(clean_text_line(str(raw)))
    if not text:
        return None
    text = _APP_PREFIX.sub("", text).strip().rstrip(" :;,–—-")
    had_suffix = bool(_FILE_SUFFIX.search(text))
    if had_suffix:
        text = _FILE_SUFFIX.sub("", text).strip()
        # 'rapport_final_v2.pdf' and 'CR reseau 17-03-11.doc' name files; 'Rapport d'activité
        # 2009.doc' names a document.
        if (" " not in text and text.isascii()) or _STEM_MARKS.search(text):
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


_QUOTE_PAIRS = {'"': '"', "'": "'", "«": "»", "“": "”", "‘": "’"}


def _unquote(text: str) -> str:
    """'« Titre »' -> 'Titre', but '« Manjé byen » : des ateliers' keeps its quotes."""
    text = text.strip()
    while len(text) > 1 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        inner = text[1:-1]
        if text[0] in inner or text[-1] in inner:
            break
        text = inner.strip()
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


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (easier to read and edit than a list)."""
    return frozenset(text.split())


_CIVILITY = re.compile(
    r"^(?:mme|mlle|madame|mademoiselle|monsieur|mr|mrs|ms|dr|pr|prof|professeur)\.?\s+", re.I
)
_JUNK_AUTHORS = re.compile(
    r"^(?:admin|administrateur|administrator|administrateur systeme|user|utilisateur|"
    r"utilisateur windows|windows user|microsoft office user|owner|proprietaire|auteur|author|"
    r"unknown|inconnu|anonymous|anonyme|default|defaut|pc|poste\s*\d*|compaq|hp|dell|"
    r"microsoft|微软用户|системный администратор)$"
)
# Common given names (French first, then frequent others) to tell 'Dupont Marie' from 'Marie
# Dupont'. Only a hint: a name not listed stays as written.
_GIVEN_NAMES = _words(
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
    carmen adeline adrien agnes albert alexandra alexis aline amelie andre andree angelique
    annabelle annick arlette armelle audrey axel beatrice benedicte benjamin benoit blandine
    cedric chloe christelle clarisse clement colette coralie cyril dany daniele danielle
    diane dimitri edith edouard eliane eloise emile eugenie evelyne fabienne fanny felix
    fernand florian franck gabriel gaelle genevieve georges geraldine ghislaine gilbert
    gisele gregory guy gwladys harry hector huguette ingrid irene jacky jeannine jessica
    joel jocelyne josette josiane judith justine laetitia lilian liliane lionel lise lucien
    lucienne ludovic lydia lydie magali manuel marc-antoine margot marianne marielle
    marine marius marjorie marlene maryse max maxime melanie mireille myriam nadege
    nadine noel noelle odette odile olga pamela paulette pauline perrine regine rodolphe
    roland rose roselyne sabine sabrina samuel sandra sebastienne severine simone solange
    stephanie sylvain sylviane tania therese valentin victor violaine viviane xavier yolande
    yvette yvonne zoe aime wesner sharon murielle joelle france luce line ruddy simone marcia
    herve francine jocelyne aurelie marlene lourdes rafael mayra frederic helene regine gerard
    corinne ludovic josiane celestine karine isabel ana"""
)
# Given names that are also frequent surnames ('Marcia Joseph', 'Claire Martin'): they do not
# show that a name is written 'Nom Prénom'.
_SURNAMES_TOO = _words(
    """bernard charles david denis francois gerard henri jacques joseph laurent louis luc marc
    marcel martin maurice michel nicolas paul pierre raymond rene richard robert roger simon
    thomas vincent"""
)
_PARTICLES = frozenset(
    {"de", "du", "des", "d'", "van", "von", "der", "da", "dos", "del", "le", "la"}
)
_BODY_END = re.compile(r"\s(?:Martinique|Antilles|Guadeloupe|Guyane|Cara[ïi]bes?|Caribbean)$")
_INITIAL = re.compile(r"^(?:[A-Z]\.)(?:-?[A-Z]\.)*$")


def _is_organisation(name: str) -> bool:
    return is_organisation(name) or (name.isupper() and " " not in name)


def _given(token: str) -> bool:
    """A common given name; compound ones ('Jean-Pierre') when each part is one."""
    return all(part in _GIVEN_NAMES for part in _fold(token).split("-") if part)


def person_name(name: str) -> str:
    """A person's name as 'Nom, Prénom' when the order can be told; organisations unchanged.

    'Marie Dupont' -> 'Dupont, Marie' (by-lines and metadata mostly say 'Prénom Nom');
    'Dupont Marie' -> 'Dupont, Marie' when only the last word is a known given name;
    'Ali ZORGATI' -> 'ZORGATI, Ali'; 'J. Martin' and 'Martin J.' -> 'Martin, J.'."""
    name = _CIVILITY.sub("", clean_text_line(name)).strip(" ,;")
    if not name or "," in name or _is_organisation(name):
        return name
    parts = name.split()
    if not 2 <= len(parts) <= 4 or _BODY_END.search(name):
        return name  # 'Ecosphère Antilles', 'ADESS Martinique' name bodies
    if any(not p[:1].isupper() for p in parts if p.lower() not in _PARTICLES):
        return name  # 'eng-dept', 'produced by X': not a name we can order
    upper = [i for i, p in enumerate(parts) if p.isupper() and len(p) > 1 and not _INITIAL.match(p)]
    if upper:
        others = [p for i, p in enumerate(parts) if i not in upper]
        # 'ZORGATI Mohamed Ali' is a person; 'DEAL Martinique', 'CAF Sud' are organisations.
        if (
            others
            and any(_given(p) for p in others)
            and upper == list(range(upper[0], upper[-1] + 1))
        ):
            surname = " ".join(parts[i] for i in upper)
            return f"{surname}, {' '.join(others)}"
        return name
    if _INITIAL.match(parts[-1]):  # 'Martin J.'
        return f"{' '.join(parts[:-1])}, {parts[-1]}"
    if _INITIAL.match(parts[0]):  # 'J. Martin', 'M. Dupont'
        return f"{' '.join(parts[1:])}, {parts[0]}"
    if _given(parts[-1]) and not _given(parts[0]) and _fold(parts[-1]) not in _SURNAMES_TOO:
        return f"{' '.join(parts[:-1])}, {parts[-1]}"  # 'Dupont Marie'

    # 'Marie Dupont', 'Mayra Valdés Rodríguez'; 'Ana Isabel Castillo Méndez': every leading
    # given name stays on the given side.
    given = 1
    while (
        given < len(parts) - 1 and _given(parts[given]) and _fold(parts[given]) not in _SURNAMES_TOO
    ):
        given += 1
    return f"{' '.join(parts[given:])}, {' '.join(parts[:given])}"


def _split_conjunctions(text: str) -> list[str]:
    """'Marie Dupont et Jean Martin' -> two names; 'Habitat et Humanisme' stays one (a name
    on each side of 'et' has at least two words)."""
    halves = re.split(r"\s+(?:et|and|y|und|&)\s+", text)
    if len(halves) > 1 and all(len(h.split()) >= 2 for h in halves):
        return halves
    return [text]


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
        pieces = [n for part in re.split(r"\s*[/|]\s*", text) for n in _split_conjunctions(part)]
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
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "january": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "february": 2,
    "feb": 2,
    "mars": 3,
    "march": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juin": 6,
    "june": 6,
    "jun": 6,
    "juillet": 7,
    "juil": 7,
    "july": 7,
    "jul": 7,
    "aout": 8,
    "august": 8,
    "aug": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "september": 9,
    "octobre": 10,
    "oct": 10,
    "october": 10,
    "novembre": 11,
    "nov": 11,
    "november": 11,
    "decembre": 12,
    "dec": 12,
    "december": 12,
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
_YEAR = r"(19[5-9]\d|20[0-3]\d)"
_MONTH_YEAR = re.compile(
    r"\b([a-z]{3,10})\.?,?\s+(?:\d{1,2}(?:er)?,?\s+)?(?:de\s+)?" + _YEAR + r"\b"
)
_NUMERIC_DATE = re.compile(
    r"\b(?:(\d{1,2})[/.](\d{1,2})[/.]" + _YEAR + r"|" + _YEAR + r"-(\d{2})(?:-(\d{2}))?)\b"
)
_BARE_YEAR = re.compile(r"(?<![\d.,/-])" + _YEAR + r"(?![\d.,]\d|\d)")
_BYLINE = re.compile(
    # 'Rapport rédigé par', 'présenté au conseil d'administration par', 'Prepared by'
    r"(?:^|\b)(?:(?:r[ée]dig|r[ée]alis|[ée]tabli|[ée]crit|coordonn|pr[ée]par|pr[ée]sent|rassembl|"
    r"compil|conduit|prepared|written|edited|compiled)\w*(?:\s+[^\s,;]+){0,5}?\s+(?:par|by)"
    # 'Par Marie Dupont', 'Auteur(s) : …', 'Rédaction : …' at the start of a line
    r"|^(?:par|by|auteur(?:\(?e?s?\)?)?|author(?:\(?s\)?)?|auteures?|autrices?|r[ée]daction|"
    r"sous la direction de|coordination)\s*:?"
    # '…, mairie annexe. Rédaction :' with the names on the next line
    r"|(?<=[.;]\s)(?:r[ée]daction|auteurs?|auteur\(?s\)?)\s*:)\s*(.*)$",
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
    r"the|and|for|in|on|to|a|an|with|y|del|los|las|el)|[:,–—-])$",
    re.IGNORECASE,
)
_DASHES = re.compile(r"\s+[—–-]\s+")
_TITLE_MAX_LINES, _TOP_LINES, _DATE_LINES = 3, 40, 12


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


def _is_date_line(line: str) -> bool:
    """'Juin 2009', 'le 6 décembre 2010', '2004-08': a date and nothing else."""
    folded = _NUMERIC_DATE.sub(" ", _MONTH_YEAR.sub(" ", _fold(line)))
    rest = re.sub(r"\b(?:le|du|\d{1,2}(?:er)?)\b", " ", folded)
    return folded != _fold(line) and len(_HAS_LETTER.findall(rest)) < 3


def is_title_line(line: str) -> bool:
    """A line that can belong to a title: not a page number, header, date, by-line or sentence."""
    letters = len(_HAS_LETTER.findall(line))
    if letters < 4 or letters < len(line) * 0.5 or len(line) > 160:
        return False
    if sum(c.isdigit() for c in line) > len(line) * 0.35:
        return False
    if line.endswith((".", ";", ",")) and not re.search(r"\b(?:[A-Z]\.)+$|\betc\.$|\.\.\.$", line):
        return False  # titles do not end like sentences
    if _SKIP_LINE.match(line) or _BYLINE.search(line) or _is_date_line(line):
        return False
    return not line.endswith("-") or line.endswith(" -")


def _guess_title(lines: list[str]) -> tuple[str | None, range]:
    """The title and the indexes of the lines it spans."""
    for i, line in enumerate(lines[:15]):
        if not is_title_line(line):
            continue
        # A line that runs on into the next one as a sentence does is body text: give up.
        if len(line) > 70 and i + 1 < len(lines) and lines[i + 1][:1].islower():
            return None, range(0)
        parts = [line]
        for nxt in lines[i + 1 : i + _TITLE_MAX_LINES]:
            if not (_CONTINUATION_END.search(parts[-1]) or nxt[:1].islower()):
                break
            if not is_title_line(nxt):
                break
            parts.append(nxt)
        span = range(i, i + len(parts))
        title = " ".join(parts).rstrip(" :,–—-")
        # One word is a heading ('Rapport', 'Name'), not a title, unless it is long or not
        # written with spaces (Chinese, Japanese).
        if (" " not in title and title.isascii() and len(title) < 12) or len(title) > 250:
            return None, span
        return clean_title(title), span
    return None, range(0)


def _guess_date(lines: list[str], skip: Container[int]) -> str | None:
    """The date printed near the top, title lines left out ('la loi du 23 juin 2011').

    A date closing a line ('… — juin 2009', 'Fort-de-France, le 6 décembre 2010') is the
    document's own; a date inside a sentence may be an event's; bare years come last."""
    found: list[tuple[int, int, str]] = []  # (rank, line number, iso)
    for number, line in enumerate(lines[:_DATE_LINES]):
        if number in skip or len(line) > 200:  # a long line is a paragraph of the body
            continue
        if number + 1 < len(lines) and _MONTH_AT_END.search(_fold(line)):
            line = f"{line} {lines[number + 1]}"  # '… — abril de' / '2012'
        folded = _AS_OF.sub(" ", _fold(line))
        for m in _MONTH_YEAR.finditer(folded):
            if (month := _MONTHS.get(m[1])) is not None and (iso := _iso(int(m[2]), month)):
                closing = not folded[m.end() :].strip(" .,;)")
                found.append((0 if closing else 1, number, iso))
                break
        if numeric := _NUMERIC_DATE.search(_AS_OF.sub(" ", line)):
            if numeric[3]:
                iso = _iso(int(numeric[3]), int(numeric[2]), int(numeric[1]))
            else:
                iso = _iso(
                    int(numeric[4]), int(numeric[5]), int(numeric[6]) if numeric[6] else None
                )
            if iso:
                found.append((2, number, iso))
        if number < 15 and len(line) <= 60 and (bare := _BARE_YEAR.search(line)):
            found.append((3, number, f"{bare[1]}"))
    return min(found)[2] if found else None


# 'au 31 décembre 2008', 'depuis mars 2007': the date data are counted to, not the document's.
_AS_OF = re.compile(
    r"\b(?:au|jusqu'au|depuis(?: le)?|as of|since)\s+(?:\d{1,2}(?:er)?\s+)?[a-z]{3,10}\.?\s+"
    + _YEAR
    + r"|\b(?:au|jusqu'au|depuis le)\s+\d{1,2}[/.]\d{1,2}[/.]"
    + _YEAR,
    re.IGNORECASE,
)
_MONTH_AT_END = re.compile(
    r"\b(?:" + "|".join(m for m in _MONTHS if len(m) > 3) + r")(?:\s+de)?\s*$"
)
# Words before a date in a title that make it the date of a text cited, not the document's.
_CITED_DATE = re.compile(r"\b(?:loi|decret|arrete|ordonnance|circulaire|directive)\b")


def _byline_names(text: str) -> tuple[str, ...]:
    """Names at the start of a by-line, up to the first role, date or sentence."""
    text = _DASHES.split(text, maxsplit=1)[0]
    text = re.sub(r"\([^)]*\)?", "", text)  # affiliations and roles in brackets
    names: list[str] = []
    for segment in text.split(";"):
        for piece in _split_names(segment):
            piece = piece.strip(" .,:")
            if not piece or not piece[:1].isupper() or len(piece.split()) > 8:
                break  # 'chargée de mission', 'avec la participation de…'
            if _MONTH_YEAR.search(_fold(piece)) or not _HAS_LETTER.search(piece):
                break
            names.append(piece)
    return split_authors(";".join(names)) if names else ()


def _split_names(text: str) -> list[str]:
    """'A B, C D et E F' -> ['A B', 'C D', 'E F']; 'Études et Conseil' stays whole."""
    return [n for piece in re.split(r"\s*,\s*", text) for n in _split_conjunctions(piece)]


def _guess_authors(lines: list[str]) -> tuple[str, ...]:
    for number, line in enumerate(lines):
        if m := _BYLINE.search(line):
            rest = m[1].strip()
            if not rest and number + 1 < len(lines):  # 'Rédaction :' ends the line
                rest = lines[number + 1]
            if names := _byline_names(rest):
                return names
    return ()


def read_first_page(text: str, known_title: str | None = None) -> FirstPage:
    """Title, authors and date shown at the top of the text (first page when paged).

    Lines of the title (the guessed one, or `known_title` from the file's metadata) are left
    out of the date search: 'de la RHI à la loi du 23 juin 2011' dates a law, not the book."""
    lines = _top_lines(text)
    if not lines:
        return FirstPage(None, (), None)
    title, span = _guess_title(lines)
    skip = set(span)
    if known_title:
        folded_title = _fold(known_title)
        skip.update(i for i, line in enumerate(lines) if _fold(line) in folded_title)
    # A date in the title is the document's ('Compte rendu de l'atelier du 9 février 2013')
    # unless a cited text carries it ('de la RHI à la loi du 23 juin 2011').
    skip = {i for i in skip if _CITED_DATE.search(_fold(" ".join(lines[max(0, i - 1) : i + 1])))}
    return FirstPage(title, _guess_authors(lines), _guess_date(lines, skip))


def first_page_guess(text: str) -> tuple[str | None, tuple[str, ...], int | None]:
    """(title, authors, year) read from the first page when the file's metadata says nothing."""
    page = read_first_page(text)
    return page.title, page.authors, page.year


def choose_date(printed: str | None, file_date: str | None) -> str | None:
    """The document's date from a date printed on its first page and its file's own date.

    The file's creation date says when the file was made, which for a scan or a conversion
    is years after publication, so a printed month ('juin 2009') wins. Two exceptions:
    - a printed date more than a year after the file was made is a horizon or a programme
      period ('Objectif 2030'), not a publication date: the file's date wins;
    - a printed bare year is weaker evidence ('bilan 2008', 'contrat 2007-2013' name the
      period covered): when the file was made within three years after it, the file was
      most likely made for the publication, and its fuller date wins."""
    printed_year, file_year = year_of(printed), year_of(file_date)
    if printed_year is None or printed is None:
        return file_date
    if file_year is None:
        return printed
    if printed_year > file_year + 1:
        return file_date
    # 'workshop, November 2012' in a file saved in October: the printed month is an event
    # still to come when the document was written, not its date.
    if len(printed) >= 7 and len(file_date or "") >= 7 and printed[:7] > (file_date or "")[:7]:
        return file_date
    if len(printed) == 4 and 0 <= file_year - printed_year <= 3:
        return file_date
    return printed


_SIGNED = re.compile(
    r"\bfait (?:a|au) [^,\n]{2,40},?\s+le\s+(\d{1,2})(?:er)?\s+([a-z]{3,10})\s+" + _YEAR
)


def signature_date(text: str) -> str | None:
    """The date an official text or a letter was signed: 'Fait à Fort-de-France, le 21
    septembre 2007' (the last one, near the signature)."""
    found = None
    for m in _SIGNED.finditer(_fold(text[-20000:])):
        if (month := _MONTHS.get(m[2])) is not None:
            found = _iso(int(m[3]), month, int(m[1])) or found
    return found


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
