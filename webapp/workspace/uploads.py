"""Uploads of electronic documents (/admin/depot/): one file or a batch.

Each file goes through, in order, and is refused at the first problem with one French line,
nothing stored: its name (no path), its size (not empty, not over MAX_UPLOAD_SIZE), its type
recognised by content through the extractor registry (a disguised executable is named for
what it is), the extraction itself (run in a separate process with a timeout and a memory
cap), and a check that the same content is not already catalogued. Then it is staged: the
indexer's proposals (title, authors, year, language, thematics with evidence) wait for the
documentalist, who confirms or corrects before the record is created and the file enters
the content-addressed store.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from indexer.curation import create_from_file
from indexer.extractors import ExtractionError, default_registry
from indexer.extractors.base import ExtractionLimits
from indexer.reasons import Reason, ReasonCode
from indexer.records import record_from_extraction
from indexer.worker import Job, Outcome, init_worker, run_job
from library import Author, AuthorKind, DocType, Record, SourceFile, Support, TextStatus, audit
from library.review import duplicate_candidates
from library.store import FileStore

from .. import security, services
from ..messages import reason_text
from ..params import id_arg
from .admin_common import record_audit, reindex, tagger
from .cataloguing import DUPLICATE_REASONS
from .record_form import (
    ROLE_CHOICES,
    audit_view,
    form_from_record,
    language_choices,
    parse_record_form,
)
from .staging import StagedUpload, Staging, display_name, refuse_name

bp = Blueprint("uploads", __name__, url_prefix="/admin/depot")

_CHUNK = 1 << 20
MEMORY_LIMIT = 2 * 1024**3  # address space of the extraction process


def staging() -> Staging:
    hours = float(current_app.config.get("UPLOAD_STAGING_HOURS", 24))
    return Staging(Path(current_app.config["INSTANCE"]) / "staging", hours)


@bp.get("/")
def form() -> str:
    return _page([])


def _page(refused: list[tuple[str, str]]) -> str:
    return render_template(
        "admin/upload.html",
        limit=_limit(),
        limit_text=human_size(_limit()),
        pending=staging().items(),
        refused=refused,
    )


@bp.post("/")
def upload() -> Any:
    files = [f for f in request.files.getlist("fichiers") if f.filename or f.content_length]
    if not files:
        flash("Choisissez au moins un fichier à déposer.", "error")
        return _page([]), 400
    accepted: list[StagedUpload] = []
    refused: list[tuple[str, str]] = []
    with _Extractor(float(current_app.config.get("EXTRACT_TIMEOUT", 120))) as extractor:
        for storage in files[:50]:
            staged, problem = _receive(storage, extractor)
            if staged is not None:
                accepted.append(staged)
            else:
                refused.append((display_name(storage.filename or "?"), problem or ""))
    if len(files) > 50:
        refused.append(("…", "Au plus 50 fichiers par dépôt : déposez le reste ensuite."))
    for staged in accepted:
        record_audit(
            "upload.stage",
            target_type="upload",
            summary=f"Fichier déposé, en attente de validation : {staged.original_name}",
        )
    if len(accepted) == 1 and not refused:
        return redirect(url_for("uploads.confirm", token=accepted[0].token))
    if accepted:
        flash(
            f"{len(accepted)} fichier(s) analysé(s) : vérifiez les propositions puis enregistrez.",
            "success",
        )
    status = 200 if accepted else 422
    return _page(refused), status


@bp.get("/en-attente")
def pending() -> str:
    return _page([])


@bp.route("/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Any:
    staged = staging().get(token)
    if staged is None:
        abort(404)
    proposal = _proposal(staged)
    if request.method == "GET":
        candidates = duplicate_candidates(services.get_catalogue(), proposal)
        return _render_confirm(
            staged,
            form_from_record(proposal),
            proposal,
            candidates,
            checked=set(proposal.theme_slugs),
        )
    form, record = parse_record_form(request.form, base=proposal)
    checked = {s for s in request.form.getlist("theme") if s in services.theme_labels()}
    if record is None or form.errors:
        return _render_confirm(staged, form, proposal, [], checked=checked), 400
    record = replace(record, support=Support.ELECTRONIQUE, copies=())
    candidates = duplicate_candidates(services.get_catalogue(), record)
    if candidates and not request.form.get("doublon_confirme"):
        return _render_confirm(staged, form, proposal, candidates, checked=checked)
    link = id_arg(request.form.get("lier_a"))
    saved = _save(
        staged, record, checked, link if link in {c.record_id for c in candidates} else None
    )
    if saved is None:
        flash("Ce fichier est déjà au catalogue (enregistré entre-temps).", "error")
        return redirect(url_for("uploads.form"))
    flash(f"Notice n° {saved} enregistrée : elle est déjà dans la recherche.", "success")
    return redirect(url_for("cataloguing.edit", record_id=saved))


@bp.post("/<token>/abandonner")
def discard(token: str) -> Any:
    staged = staging().get(token)
    if staged is not None:
        staging().discard(token)
        record_audit(
            "upload.discard",
            target_type="upload",
            summary=f"Dépôt abandonné : {staged.original_name}",
        )
        flash(f"Dépôt de « {staged.original_name} » abandonné.", "success")
    return redirect(url_for("uploads.form"))


@bp.post("/tout-enregistrer")
def save_all() -> Any:
    """Save every staged upload as proposed, except those that look like duplicates."""
    saved, held = 0, 0
    for staged in staging().items():
        proposal = _proposal(staged)
        if duplicate_candidates(services.get_catalogue(), proposal):
            held += 1
            continue
        if _save(staged, proposal, set(proposal.theme_slugs), None, curated=False) is not None:
            saved += 1
    flash(
        f"{saved} notice(s) enregistrée(s)."
        + (
            f" {held} dépôt(s) ressemblent à des notices existantes : vérifiez-les un par un."
            if held
            else ""
        ),
        "success" if not held else "warning",
    )
    return redirect(url_for("uploads.form"))


# -- receiving one file -----------------------------------------------------------------------


def _limit() -> int:
    return int(current_app.config["MAX_UPLOAD_SIZE"])


def _receive(storage: FileStorage, extractor: _Extractor) -> tuple[StagedUpload | None, str | None]:
    name = storage.filename or ""
    problem = refuse_name(name)
    if problem:
        return None, problem
    shown = display_name(name)
    area = staging()
    folder = area.workspace()
    incoming = folder / shown  # our private folder; the name only helps the title fallback
    try:
        size, sha = _copy_capped(storage, incoming, _limit())
        if size == 0:
            return None, "Fichier vide (0 octet) : rien à cataloguer."
        if size > _limit():
            return (
                None,
                f"Fichier trop volumineux : plus de {human_size(_limit())} (limite du dépôt).",
            )
        existing = services.get_catalogue().find_by_file(sha)
        if existing is not None:
            where = " (dans la corbeille)" if existing.deleted else ""
            return None, f"Déjà au catalogue : notice n° {existing.id}{where}, même contenu."
        try:
            default_registry().recognise(incoming)
        except ExtractionError as exc:
            return None, f"Type de fichier refusé : {reason_text(exc.reason)}."
        outcome = extractor.run(incoming, sha)
        if outcome.error is not None or outcome.extraction is None:
            return None, f"Lecture impossible : {reason_text(outcome.error) or 'erreur inconnue'}."
        meta = _meta(outcome, shown, size, sha)
        return area.add(incoming, meta, outcome.extraction.text), None
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def human_size(size: int) -> str:
    """1536 -> "2 Ko", 104857600 -> "100 Mo" (French units)."""
    if size >= 2**20:
        return f"{size / 2**20:.0f} Mo"
    return f"{max(1, round(size / 1024))} Ko"


def _copy_capped(storage: FileStorage, target: Path, limit: int) -> tuple[int, str]:
    """Write the upload, stopping one chunk past the limit (never the whole oversized file)."""
    digest = hashlib.sha256()
    size = 0
    with open(target, "wb") as out:
        while chunk := storage.stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                break
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _meta(outcome: Outcome, name: str, size: int, sha: str) -> dict[str, Any]:
    extraction = outcome.extraction
    assert extraction is not None
    source = SourceFile(
        sha,
        name,
        extraction.media_type,
        size,
        FileStore(Path()).relative_path(sha, Path(name).suffix),
    )
    record = record_from_extraction(
        extraction, language=outcome.language, source_file=source, original_name=name
    )
    return {
        "original_name": name,
        "size": size,
        "sha256": sha,
        "media_type": extraction.media_type,
        "uploaded_at": time.time(),
        "uploaded_by": security.actor(),
        "record": {
            "title": record.title,
            "subtitle": record.subtitle,
            "authors": [[a.name, a.kind.value] for a in record.authors],
            "publisher": record.publisher,
            "date": record.date,
            "year": record.year,
            "doc_type": record.doc_type.value,
            "language": record.language,
            "pages": record.pages,
            "abstract": record.abstract,
            "keywords": list(record.keywords),
            "territories": list(record.territories),
            "text_status": record.text_status.value,
        },
        "themes": [
            {"slug": t.slug, "score": t.score, "evidence": t.evidence} for t in outcome.themes
        ],
        "scores": _all_scores(extraction, outcome.language, outcome.text_terms),
        "warnings": [reason_text(w) for w in extraction.warnings],
    }


def _all_scores(extraction: Any, language: str, text_terms: str) -> dict[str, float]:
    """The tagger's score of every thematic that has any evidence in the document (proposed
    or not), so that the documentalist sees how close the others came."""
    from indexer.tagging import TagInput

    doc = TagInput(
        title=extraction.title or "",
        abstract=extraction.abstract or "",
        keywords=tuple(extraction.keywords),
        text=extraction.text,
        language=language,
        text_terms=text_terms.split() if text_terms else None,
    )
    return {s.slug: round(s.score, 4) for s in tagger().scores(doc)}


def _proposal(staged: StagedUpload) -> Record:
    from library import ThemeAssignment, ThemeSource

    m, r = staged.meta, staged.meta["record"]
    source = SourceFile(
        m["sha256"],
        m["original_name"],
        m["media_type"],
        int(m["size"]),
        FileStore(Path()).relative_path(m["sha256"], Path(m["original_name"]).suffix),
    )
    return Record(
        title=r["title"],
        subtitle=r["subtitle"],
        authors=tuple(Author(n, AuthorKind(k)) for n, k in r["authors"]),
        publisher=r["publisher"],
        date=r["date"],
        year=r["year"],
        doc_type=DocType(r["doc_type"]),
        support=Support.ELECTRONIQUE,
        language=r["language"],
        pages=r["pages"],
        abstract=r["abstract"],
        keywords=tuple(r["keywords"]),
        territories=tuple(r.get("territories", ())),
        file=source,
        text_status=TextStatus(r["text_status"]),
        source="depot",
        themes=tuple(
            ThemeAssignment(t["slug"], ThemeSource.AUTO, t["score"], t["evidence"])
            for t in m["themes"]
        ),
    )


def _save(
    staged: StagedUpload,
    record: Record,
    checked: set[str],
    link: int | None,
    *,
    curated: bool = True,
) -> int | None:
    """Store the file by its hash, create the record with the documentalist's decisions."""
    catalogue = services.get_catalogue()
    if catalogue.find_by_file(staged.meta["sha256"]) is not None:
        staging().discard(staged.token)
        return None
    source = FileStore(services.paths().store_dir).put(
        staged.file,
        staged.meta["sha256"],
        original_name=staged.original_name,
        media_type=staged.meta["media_type"],
    )
    with catalogue.transaction():
        stored = create_from_file(
            catalogue,
            record,
            source,
            staged.file,
            staged.text(),
            proposals=_proposal(staged).themes,
            checked=checked,
            by=security.actor(),
            same_work_as=link,
            curated=curated,
        )
        assert stored.id is not None
        record_audit(
            "record.create",
            target_type="record",
            target_id=stored.id,
            summary=f"Notice créée depuis le dépôt de « {staged.original_name} »",
            changes=audit.diff({}, audit_view(stored)),
        )
    staging().discard(staged.token)
    reindex(stored.id)
    return stored.id


