"""The search facade: the only place that knows the engine (Whoosh). Plain values in and out."""

from .documents import IndexDocument, build_document
from .engine import SearchIndex, SyncReport
from .models import (
    AVAILABILITY,
    FACETS,
    SORTS,
    FacetCount,
    Hit,
    IndexBusy,
    SearchPage,
    SearchQueryError,
    SearchRequest,
)
from .service import Finder, catalogue_documents, rebuild_index, sync_index

__all__ = [
    "AVAILABILITY",
    "FACETS",
    "SORTS",
    "FacetCount",
    "Finder",
    "Hit",
    "IndexBusy",
    "IndexDocument",
    "SearchIndex",
    "SearchPage",
    "SearchQueryError",
    "SearchRequest",
    "SyncReport",
    "build_document",
    "catalogue_documents",
    "rebuild_index",
    "sync_index",
]
