"""The documentalist's vocabulary file, read and checked: one French line per mistake.

`load_vocabulary(path)` and `parse_vocabulary(text)` return a `Vocabulary` or raise
`VocabularyError` whose message names the file and, when known, the line ("vocabulary.toml,
ligne 12 : …"). The file format is documented at the top of `indexer/data/vocabulary.toml`.
`tomllib` gives no positions for values, so semantic errors are located by a small scan of the
source lines (`_Locator`): good enough to point a documentalist at the right place.
"""

from __future__ import annotations

import json
import re
import tomllib
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


class VocabularyError(Exception):
    """A vocabulary that cannot be used; `str()` is the French line to show."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line


# -- loading ---------------------------------------------------------------------------------


def load_vocabulary(path: Path) -> Vocabulary:
    """Read and validate a vocabulary file; raise VocabularyError with a French message."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise VocabularyError(f"{path} : fichier illisible ({reason})", path=str(path)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise VocabularyError(
            f"{path}, ligne {line} : le fichier doit être enregistré en UTF-8",
            path=str(path),
            line=line,
        ) from exc
    return parse_vocabulary(text, source=str(path))


def parse_vocabulary(text: str, *, source: str = "vocabulaire") -> Vocabulary:
    """Validate the text of a vocabulary file (`source` names it in messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(exc, source, text) from exc
    return _Validator(data, _Locator(text), source).vocabulary()


# -- errors and their place in the file -------------------------------------------------------

_TOML_MESSAGES = (
    ("Expected '=' after a key", "« = » attendu après le nom de la clé"),
    ("Unterminated string", "guillemet fermant manquant"),
    ("Unclosed array", "crochet fermant « ] » manquant dans la liste"),
    ("Unclosed inline table", "accolade fermante « } » manquante"),
    ("Cannot overwrite a value", "clé déjà définie plus haut"),
    ("Cannot declare", "table déclarée deux fois"),
    ("Invalid value", "valeur invalide (une chaîne doit être entre guillemets)"),
    (
        "Invalid initial character for a key part",
        "nom de clé invalide (mettez-le entre guillemets)",
    ),
    ("Expected newline or end of document", "texte inattendu après la valeur"),
    ("Illegal character", "caractère interdit"),
)
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _syntax_error(exc: tomllib.TOMLDecodeError, source: str, text: str) -> VocabularyError:
    detail = str(exc)
    match = _AT_LINE.search(detail)
    reason = next((fr for en, fr in _TOML_MESSAGES if detail.startswith(en)), None)
    english = _AT_LINE.sub("", detail).replace("(at end of document)", "").strip()
    reason = reason or f"syntaxe invalide ({english})"
    if "(at end of document)" in detail:  # something left open: the last line is the clue
        line = len(text.rstrip("\n").splitlines()) or 1
        return VocabularyError(
            f"{source}, ligne {line} (fin du fichier) : erreur de syntaxe TOML : {reason}"
            " (crochet, accolade ou guillemet non fermé ?)",
            path=source,
            line=line,
        )
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        return VocabularyError(
            f"{source}, ligne {line}, colonne {column} : erreur de syntaxe TOML : {reason}",
            path=source,
            line=line,
        )
    return VocabularyError(f"{source} : erreur de syntaxe TOML : {reason}", path=source)


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
        pattern = re.compile(
            rf"^\s*(?:\"?{re.escape(key)}\"?\s*=|\[\s*(?:thematique\s*\.\s*)?{re.escape(key)}\s*\])"
        )
        return self._first(pattern, theme)

    def value(self, value: str, theme: int | None = None) -> int | None:
        quoted = json.dumps(value, ensure_ascii=False)
        for i in self._span(theme):
            if quoted in self.lines[i] or f"'{value}'" in self.lines[i]:
                return i + 1
        return None

    def _first(self, pattern: re.Pattern[str], theme: int | None) -> int | None:
        for i in self._span(theme):
            if pattern.search(self.lines[i]):
                return i + 1
        return None


class _Validator:
    """Turns parsed TOML into a Vocabulary, or raises the first error with its line."""

    def __init__(self, data: dict[str, Any], where: _Locator, source: str) -> None:
        self.data = data
        self.where = where
        self.source = source

    def fail(self, message: str, line: int | None = None) -> VocabularyError:
        place = f"{self.source}, ligne {line}" if line else self.source
        return VocabularyError(f"{place} : {message}", path=self.source, line=line)

    def vocabulary(self) -> Vocabulary:
        for key in self.data:
            if key not in _TOP_KEYS:
                raise self.fail(
                    f"clé inconnue « {key} » (clés permises : {', '.join(_TOP_KEYS)})",
                    self.where.key(key),
                )
        scheme = self.data.get("vocabulaire", {})
        if not isinstance(scheme, dict):
            raise self.fail("« vocabulaire » doit être une table [vocabulaire]")
        for key, value in scheme.items():
            if key not in _SCHEME_KEYS:
                raise self.fail(
                    f"clé inconnue « {key} » dans [vocabulaire] (clés permises :"
                    f" {', '.join(_SCHEME_KEYS)})",
                    self.where.key(key),
                )
            if not isinstance(value, str):
                raise self.fail(
                    f"« {key} » doit être une chaîne entre guillemets", self.where.key(key)
                )
        weights = self._weights(self.data.get("poids", {}), None, allowed=KINDS)
        themes = self.data.get("thematique")
        if not isinstance(themes, list) or not themes:
            raise self.fail("aucune thématique : chaque thématique commence par [[thematique]]")
        parsed: list[Theme] = []
        slugs: dict[str, int] = {}
        for index, raw in enumerate(themes):
            theme = self._theme(index, raw)
            if theme.slug in slugs:
                first = slugs[theme.slug]
                raise self.fail(
                    f"slug « {theme.slug} » en double (déjà utilisé par la thématique de la"
                    f" ligne {self.where.theme(first)})",
                    self.where.key("slug", index),
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
            raise self.fail("une thématique doit être une table [[thematique]]", at)
        for key in raw:
            if key not in _THEME_KEYS:
                raise self.fail(
                    f"clé inconnue « {key} » dans une thématique (clés permises :"
                    f" {', '.join(_THEME_KEYS)})",
                    self.where.key(key, index) or at,
                )
        slug = raw.get("slug")
        if not isinstance(slug, str) or not slug.strip():
            raise self.fail("thématique sans « slug »", at)
        if not _SLUG.match(slug):
            raise self.fail(
                f"slug « {slug} » invalide : minuscules sans accents, chiffres et tirets",
                self.where.key("slug", index) or at,
            )
        label = raw.get("libelle")
        if not isinstance(label, str) or not label.strip():
            raise self.fail(f"la thématique « {slug} » n'a pas de « libelle »", at)
        note = raw.get("note", "")
        if not isinstance(note, str):
            raise self.fail(
                f"« note » de « {slug} » doit être une chaîne", self.where.key("note", index)
            )
        lists = {key: self._strings(raw, key, index, slug) for key in (*_LIST_KEYS, "en", "es")}
        synonyms = self._synonyms(raw.get("synonymes", []), index, slug)
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
        )
        known = set(theme.all_texts())
        if not known:
            raise self.fail(f"la thématique « {slug} » n'a aucun terme", at)
        for term in theme.weighted_terms():
            is_acronym = (
                term.kind == TermKind.ACRONYM and term.text == term.concept
            )  # matched as written
            if not is_acronym and not analyze(term.text, term.language):
                raise self.fail(
                    f"le terme « {term.text} » de « {slug} » ne contient aucun mot"
                    " significatif (seulement des mots vides)",
                    self.where.value(term.text, index) or at,
                )
        weights = self._weights(raw.get("poids", {}), index, known=known, slug=slug)
        return Theme(**{**_fields(theme), "weights": tuple(weights.items())})

    def _strings(self, raw: dict[str, Any], key: str, index: int, slug: str) -> tuple[str, ...]:
        values = raw.get(key, [])
        line = self.where.key(key, index)
        if not isinstance(values, list):
            raise self.fail(
                f'« {key} » de « {slug} » doit être une liste : {key} = ["…", "…"]', line
            )
        out: dict[str, None] = {}
        for value in values:
            if not isinstance(value, str):
                raise self.fail(f"« {key} » de « {slug} » ne doit contenir que des chaînes", line)
            if not value.strip():
                raise self.fail(f"terme vide dans « {key} » de « {slug} »", line)
            out.setdefault(" ".join(value.split()), None)
        return tuple(out)

    def _synonyms(self, values: Any, index: int, slug: str) -> tuple[tuple[str, ...], ...]:
        line = self.where.key("synonymes", index)
        usage = 'synonymes = [["terme préféré", "synonyme", …], …]'
        if not isinstance(values, list):
            raise self.fail(
                f"« synonymes » de « {slug} » doit être une liste de groupes : {usage}", line
            )
        groups = []
        for group in values:
            if (
                not isinstance(group, list)
                or len(group) < 2
                or not all(isinstance(v, str) and v.strip() for v in group)
            ):
                raise self.fail(
                    f"groupe de synonymes invalide dans « {slug} » : chaque groupe réunit au"
                    f" moins deux expressions, {usage}",
                    line,
                )
            groups.append(tuple(dict.fromkeys(" ".join(v.split()) for v in group)))
        return tuple(groups)

    def _acronyms(self, table: Any, index: int, slug: str) -> tuple[Acronym, ...]:
        line = self.where.key("sigles", index)
        if not isinstance(table, dict):
            raise self.fail(
                f"« sigles » de « {slug} » doit être une table [thematique.sigles]", line
            )
        out: list[Acronym] = []
        seen: dict[str, str] = {}
        for acronym, value in table.items():
            at = self.where.key(acronym, index) or line
            if not _ACRONYM.match(acronym) or sum(c.isalpha() for c in acronym) < 2:
                raise self.fail(f"sigle « {acronym} » invalide dans « {slug} »", at)
            key = acronym_key(acronym)
            if key in seen:
                raise self.fail(f"sigle « {acronym} » en double dans « {slug} »", at)
            seen[key] = acronym
            expansions = [value] if isinstance(value, str) else value
            if (
                not isinstance(expansions, list)
                or not expansions
                or not all(isinstance(e, str) and e.strip() for e in expansions)
            ):
                raise self.fail(
                    f"le sigle « {acronym} » de « {slug} » doit avoir un développement :"
                    f' {acronym} = "…"',
                    at,
                )
            out.append(Acronym(acronym, tuple(" ".join(e.split()) for e in expansions)))
        return tuple(out)

    def _translations(
        self, table: Any, index: int, slug: str
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        line = self.where.key("traductions", index)
        if not isinstance(table, dict):
            raise self.fail(
                f"« traductions » de « {slug} » doit être une table [thematique.traductions]", line
            )
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
                raise self.fail(
                    f"la traduction de « {french} » dans « {slug} » doit être une expression"
                    f' anglaise ou espagnole, ou une liste : "{french}" = ["…", "…"]',
                    at,
                )
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
        where = f"« poids » de « {slug} »" if slug else "[poids]"
        if not isinstance(table, dict):
            raise self.fail(f"{where} doit être une table", self.where.key("poids", index))
        out: dict[str, float] = {}
        for key, value in table.items():
            at = self.where.key(key, index) or self.where.key("poids", index)
            if allowed is not None and key not in allowed:
                raise self.fail(
                    f"sorte de terme inconnue « {key} » dans {where}"
                    f" (sortes : {', '.join(allowed)})",
                    at,
                )
            if known is not None and key not in known:
                raise self.fail(f"{where} : « {key} » n'est pas un terme de cette thématique", at)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise self.fail(f"{where} : le poids de « {key} » doit être un nombre positif", at)
            out[key] = float(value)
        return out


def _fields(theme: Theme) -> dict[str, Any]:
    return {name: getattr(theme, name) for name in Theme.__dataclass_fields__}
