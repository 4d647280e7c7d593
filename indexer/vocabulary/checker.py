"""The documentalist's vocabulary file, read and checked: the first mistake, with its line.

`load_vocabulary(path)` and `parse_vocabulary(text)` return a `Vocabulary` or raise
`VocabularyError`: a code (`VocabularyProblem`), its facts, the file and, when known, the line;
the edges (`webapp.messages.vocabulary_problem`) put it into one French line
("vocabulary.toml, ligne 12 : …"). The file format is documented at the top of `indexer/data/vocabulary.toml`.
`tomllib` gives no positions for values, so semantic errors are located by a small scan of the
source lines (`_Locator`): good enough to point a documentalist at the right place.
"""

from __future__ import annotations

import json
import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..analysis import analyze
from .model import (
    DEFAULT_URI,
    DEFAULT_WEIGHTS,
    FOREIGN_LANGUAGES,
    KINDS,
    Acronym,
    TermKind,
    Theme,
    Vocabulary,
    acronym_key,
)

_TOP_KEYS = ("vocabulaire", "poids", "thematique")
_SCHEME_KEYS = ("titre", "uri", "version")
_THEME_KEYS = (
    "slug",
    "libelle",
    "note",
    "termes",
    "synonymes",
    "associes",
    "specifiques",
    "indices",
    "en",
    "es",
    "sigles",
    "traductions",
    "poids",
)
_LIST_KEYS = {"termes": TermKind.TERM, "specifiques": TermKind.NARROWER, "indices": TermKind.CUE}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ACRONYM = re.compile(r"^[^\W_][\w.-]*$")


class VocabularyProblem(StrEnum):
    """Every reason a vocabulary cannot be used; the params are named beside each."""

    # The file
    UNREADABLE = "unreadable"  # error: the system's reason
    NOT_FOUND = "not-found"
    NOT_UTF8 = "not-utf8"
    TOO_LARGE = "too-large"  # limit_mb
    UNKNOWN_FORMAT = "unknown-format"  # format (SKOS import)
    UNSAFE_XML = "unsafe-xml"  # a DTD or entity declaration (SKOS import)
    SKOS_UNREADABLE = "skos-unreadable"  # detail: the RDF parser's words
    NO_CONCEPT = "no-concept"  # a SKOS file without any concept
    TOML_SYNTAX = "toml-syntax"  # syntax: a TomlSyntax code; detail; column; end_of_file
    # The tables and keys
    UNKNOWN_KEY = "unknown-key"  # key, allowed; table: "" (top), "vocabulaire", "thematique"
    SCHEME_NOT_A_TABLE = "scheme-not-a-table"
    SCHEME_NOT_A_STRING = "scheme-not-a-string"  # key
    NO_THEME = "no-theme"
    THEME_NOT_A_TABLE = "theme-not-a-table"
    # A thematic (each with its slug, when known)
    DUPLICATE_SLUG = "duplicate-slug"  # slug, first_line
    NO_SLUG = "no-slug"
    BAD_SLUG = "bad-slug"  # slug
    NO_LABEL = "no-label"  # slug
    NOTE_NOT_A_STRING = "note-not-a-string"  # slug
    NO_TERM = "no-term"  # slug
    STOPWORDS_ONLY = "stopwords-only"  # term, slug
    NOT_A_LIST = "not-a-list"  # key, slug
    NOT_STRINGS = "not-strings"  # key, slug
    EMPTY_TERM = "empty-term"  # key, slug
    SYNONYMS_NOT_A_LIST = "synonyms-not-a-list"  # slug
    BAD_SYNONYM_GROUP = "bad-synonym-group"  # slug
    BAD_RELATED_GROUP = "bad-related-group"  # slug
    ACRONYMS_NOT_A_TABLE = "acronyms-not-a-table"  # slug
    BAD_ACRONYM = "bad-acronym"  # acronym, slug
    DUPLICATE_ACRONYM = "duplicate-acronym"  # acronym, slug
    ACRONYM_WITHOUT_EXPANSION = "acronym-without-expansion"  # acronym, slug
    TRANSLATIONS_NOT_A_TABLE = "translations-not-a-table"  # slug
    BAD_TRANSLATION = "bad-translation"  # term, slug
    # Weights, of the whole file (slug "") or of a thematic
    WEIGHTS_NOT_A_TABLE = "weights-not-a-table"  # slug
    UNKNOWN_KIND = "unknown-kind"  # kind, allowed, slug
    WEIGHT_NOT_A_TERM = "weight-not-a-term"  # term, slug
    BAD_WEIGHT = "bad-weight"  # term, slug


