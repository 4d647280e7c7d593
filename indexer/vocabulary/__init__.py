"""The thematic vocabulary: one TOML file a documentalist can edit, loaded and validated here.

Contract (the ingest pipeline, the search engine and the web app rely on it):
- `load_vocabulary(path) -> Vocabulary`, raising `VocabularyError`: a code
  (`VocabularyProblem`), its facts, the file and, when known, the line; the edges word it
  (`webapp.messages.vocabulary_problem`: "vocabulary.toml, ligne 12 : …").
- `indexer.instance.load_for_instance(root)` picks the vocabulary an instance uses.
- `Vocabulary.themes`, `.labels()`, `.equivalences()` (acronym and synonym groups, for query
  expansion).

Rooms: `model` (thematics, terms, weights, the TOML writer), `checker` (the file read and
checked, with the line of each mistake).
"""

from .checker import (
    TomlSyntax,
    VocabularyError,
    VocabularyProblem,
    load_vocabulary,
    parse_vocabulary,
)
from .model import (
    DEFAULT_URI,
    DEFAULT_WEIGHTS,
    FOREIGN_LANGUAGES,
    INSTANCE_FILE,
    KINDS,
    LAST_GOOD_FILE,
    PACKAGED_VOCABULARY,
    Acronym,
    TermKind,
    Theme,
    Vocabulary,
    WeightedTerm,
    acronym_key,
    iter_terms,
)

__all__ = [
    "DEFAULT_URI",
    "DEFAULT_WEIGHTS",
    "FOREIGN_LANGUAGES",
    "INSTANCE_FILE",
    "KINDS",
    "LAST_GOOD_FILE",
    "PACKAGED_VOCABULARY",
    "Acronym",
    "TermKind",
    "Theme",
    "Vocabulary",
    "TomlSyntax",
    "VocabularyError",
    "VocabularyProblem",
    "WeightedTerm",
    "acronym_key",
    "iter_terms",
    "load_vocabulary",
    "parse_vocabulary",
]