def _render_confirm(
    staged: StagedUpload, form: Any, proposal: Record, candidates: list[Any], *, checked: set[str]
) -> str:
    from ..messages import explain

    proposed = {t.slug: t for t in proposal.themes}
    scores: dict[str, float] = staged.meta.get("scores") or {}
    themes: list[dict[str, Any]] = [
        {
            "slug": slug,
            "label": label,
            "checked": slug in checked,
            "proposed": slug in proposed,
            "score": _shown_score(proposed.get(slug), scores.get(slug, 0.0)),
            "why": explain(proposed[slug].evidence) if slug in proposed else "",
            "passages": ((proposed[slug].evidence or {}).get("passages") or [])[:2]
            if slug in proposed
            else [],
        }
        for slug, label in services.theme_labels().items()
    ]
    themes.sort(key=lambda t: (not t["proposed"], -t["score"]))
    return render_template(
        "admin/upload_confirm.html",
        staged=staged,
        form=form,
        themes=themes,
        duplicates=candidates,
        duplicate_reasons=DUPLICATE_REASONS,
        doc_types=[(t.value, t.label) for t in DocType],
        role_choices=ROLE_CHOICES,
        languages=language_choices(form.values.get("language")),
        text_head=staged.text()[:1500],
    )


class _Extractor:
    """Extraction of uploads in a separate process: a per-file timeout that really stops the
    work, and a memory cap, so one hostile file cannot stall or exhaust the web server."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.pool: Any = None

    def __enter__(self) -> _Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def run(self, path: Path, sha: str) -> Outcome:
        job = Job(str(path), sha, ExtractionLimits(), self.timeout)
        if self.pool is None:
            context = multiprocessing.get_context("forkserver")
            self.pool = context.Pool(
                1, initializer=init_worker, initargs=(tagger(), MEMORY_LIMIT), maxtasksperchild=20
            )
        try:
            return self.pool.apply_async(run_job, (job,)).get(self.timeout + 10)
        except multiprocessing.TimeoutError:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
            return Outcome(job, error=Reason.of(ReasonCode.TIMEOUT, seconds=round(self.timeout)))


def _shown_score(assignment: Any, rule_score: float) -> float:
    """One scale for every thematic on the page: the rules' score. A proposal decided by the
    learned model keeps the rules' score it was given in its evidence."""
    if assignment is None:
        return rule_score
    model = (assignment.evidence or {}).get("model") or {}
    return float(model.get("rule_score", assignment.score))