class TomlSyntax(StrEnum):
    """What the TOML parser found wrong, when the checker recognises it."""

    EQUALS_EXPECTED = "equals-expected"
    UNTERMINATED_STRING = "unterminated-string"
    UNCLOSED_ARRAY = "unclosed-array"
    UNCLOSED_TABLE = "unclosed-table"
    KEY_REDEFINED = "key-redefined"
    TABLE_REDECLARED = "table-redeclared"
    INVALID_VALUE = "invalid-value"
    INVALID_KEY = "invalid-key"
    TRAILING_TEXT = "trailing-text"
    ILLEGAL_CHARACTER = "illegal-character"
    OTHER = "other"  # detail: the parser's own (English) words


class VocabularyError(Exception):
    """A vocabulary that cannot be used: a code and its facts, worded at the edge.

    `path` names the file as the documentalist knows it; `imported` says it is a SKOS file
    being imported; `line` (and `params["column"]`) locate the mistake when known."""

    def __init__(
        self,
        code: VocabularyProblem,
        *,
        path: str | None = None,
        line: int | None = None,
        imported: bool = False,
        **params: Any,
    ) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {code} {params}" if params else f"{where}: {code}")
        self.code = code
        self.path = path
        self.line = line
        self.imported = imported
        self.params = params


# -- loading ---------------------------------------------------------------------------------


def load_vocabulary(path: Path) -> Vocabulary:
    """Read and validate a vocabulary file; raise VocabularyError with a French message."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise VocabularyError(VocabularyProblem.UNREADABLE, path=str(path), error=reason) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise VocabularyError(VocabularyProblem.NOT_UTF8, path=str(path), line=line) from exc
    return parse_vocabulary(text, source=str(path))


def parse_vocabulary(
    text: str, *, source: str = "vocabulaire", imported: bool = False
) -> Vocabulary:
    """Validate the text of a vocabulary file (`source` names it in messages; `imported`: it
    comes from a SKOS file being imported)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(exc, source, text, imported) from exc
    return _Validator(data, _Locator(text), source, imported).vocabulary()


# -- errors and their place in the file -------------------------------------------------------

_TOML_MESSAGES = (
    ("Expected '=' after a key", TomlSyntax.EQUALS_EXPECTED),
    ("Unterminated string", TomlSyntax.UNTERMINATED_STRING),
    ("Unclosed array", TomlSyntax.UNCLOSED_ARRAY),
    ("Unclosed inline table", TomlSyntax.UNCLOSED_TABLE),
    ("Cannot overwrite a value", TomlSyntax.KEY_REDEFINED),
    ("Cannot declare", TomlSyntax.TABLE_REDECLARED),
    ("Invalid value", TomlSyntax.INVALID_VALUE),
    ("Invalid initial character for a key part", TomlSyntax.INVALID_KEY),
    ("Expected newline or end of document", TomlSyntax.TRAILING_TEXT),
    ("Illegal character", TomlSyntax.ILLEGAL_CHARACTER),
)
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _syntax_error(
    exc: tomllib.TOMLDecodeError, source: str, text: str, imported: bool
) -> VocabularyError:
    detail = str(exc)
    match = _AT_LINE.search(detail)
    syntax = next((code for en, code in _TOML_MESSAGES if detail.startswith(en)), TomlSyntax.OTHER)
    english = _AT_LINE.sub("", detail).replace("(at end of document)", "").strip()
    facts: dict[str, Any] = {"syntax": syntax, "detail": english}
    if "(at end of document)" in detail:  # something left open: the last line is the clue
        line = len(text.rstrip("\n").splitlines()) or 1
        return VocabularyError(
            VocabularyProblem.TOML_SYNTAX,
            path=source,
            line=line,
            imported=imported,
            end_of_file=True,
            **facts,
        )
    if match:
        return VocabularyError(
            VocabularyProblem.TOML_SYNTAX,
            path=source,
            line=int(match.group(1)),
            imported=imported,
            column=int(match.group(2)),
            **facts,
        )
    return VocabularyError(VocabularyProblem.TOML_SYNTAX, path=source, imported=imported, **facts)


