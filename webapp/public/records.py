"""The record page (`/notice/<id>`) and its file (`/notice/<id>/fichier`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file

from library import CopyStatus, NotFound, Record, ThemeSource
from library.ocr_queue import OcrQueue
from library.statistics import count_view

from .. import services
from ..messages import EVIDENCE_FIELDS, LANGUAGE_LABELS, explain, support_label
from ..policies import today
from ..urls import external

bp = Blueprint("records", __name__)

MAX_ID = 2**63 - 1  # SQLite's largest integer: larger ids cannot exist
# Formats a browser shows itself; anything else is always downloaded.
READABLE = {
    "application/pdf": "PDF",
    "text/plain": "texte",
    "text/markdown": "texte",
    "text/html": "page web",
}
FORMAT_NAMES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.oasis.opendocument.text": "OpenDocument (ODT)",
    "application/epub+zip": "EPUB",
    "application/rtf": "RTF",
    "text/rtf": "RTF",
    "text/html": "HTML",
    "text/plain": "texte",
    "text/markdown": "texte (Markdown)",
    "application/msword": "Word (DOC)",
    "image/jpeg": "image JPEG (scan)",
    "image/png": "image PNG (scan)",
    "image/tiff": "image TIFF (scan)",
}
# A downloaded HTML file must never run in our origin: shown, it is sandboxed (opaque origin,
# no script, no form, no plugin), and may only show its own inline styles and embedded images.
SANDBOX_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
FILE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;%]+')


@dataclass(frozen=True, slots=True)
class ThemeView:
    slug: str
    label: str
    manual: bool
    score: float | None
    why: str
    passages: list[dict[str, Any]]


@bp.get("/notice/<id:record_id>")
def show(record_id: int) -> tuple[str, int] | str:
    record = _load(record_id)
    if record.deleted:
        return render_template("record_gone.html", record=record), 410
    _count(record_id, "consultation")
    finder = services.get_finder()
    labels = services.theme_labels()
    return render_template(
        "record.html",
        record=record,
        themes=[_theme_view(t, labels) for t in record.themes],
        similar=finder.more_like(record, limit=5),
        readable=record.file is not None and record.file.media_type in READABLE,
        file_format=FORMAT_NAMES.get(record.file.media_type, "fichier") if record.file else "",
        pdf_url=external("records.file", record_id=record_id)
        if record.file is not None and record.file.media_type == "application/pdf"
        else "",
        searchable=OcrQueue(services.get_catalogue()).searchable_file(record_id),
        canonical=external("records.show", record_id=record_id),
        citation_date=_citation_date(record),
        language_name=LANGUAGE_LABELS.get(record.language, record.language),
        safe_url=record.url if re.match(r"https?://", record.url or "", re.I) else "",
        versions=[_version(other) for other in services.get_catalogue().work_members(record_id)],
        periodical=services.get_catalogue().periodical_for_record(record_id),
        issue_numbers=_issue_numbers(record),
    )


def _issue_numbers(record: Record) -> dict[int, str]:
    """{issue id: number} for the copies of a periodical's issues ("n° 3" beside the copy)."""
    if not any(c.issue_id for c in record.copies) or record.id is None:
        return {}
    return {i.id: i.number for i in services.get_catalogue().issues(record.id) if i.id}


@dataclass(frozen=True, slots=True)
class VersionView:
    """Another record of the same work: "exemplaire papier en prêt — PDF disponible"."""

    id: int
    title: str
    support: str
    online: bool  # an electronic version to read now
    on_shelf: int  # copies on the shelf
    on_loan: int
    next_due: str | None  # earliest return date of a copy on loan


def _version(record: Record) -> VersionView:
    due = sorted(c.due_date for c in record.copies if c.status is CopyStatus.ON_LOAN and c.due_date)
    return VersionView(
        id=record.id or 0,
        title=record.title,
        support=support_label(record.support),
        online=record.file is not None,
        on_shelf=sum(1 for c in record.copies if c.status is CopyStatus.AVAILABLE),
        on_loan=sum(1 for c in record.copies if c.status is CopyStatus.ON_LOAN),
        next_due=due[0] if due else None,
    )


