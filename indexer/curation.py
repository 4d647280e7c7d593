"""The documentalist's own records (the workspace's cataloguing form): stored as curated, with
the tagger's proposals beside her own decisions.

The web view parses the form, checks for duplicates, and calls `create_record` or
`save_record` (or, for an uploaded file, `create_from_file`) inside the transaction that also
writes its audit entry; the index follows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path

from library import Catalogue, Record, SourceFile, ThemeAssignment
from library.ocr_queue import OcrQueue

from .analysis import analyze, normalise_language
from .tagging import Tagger, TagInput

TYPED = "saisie"  # the source of a record typed on the form


def proposals(tagger: Tagger, record: Record, text: str = "") -> list[ThemeAssignment]:
    """The tagger's thematics for a record (and its full text, when it has one)."""
    doc = TagInput.from_record(record, text)
    if text:
        doc = replace(doc, text_terms=analyze(text, normalise_language(record.language)))
    return list(tagger.tag(doc))


def create_record(
    catalogue: Catalogue,
    tagger: Tagger,
    record: Record,
    *,
    chosen: Sequence[str] = (),
    by: str = "",
    same_work_as: int | None = None,
) -> Record:
    """Store a record typed by the documentalist: curated, tagged, with the thematics she
    ticked as her decisions, and one work with `same_work_as` when given. Returns it stored."""
    with catalogue.transaction():
        stored = catalogue.add(replace(record, curated=True, source=TYPED))
        assert stored.id is not None
        catalogue.set_auto_themes(stored.id, proposals(tagger, stored))
        for slug in chosen:
            catalogue.set_manual_theme(stored.id, slug, "add", by=by)
        if same_work_as is not None:
            catalogue.link_work([stored.id, same_work_as])
        return catalogue.get(stored.id)


def save_record(catalogue: Catalogue, tagger: Tagger, changed: Record) -> Record:
    """Save an edited record as curated, and propose its thematics again (the documentalist's
    decisions stay). Returns the record as saved (before the new proposals)."""
    with catalogue.transaction():
        saved = catalogue.save(replace(changed, curated=True))
        assert saved.id is not None
        catalogue.set_auto_themes(saved.id, proposals(tagger, saved, catalogue.text(saved.id)))
        return saved


def create_from_file(
    catalogue: Catalogue,
    record: Record,
    source: SourceFile,
    file: Path,
    text: str,
    *,
    proposals: Sequence[ThemeAssignment],
    checked: Collection[str],
    by: str = "",
    same_work_as: int | None = None,
    curated: bool = True,
) -> Record:
    """Catalogue a file already in the store (`source`) with the record the documentalist
    confirmed: its text, the tagger's `proposals`, her decisions where the thematics she
    `checked` differ from them, the work link, and a place in the OCR queue for a scan."""
    from .ocr.detect import pages_to_ocr  # pypdfium2 and pillow: only the uploads pay for it

    proposed = {t.slug for t in proposals}
    scan_pages = pages_to_ocr(file, source.media_type, text, record.pages)
    with catalogue.transaction():
        catalogue.add_file(source)
        stored = catalogue.add(replace(record, file=source, curated=curated, themes=()), text=text)
        assert stored.id is not None
        catalogue.set_auto_themes(stored.id, proposals)
        if scan_pages is not None:  # a scan: `fonds ocr` will recognise its text
            OcrQueue(catalogue).enqueue(stored.id, pages=scan_pages)
        for slug in sorted(proposed - set(checked)):
            catalogue.set_manual_theme(stored.id, slug, "remove", by=by)
        for slug in sorted(set(checked) - proposed):
            catalogue.set_manual_theme(stored.id, slug, "add", by=by)
        if same_work_as is not None:
            catalogue.link_work([stored.id, same_work_as])
        return stored