class _Locator:
    """Finds the source line of a thematic's key or value (tomllib keeps no positions)."""

    _HEADER = re.compile(r"^\s*\[\[\s*thematique\s*\]\]")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [i for i, line in enumerate(self.lines) if self._HEADER.match(line)]

    def _span(self, theme: int | None) -> range:
        if theme is None or theme >= len(self.headers):
            end = self.headers[0] if self.headers else len(self.lines)
            return range(0, end)
        start = self.headers[theme]
        end = self.headers[theme + 1] if theme + 1 < len(self.headers) else len(self.lines)
        return range(start, end)

    def theme(self, theme: int) -> int | None:
        return self.headers[theme] + 1 if theme < len(self.headers) else None

    def key(self, key: str, theme: int | None = None) -> int | None:
        # Asked for every key of a valid file too: a regular expression compiled per key
        # was half a second of every command's start.
        for i in self._span(theme):
            line = self.lines[i]
            if key in line and defines_key(line, key):
                return i + 1
        return None

    def value(self, value: str, theme: int | None = None) -> int | None:
        quoted = json.dumps(value, ensure_ascii=False)
        for i in self._span(theme):
            if quoted in self.lines[i] or f"'{value}'" in self.lines[i]:
                return i + 1
        return None


def defines_key(line: str, key: str) -> bool:
    """A TOML line that defines `key`: `key =`, `"key" =`, `[key]` or `[thematique.key]`."""
    rest = line.lstrip()
    if rest.startswith("["):
        inside = rest[1:].lstrip()
        if inside.startswith("thematique"):
            dotted = inside[len("thematique") :].lstrip()
            if dotted.startswith(".") and _closes(dotted[1:].lstrip(), key):
                return True
        return _closes(inside, key)
    if rest.startswith('"'):
        rest = rest[1:]
    if not rest.startswith(key):
        return False
    rest = rest[len(key) :]
    if rest.startswith('"'):
        rest = rest[1:]
    return rest.lstrip().startswith("=")


def _closes(text: str, key: str) -> bool:
    return text.startswith(key) and text[len(key) :].lstrip().startswith("]")


P = VocabularyProblem