@bp.get("/notice/<id:record_id>/fichier")
def file(record_id: int) -> Response:
    """The stored original: downloaded, or shown (`?lire=1`) when a browser can show it safely."""
    record = _load(record_id)
    if record.deleted:
        abort(410)
    if record.file is None:
        abort(404)
    store = services.get_store()
    path = store.path(record.file)
    try:
        inside = path.resolve().is_relative_to(store.root.resolve())
    except OSError:
        inside = False
    if not inside or not path.is_file():
        abort(404)
    if not request.headers.get("Range"):  # a reader's next chunk is not a new download
        _count(record_id, "telechargement")
    media_type = record.file.media_type or "application/octet-stream"
    inline = request.args.get("lire", "") in ("1", "oui", "true") and media_type in READABLE
    content_type = media_type
    if media_type in ("text/plain", "text/markdown"):
        # Markdown is shown as text; old files may be Windows-1252, say so or accents break
        content_type = f"text/plain; charset={_text_charset(path)}"
    elif media_type == "text/html":
        content_type = "text/html; charset=utf-8" if _is_utf8(path) else "text/html"
    response = send_file(
        path, mimetype=media_type, conditional=True, etag=record.file.sha256, max_age=3600
    )
    response.headers["Content-Type"] = content_type  # send_file would append its own charset
    name = download_name(record.file.original_name, Path(record.file.store_path).suffix)
    response.headers["Content-Disposition"] = content_disposition(name, inline=inline)
    response.headers["Content-Security-Policy"] = (
        SANDBOX_CSP if media_type == "text/html" else FILE_CSP
    )
    return response


@bp.get("/notice/<id:record_id>/fichier-texte")
def searchable_file(record_id: int) -> Response:
    """The searchable PDF made by OCR from a scan (the original stays at `/fichier`)."""
    record = _load(record_id)
    if record.deleted:
        abort(410)
    source = OcrQueue(services.get_catalogue()).searchable_file(record_id)
    if source is None or record.file is None:
        abort(404)
    store = services.get_store()
    path = store.path(source)
    try:
        inside = path.resolve().is_relative_to(store.root.resolve())
    except OSError:
        inside = False
    if not inside or not path.is_file():
        abort(404)
    inline = request.args.get("lire", "") in ("1", "oui", "true")
    response = send_file(
        path, mimetype="application/pdf", conditional=True, etag=source.sha256, max_age=3600
    )
    name = download_name(Path(record.file.original_name).stem + "-texte.pdf", ".pdf")
    response.headers["Content-Disposition"] = content_disposition(name, inline=inline)
    response.headers["Content-Security-Policy"] = FILE_CSP
    return response


def _count(record_id: int, kind: str) -> None:
    """Count the consultation or download (numbers only, for the dashboard's statistics)."""
    if request.method == "GET":
        count_view(services.get_catalogue().conn, record_id, kind, today(current_app.config))


def _load(record_id: int) -> Record:
    if record_id < 1 or record_id > MAX_ID:
        abort(404)
    try:
        return services.get_catalogue().get(record_id)
    except NotFound:
        abort(404)


def download_name(original: str, suffix: str) -> str:
    """The original name without folders or characters that could break a header or a path."""
    name = original.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", name)).strip(" ._") or "document"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if suffix and f".{ext.lower()}" != suffix.lower():
        stem, ext = name, suffix.lstrip(".")
    stem = stem[:120]
    return f"{stem}.{ext}" if ext else stem


def content_disposition(name: str, *, inline: bool) -> str:
    """Both forms of the file name: ASCII for old clients, RFC 5987 `filename*` for the rest."""
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").strip()
        or "document"
    )
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()+-]", "_", ascii_name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _is_utf8(path: Path, limit: int = 2_000_000) -> bool:
    with open(path, "rb") as f:
        data = f.read(limit)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(data) - 4  # only a character cut at the limit
    return True


def _text_charset(path: Path) -> str:
    return "utf-8" if _is_utf8(path) else "windows-1252"


def _theme_view(theme: Any, labels: dict[str, str]) -> ThemeView:
    evidence = theme.evidence or {}
    passages = [
        {**p, "field_label": EVIDENCE_FIELDS.get(p.get("field", ""), p.get("field", ""))}
        for p in evidence.get("passages", [])[:2]
        if p.get("text")
    ]
    manual = theme.source is ThemeSource.MANUAL
    label = labels.get(theme.slug, theme.slug)
    return ThemeView(theme.slug, label, manual, theme.score, explain(evidence), passages)


def _citation_date(record: Record) -> str:
    """Highwire wants YYYY/MM/DD, or less."""
    if record.date and re.fullmatch(r"\d{4}(-\d{2}){0,2}", record.date):
        return record.date.replace("-", "/")
    return str(record.year) if record.year else ""
