"""The thematic vocabulary: one TOML file a documentalist can edit, loaded and validated here.

Contract (the ingest pipeline, the search engine and the web app rely on it):
- `load_vocabulary(path) -> Vocabulary`, raising `VocabularyError` whose message is one French
  line naming the file and, when known, the line ("vocabulary.toml, ligne 12 : …").
- `load_for_instance(root) -> VocabularyLoad`: the instance's own `vocabulary.toml` when it
  exists and is valid, else the last good one (`vocabulary.last-good.json`, written each time a
  valid instance file is loaded), else the packaged one; `error` says why a fallback is in force.
- `Vocabulary.themes`, `.labels()`, `.equivalences()` (acronym and synonym groups, for query
  expansion).

The file format is documented at the top of `indexer/data/vocabulary.toml`. `tomllib` gives
no positions for values, so semantic errors are located by a small scan of the source lines
(`_Locator`): good enough to point a documentalist at the right place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .analysis import analyze, fold

log = logging.getLogger(__name__)

PACKAGED_VOCABULARY = Path(__file__).parent / "data" / "vocabulary.toml"
INSTANCE_FILE = "vocabulary.toml"
LAST_GOOD_FILE = "vocabulary.last-good.json"
DEFAULT_URI = "https://crpv-martinique.fr/vocabulaire/"

# Kinds of terms, as spelled in the file, and their default weights.
SIGLE, TERME, SYNONYME, SPECIFIQUE, INDICE, LANGUE = (
    "sigle",
    "terme",
    "synonyme",
    "specifique",
    "indice",
    "langue",
)
KINDS = (SIGLE, TERME, SYNONYME, SPECIFIQUE, INDICE, LANGUE)
DEFAULT_WEIGHTS: dict[str, float] = {
    SIGLE: 3.0,
    TERME: 2.0,
    SYNONYME: 2.0,
    SPECIFIQUE: 2.0,
    INDICE: 0.5,
    LANGUE: 2.0,
}
FOREIGN_LANGUAGES = ("en", "es")

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
_LIST_KEYS = {"termes": TERME, "specifiques": SPECIFIQUE, "indices": INDICE}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ACRONYM = re.compile(r"^[^\W_][\w.-]*$")


class VocabularyError(Exception):
    """A vocabulary that cannot be used; `str()` is the French line to show."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class Acronym:
    acronym: str
    expansions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WeightedTerm:
    """One expression of a thematic as the tagger uses it."""

    text: str
    kind: str
    weight: float
    language: str = "fr"
    concept: str = ""  # expressions of one concept (acronym and expansion, synonyms) share it