class _Validator:
    """Turns parsed TOML into a Vocabulary, or raises the first error with its line."""

    def __init__(self, data: dict[str, Any], where: _Locator, source: str, imported: bool) -> None:
        self.data = data
        self.where = where
        self.source = source
        self.imported = imported

    def fail(
        self, code: VocabularyProblem, line: int | None = None, **params: Any
    ) -> VocabularyError:
        return VocabularyError(code, path=self.source, line=line, imported=self.imported, **params)

    def vocabulary(self) -> Vocabulary:
        for key in self.data:
            if key not in _TOP_KEYS:
                raise self.fail(
                    P.UNKNOWN_KEY, self.where.key(key), key=key, table="", allowed=_TOP_KEYS
                )
        scheme = self.data.get("vocabulaire", {})
        if not isinstance(scheme, dict):
            raise self.fail(P.SCHEME_NOT_A_TABLE)
        for key, value in scheme.items():
            if key not in _SCHEME_KEYS:
                raise self.fail(
                    P.UNKNOWN_KEY,
                    self.where.key(key),
                    key=key,
                    table="vocabulaire",
                    allowed=_SCHEME_KEYS,
                )
            if not isinstance(value, str):
                raise self.fail(P.SCHEME_NOT_A_STRING, self.where.key(key), key=key)
        weights = self._weights(self.data.get("poids", {}), None, allowed=KINDS)
        themes = self.data.get("thematique")
        if not isinstance(themes, list) or not themes:
            raise self.fail(P.NO_THEME)
        parsed: list[Theme] = []
        slugs: dict[str, int] = {}
        for index, raw in enumerate(themes):
            theme = self._theme(index, raw)
            if theme.slug in slugs:
                first = slugs[theme.slug]
                raise self.fail(
                    P.DUPLICATE_SLUG,
                    self.where.key("slug", index),
                    slug=theme.slug,
                    first_line=self.where.theme(first),
                )
            slugs[theme.slug] = index
            parsed.append(theme)
        return Vocabulary(
            themes=tuple(parsed),
            title=scheme.get("titre", ""),
            uri=scheme.get("uri", DEFAULT_URI) or DEFAULT_URI,
            version=scheme.get("version", ""),
            default_weights=tuple({**DEFAULT_WEIGHTS, **weights}.items()),
        )

    def _theme(self, index: int, raw: Any) -> Theme:
        at = self.where.theme(index)
        if not isinstance(raw, dict):
            raise self.fail(P.THEME_NOT_A_TABLE, at)
        for key in raw:
            if key not in _THEME_KEYS:
                raise self.fail(
                    P.UNKNOWN_KEY,
                    self.where.key(key, index) or at,
                    key=key,
                    table="thematique",
                    allowed=_THEME_KEYS,
                )
        slug = raw.get("slug")
        if not isinstance(slug, str) or not slug.strip():
            raise self.fail(P.NO_SLUG, at)
        if not _SLUG.match(slug):
            raise self.fail(P.BAD_SLUG, self.where.key("slug", index) or at, slug=slug)
        label = raw.get("libelle")
        if not isinstance(label, str) or not label.strip():
            raise self.fail(P.NO_LABEL, at, slug=slug)
        note = raw.get("note", "")
        if not isinstance(note, str):
            raise self.fail(P.NOTE_NOT_A_STRING, self.where.key("note", index), slug=slug)
        lists = {key: self._strings(raw, key, index, slug) for key in (*_LIST_KEYS, "en", "es")}
        synonyms = self._synonyms(raw.get("synonymes", []), index, slug)
        related = self._synonyms(raw.get("associes", []), index, slug, "associes")
        acronyms = self._acronyms(raw.get("sigles", {}), index, slug)
        translations = self._translations(raw.get("traductions", {}), index, slug)
        theme = Theme(
            slug=slug,
            label=label.strip(),
            scope_note=" ".join(note.split()),
            terms=lists["termes"],
            synonyms=synonyms,
            narrower=lists["specifiques"],
            cues=lists["indices"],
            acronyms=acronyms,
            foreign=tuple((lang, lists[lang]) for lang in FOREIGN_LANGUAGES if lists[lang]),
            translations=translations,
            related=related,
        )
        known = set(theme.all_texts())
        if not known:
            raise self.fail(P.NO_TERM, at, slug=slug)
        for term in theme.weighted_terms():
            is_acronym = (
                term.kind == TermKind.ACRONYM and term.text == term.concept
            )  # matched as written
            if not is_acronym and not analyze(term.text, term.language):
                raise self.fail(
                    P.STOPWORDS_ONLY,
                    self.where.value(term.text, index) or at,
                    term=term.text,
                    slug=slug,
                )
        weights = self._weights(raw.get("poids", {}), index, known=known, slug=slug)
        return Theme(**{**_fields(theme), "weights": tuple(weights.items())})

    def _strings(self, raw: dict[str, Any], key: str, index: int, slug: str) -> tuple[str, ...]:
        values = raw.get(key, [])
        line = self.where.key(key, index)
        if not isinstance(values, list):
            raise self.fail(P.NOT_A_LIST, line, key=key, slug=slug)
        out: dict[str, None] = {}
        for value in values:
            if not isinstance(value, str):
                raise self.fail(P.NOT_STRINGS, line, key=key, slug=slug)
            if not value.strip():
                raise self.fail(P.EMPTY_TERM, line, key=key, slug=slug)
            out.setdefault(" ".join(value.split()), None)
        return tuple(out)

    def _synonyms(
        self, values: Any, index: int, slug: str, key: str = "synonymes"
    ) -> tuple[tuple[str, ...], ...]:
        """Groups of expressions (synonymes, or associes: related expressions)."""
        line = self.where.key(key, index)
        if not isinstance(values, list):
            raise self.fail(P.SYNONYMS_NOT_A_LIST, line, slug=slug, key=key)
        groups = []
        for group in values:
            if (
                not isinstance(group, list)
                or len(group) < 2
                or not all(isinstance(v, str) and v.strip() for v in group)
            ):
                code = P.BAD_SYNONYM_GROUP if key == "synonymes" else P.BAD_RELATED_GROUP
                raise self.fail(code, line, slug=slug, key=key)
            groups.append(tuple(dict.fromkeys(" ".join(v.split()) for v in group)))
        return tuple(groups)

    def _acronyms(self, table: Any, index: int, slug: str) -> tuple[Acronym, ...]:
        line = self.where.key("sigles", index)
        if not isinstance(table, dict):
            raise self.fail(P.ACRONYMS_NOT_A_TABLE, line, slug=slug)
        out: list[Acronym] = []
        seen: dict[str, str] = {}
        for acronym, value in table.items():
            at = self.where.key(acronym, index) or line
            if not _ACRONYM.match(acronym) or sum(c.isalpha() for c in acronym) < 2:
                raise self.fail(P.BAD_ACRONYM, at, acronym=acronym, slug=slug)
            key = acronym_key(acronym)
            if key in seen:
                raise self.fail(P.DUPLICATE_ACRONYM, at, acronym=acronym, slug=slug)
            seen[key] = acronym
            expansions = [value] if isinstance(value, str) else value
            if (
                not isinstance(expansions, list)
                or not expansions
                or not all(isinstance(e, str) and e.strip() for e in expansions)
            ):
                raise self.fail(P.ACRONYM_WITHOUT_EXPANSION, at, acronym=acronym, slug=slug)
            out.append(Acronym(acronym, tuple(" ".join(e.split()) for e in expansions)))
        return tuple(out)

    def _translations(
        self, table: Any, index: int, slug: str
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        line = self.where.key("traductions", index)
        if not isinstance(table, dict):
            raise self.fail(P.TRANSLATIONS_NOT_A_TABLE, line, slug=slug)
        out = []
        for french, value in table.items():
            at = self.where.key(french, index) or line
            others = [value] if isinstance(value, str) else value
            if (
                not analyze(french)
                or not isinstance(others, list)
                or not others
                or not all(isinstance(o, str) and o.strip() for o in others)
            ):
                raise self.fail(P.BAD_TRANSLATION, at, term=french, slug=slug)
            out.append((" ".join(french.split()), tuple(" ".join(o.split()) for o in others)))
        return tuple(out)

    def _weights(
        self,
        table: Any,
        index: int | None,
        *,
        allowed: tuple[str, ...] | None = None,
        known: set[str] | None = None,
        slug: str = "",
    ) -> dict[str, float]:
        if not isinstance(table, dict):
            raise self.fail(P.WEIGHTS_NOT_A_TABLE, self.where.key("poids", index), slug=slug)
        out: dict[str, float] = {}
        for key, value in table.items():
            at = self.where.key(key, index) or self.where.key("poids", index)
            if allowed is not None and key not in allowed:
                raise self.fail(P.UNKNOWN_KIND, at, kind=key, allowed=allowed, slug=slug)
            if known is not None and key not in known:
                raise self.fail(P.WEIGHT_NOT_A_TERM, at, term=key, slug=slug)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise self.fail(P.BAD_WEIGHT, at, term=key, slug=slug)
            out[key] = float(value)
        return out


def _fields(theme: Theme) -> dict[str, Any]:
    return {name: getattr(theme, name) for name in Theme.__dataclass_fields__}
