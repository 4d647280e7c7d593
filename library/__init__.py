"""The catalogue of the fund: records, copies, borrowers and loans in SQLite (the source of truth)."""

from .catalogue import CATALOGUE_FILE, Catalogue
from .db import utc_now
from .errors import CatalogueError, DuplicateRecord, InvalidRecord, NotFound
from .models import (
    DOC_TYPE_LABELS,
    Author,
    AuthorKind,
    AuthorRole,
    Copy,
    CopyStatus,
    DocType,
    Record,
    RecordBrief,
    Series,
    SourceFile,
    Stats,
    Support,
    TextStatus,
    ThemeAssignment,
    ThemeSource,
)
from .paths import PathState
from .rows import ThemeRow

__all__ = [
    "CATALOGUE_FILE",
    "DOC_TYPE_LABELS",
    "Author",
    "AuthorKind",
    "AuthorRole",
    "Catalogue",
    "CatalogueError",
    "Copy",
    "CopyStatus",
    "DocType",
    "DuplicateRecord",
    "InvalidRecord",
    "NotFound",
    "PathState",
    "Record",
    "RecordBrief",
    "Series",
    "SourceFile",
    "Stats",
    "Support",
    "TextStatus",
    "ThemeAssignment",
    "ThemeRow",
    "ThemeSource",
    "utc_now",
]