@dataclass(frozen=True, slots=True)
class Theme:
    slug: str
    label: str
    scope_note: str = ""
    terms: tuple[str, ...] = ()  # termes: preferred terms
    synonyms: tuple[tuple[str, ...], ...] = ()  # synonymes: groups, preferred first
    narrower: tuple[str, ...] = ()  # specifiques
    cues: tuple[str, ...] = ()  # indices: everyday words, weak signals
    acronyms: tuple[Acronym, ...] = ()
    foreign: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (("en", terms), ("es", terms))
    # traductions: a French expression and what English or Spanish call it (search uses them)
    translations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    weights: tuple[tuple[str, float], ...] = ()  # per-term overrides

    def foreign_terms(self, language: str) -> tuple[str, ...]:
        return dict(self.foreign).get(language, ())

    def weighted_terms(self, defaults: dict[str, float] | None = None) -> list[WeightedTerm]:
        """Every expression with its kind, weight and concept, in file order."""
        defaults = {**DEFAULT_WEIGHTS, **(defaults or {})}
        overrides = dict(self.weights)

        def make(text: str, kind: str, concept: str, language: str = "fr") -> WeightedTerm:
            return WeightedTerm(text, kind, overrides.get(text, defaults[kind]), language, concept)

        out = [make(t, TERME, t) for t in self.terms]
        for group in self.synonyms:
            out.extend(make(t, SYNONYME, group[0]) for t in group)
        out.extend(make(t, SPECIFIQUE, t) for t in self.narrower)
        out.extend(make(t, INDICE, t) for t in self.cues)
        for acronym in self.acronyms:
            out.append(make(acronym.acronym, SIGLE, acronym.acronym))
            # An expansion weighs what its acronym weighs unless it has its own weight.
            weight = overrides.get(acronym.acronym, defaults[SIGLE])
            for expansion in acronym.expansions:
                out.append(
                    WeightedTerm(
                        expansion, SIGLE, overrides.get(expansion, weight), "fr", acronym.acronym
                    )
                )
        for language, terms in self.foreign:
            out.extend(make(t, LANGUE, t, language) for t in terms)
        return out

    def all_texts(self) -> list[str]:
        return [t.text for t in self.weighted_terms()]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    themes: tuple[Theme, ...]
    title: str = ""
    uri: str = DEFAULT_URI
    version: str = ""
    default_weights: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS.items())

    def labels(self) -> dict[str, str]:
        return {t.slug: t.label for t in self.themes}

    def theme(self, slug: str) -> Theme:
        for theme in self.themes:
            if theme.slug == slug:
                return theme
        raise KeyError(slug)

    def weights(self) -> dict[str, float]:
        return {**DEFAULT_WEIGHTS, **dict(self.default_weights)}

    def term_count(self) -> int:
        """Number of distinct expressions over all thematics."""
        return sum(len({t.text for t in th.weighted_terms()}) for th in self.themes)

    def equivalences(self) -> list[tuple[str, ...]]:
        """Groups of expressions that mean the same (acronym and expansions, synonyms)."""
        seen: set[tuple[str, ...]] = set()
        groups: list[tuple[str, ...]] = []
        for theme in self.themes:
            candidates = [(a.acronym, *a.expansions) for a in theme.acronyms]
            candidates.extend(theme.synonyms)
            for group in candidates:
                key = tuple(sorted(g.casefold() for g in group))
                if len(group) > 1 and key not in seen:
                    seen.add(key)
                    groups.append(tuple(group))
        return groups

    # -- serialisation -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "uri": self.uri,
            "version": self.version,
            "default_weights": dict(self.default_weights),
            "themes": [
                {
                    "slug": t.slug,
                    "label": t.label,
                    "scope_note": t.scope_note,
                    "terms": list(t.terms),
                    "synonyms": [list(g) for g in t.synonyms],
                    "narrower": list(t.narrower),
                    "cues": list(t.cues),
                    "acronyms": [[a.acronym, list(a.expansions)] for a in t.acronyms],
                    "foreign": {lang: list(terms) for lang, terms in t.foreign},
                    "translations": {fr: list(others) for fr, others in t.translations},
                    "weights": dict(t.weights),
                }
                for t in self.themes
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Vocabulary:
        return cls(
            themes=tuple(
                Theme(
                    slug=t["slug"],
                    label=t["label"],
                    scope_note=t.get("scope_note", ""),
                    terms=tuple(t.get("terms", ())),
                    synonyms=tuple(tuple(g) for g in t.get("synonyms", ())),
                    narrower=tuple(t.get("narrower", ())),
                    cues=tuple(t.get("cues", ())),
                    acronyms=tuple(Acronym(a, tuple(e)) for a, e in t.get("acronyms", ())),
                    foreign=tuple((k, tuple(v)) for k, v in t.get("foreign", {}).items()),
                    translations=tuple((k, tuple(v)) for k, v in t.get("translations", {}).items()),
                    weights=tuple((k, float(v)) for k, v in t.get("weights", {}).items()),
                )
                for t in data["themes"]
            ),
            title=data.get("title", ""),
            uri=data.get("uri", DEFAULT_URI),
            version=data.get("version", ""),
            default_weights=tuple(
                (k, float(v)) for k, v in data.get("default_weights", DEFAULT_WEIGHTS).items()
            ),
        )

    def to_toml(self, header: str = "") -> str:
        """The vocabulary in the documentalist's format (what `fonds vocab import` writes)."""
        q = _toml_string
        lines = [f"# {line}".rstrip() for line in header.splitlines()]
        lines += [
            "",
            "[vocabulaire]",
            f"titre = {q(self.title)}",
            f"uri = {q(self.uri)}",
            f"version = {q(self.version)}",
            "",
            "[poids]",
        ]
        lines += [f"{kind} = {weight!r}" for kind, weight in self.default_weights]
        for t in self.themes:
            lines += ["", "[[thematique]]", f"slug = {q(t.slug)}", f"libelle = {q(t.label)}"]
            if t.scope_note:
                lines.append(f"note = {q(t.scope_note)}")
            for key, values in (
                ("termes", t.terms),
                ("specifiques", t.narrower),
                ("indices", t.cues),
                *t.foreign,
            ):
                if values:
                    lines.append(f"{key} = [")
                    lines += [f"    {q(v)}," for v in values]
                    lines.append("]")
            if t.synonyms:
                lines.append("synonymes = [")
                lines += [f"    [{', '.join(q(v) for v in g)}]," for g in t.synonyms]
                lines.append("]")
            if t.acronyms:
                lines += ["", "[thematique.sigles]"]
                for a in t.acronyms:
                    value = (
                        q(a.expansions[0])
                        if len(a.expansions) == 1
                        else ("[" + ", ".join(q(e) for e in a.expansions) + "]")
                    )
                    lines.append(f"{q(a.acronym)} = {value}")
            if t.translations:
                lines += ["", "[thematique.traductions]"]
                for french, others in t.translations:
                    lines.append(f"{q(french)} = [{', '.join(q(o) for o in others)}]")
            if t.weights:
                lines += ["", "[thematique.poids]"]
                lines += [f"{q(term)} = {weight!r}" for term, weight in t.weights]
        return "\n".join(lines).lstrip("\n") + "\n"


@dataclass(frozen=True, slots=True)
class VocabularyLoad:
    """The vocabulary in force for an instance, which file it comes from, and what went wrong."""

    vocabulary: Vocabulary
    path: Path
    error: str | None = None
    warnings: tuple[str, ...] = field(default=())


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


def load_for_instance(instance_root: Path) -> VocabularyLoad:
    """The vocabulary in force for an instance (see the module docstring for the fallbacks)."""
    own = Path(instance_root) / INSTANCE_FILE
    if not own.exists():
        return VocabularyLoad(load_vocabulary(PACKAGED_VOCABULARY), PACKAGED_VOCABULARY)
    last_good = Path(instance_root) / LAST_GOOD_FILE
    try:
        vocabulary = load_vocabulary(own)
    except VocabularyError as exc:
        previous = _read_last_good(last_good)
        # `error` says what is wrong; `path` says which vocabulary is in force instead.
        if previous is not None:
            return VocabularyLoad(previous, last_good, str(exc))
        return VocabularyLoad(load_vocabulary(PACKAGED_VOCABULARY), PACKAGED_VOCABULARY, str(exc))
    _write_last_good(last_good, vocabulary, own)
    return VocabularyLoad(vocabulary, own)


def write_instance_vocabulary(instance_root: Path, text: str) -> Path | None:
    """Install a validated vocabulary text as the instance's file; return the backup path."""
    parse_vocabulary(text, source=INSTANCE_FILE)  # never install a file that would not load
    target = Path(instance_root) / INSTANCE_FILE
    backup = None
    if target.exists():
        stamp = 1
        while (candidate := target.with_name(f"{INSTANCE_FILE}.{stamp}.bak")).exists():
            stamp += 1
        backup = candidate
        backup.write_bytes(target.read_bytes())
    _atomic_write(target, text)
    load_for_instance(instance_root)  # refresh the last-good copy
    return backup


def _read_last_good(path: Path) -> Vocabulary | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Vocabulary.from_dict(data["vocabulary"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        if path.exists():
            log.warning("unreadable last-good vocabulary %s: %s", path, exc)
        return None


def _write_last_good(path: Path, vocabulary: Vocabulary, source: Path) -> None:
    payload = json.dumps(
        {"format": 1, "source": str(source), "vocabulary": vocabulary.to_dict()},
        ensure_ascii=False,
        indent=1,
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()
    try:
        if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            return
        _atomic_write(path, payload)
    except OSError as exc:  # a read-only instance still tags with the file it could read
        log.warning("could not save the last good vocabulary to %s: %s", path, exc)


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-vocabulary-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
            is_acronym = term.kind == SIGLE and term.text == term.concept  # matched as written
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


def acronym_key(text: str) -> str:
    """The comparable form of an acronym: no dots, no accents, capitals ('ACSé' -> 'ACSE')."""

    return fold(text.replace(".", "")).upper()


def _toml_string(value: str) -> str:
    # JSON string escapes are a subset of TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def iter_terms(vocabulary: Vocabulary) -> Iterator[tuple[Theme, WeightedTerm]]:
    """Every (thematic, weighted term) pair of a vocabulary, in file order."""
    weights = vocabulary.weights()
    for theme in vocabulary.themes:
        for term in theme.weighted_terms(weights):
            yield theme, term
