"""Cataloguing in the workspace (/admin/notices/): create and edit records with every field,
copies of paper records, thematic decisions, works (paper + electronic), trash and restore.

Each write goes to the catalogue (with its audit entry, in one transaction), then to the
index before the response, so search shows it at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from indexer.curation import create_record, save_record
from library import Copy, CopyStatus, DocType, InvalidRecord, NotFound, Record, Support, audit
from library.review import DuplicateCandidate, duplicate_candidates
from library.text import clean_line

from .. import services
from ..messages import DUPLICATE_REASONS, support_label
from ..params import id_arg, page_arg
from .admin_common import desk, record_audit, reindex, tagger
from .record_form import (
    ROLE_CHOICES,
    RecordForm,
    audit_view,
    form_from_record,
    language_choices,
    parse_record_form,
)

bp = Blueprint("cataloguing", __name__, url_prefix="/admin/notices")

PAGE_SIZE = 30
COPY_STATUSES = (CopyStatus.AVAILABLE, CopyStatus.MISSING, CopyStatus.WITHDRAWN)


# -- list -------------------------------------------------------------------------------------


@bp.get("/")
def index() -> Any:
    from library.review import recently_changed

    q = request.args.get("q", "").strip()[:200]
    page = page_arg(request.args.get("page"))
    catalogue = services.get_catalogue()
    if q:
        exact = _exact_match(q)
        if exact is not None:
            return redirect(url_for("cataloguing.edit", record_id=exact))
        from indexer.search import SearchQueryError, SearchRequest

        try:
            found = services.get_finder().search(SearchRequest(q=q, page=page, per_page=PAGE_SIZE))
        except SearchQueryError as exc:
            flash(exc.message, "warning")
            ids, total = [], 0
        else:
            ids, total = [h.id for h in found.hits], found.total
    else:
        ids, total = recently_changed(catalogue, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    records = catalogue.get_many(ids)
    return render_template(
        "admin/records.html",
        records=[records[i] for i in ids if i in records],
        q=q,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        total=total,
    )


def _exact_match(q: str) -> int | None:
    """A record number, a barcode or an ISBN typed in the box leads straight to its record."""
    catalogue = services.get_catalogue()
    if q.isdigit() and len(q) < 10:
        try:
            return catalogue.get(int(q)).id
        except NotFound:
            pass
    try:
        return catalogue.copy_by_barcode(q)[0]
    except NotFound:
        pass
    from library.identifiers import normalise_isbn

    try:
        isbn = normalise_isbn(q)
    except ValueError:
        return None
    from library.review import find_by_isbn

    return find_by_isbn(catalogue, isbn)


# -- create and edit --------------------------------------------------------------------------


@bp.route("/nouvelle", methods=["GET", "POST"])
def new() -> Any:
    if request.method == "GET":
        form = form_from_record(Record(title="", support=Support.PAPIER, language="fr"))
        return _render_form(form, None, copies=[("", "", "")])
    form, record = parse_record_form(request.form)
    copies = _copy_rows()
    chosen = _chosen_themes()
    if request.form.get("plus_auteurs"):  # more author rows, nothing saved yet
        form.errors.clear()
        form.more_authors = _more_authors()
        return _render_form(form, None, copies=copies, chosen_themes=chosen)
    copy_error = _check_new_copies(copies, record)
    if copy_error:
        form.errors["copies"] = copy_error
    if record is None or form.errors:
        return _render_form(form, None, copies=copies, chosen_themes=chosen), 400
    candidates = duplicate_candidates(services.get_catalogue(), record)
    target = id_arg(request.form.get("exemplaire_de"))
    if target and target in {c.record_id for c in candidates if c.support == "papier"}:
        return _copies_to_existing(target, copies, form, candidates, chosen)
    if candidates and not request.form.get("doublon_confirme"):
        return _render_form(form, None, copies=copies, duplicates=candidates, chosen_themes=chosen)
    catalogue = services.get_catalogue()
    record = replace(
        record,
        copies=tuple(Copy(b, c or record.call_number, loc) for b, c, loc in copies if b),
    )
    link = id_arg(request.form.get("lier_a"))
    with catalogue.transaction():
        stored = create_record(
            catalogue,
            tagger(),
            record,
            chosen=chosen,  # ticked on the form: the documentalist's decisions
            by=_login(),
            same_work_as=link if link and link in {c.record_id for c in candidates} else None,
        )
        assert stored.id is not None
        new_id = stored.id
        record_audit(
            "record.create",
            target_type="record",
            target_id=stored.id,
            summary=f"Notice créée : {stored.title[:120]}",
            changes=audit.diff({}, {**audit_view(stored), "thematiques": sorted(chosen)}),
        )
    reindex(new_id)
    flash("Notice créée. Vérifiez les thématiques proposées ci-dessous.", "success")
    return redirect(url_for("cataloguing.edit", record_id=stored.id))


def _chosen_themes() -> list[str]:
    """Thematics ticked on the new-record form (unknown slugs ignored), in vocabulary order."""
    ticked = set(request.form.getlist("thematique"))
    return [slug for slug in services.theme_labels() if slug in ticked]


def _more_authors() -> int:
    asked = id_arg(request.form.get("lignes_auteurs")) or 0
    return min(asked + 3, 30)


def _copies_to_existing(
    record_id: int,
    copies: list[tuple[str, str, str]],
    form: RecordForm,
    candidates: list[DuplicateCandidate],
    chosen: list[str],
) -> Any:
    """The duplicate warning's "ajouter un exemplaire à cette notice": the copies typed on the
    form go to the existing paper record; no new record is created."""
    barcodes = [b for b, _, _ in copies if b]
    if not barcodes:
        form.errors["copies"] = (
            "Pour ajouter un exemplaire à la notice existante, saisissez son code-barres."
        )
        return _render_form(
            form, None, copies=copies, duplicates=candidates, chosen_themes=chosen
        ), 400
    existing = _get(record_id)
    catalogue = services.get_catalogue()
    with catalogue.transaction():
        for barcode, call_number, location in copies:
            if not barcode:
                continue
            catalogue.add_copy(
                record_id, Copy(barcode, call_number or existing.call_number, location)
            )
            record_audit(
                "copy.add",
                target_type="record",
                target_id=record_id,
                summary=f"Exemplaire {barcode} ajouté (doublon évité à la saisie)",
            )
    reindex(record_id)
    flash(
        f"{len(barcodes)} exemplaire(s) ajouté(s) à la notice n° {record_id} ; "
        "aucune nouvelle notice créée.",
        "success",
    )
    return redirect(url_for("cataloguing.edit", record_id=record_id) + "#exemplaires")


@bp.route("/<id:record_id>", methods=["GET", "POST"])
def edit(record_id: int) -> Any:
    catalogue = services.get_catalogue()
    record = _get(record_id)
    if request.method == "GET":
        return _render_form(form_from_record(record), record)
    form, changed = parse_record_form(request.form, base=record)
    if request.form.get("plus_auteurs"):  # more author rows, nothing saved yet
        form.errors.clear()
        form.more_authors = _more_authors()
        return _render_form(form, record)
    if changed is None or form.errors:
        return _render_form(form, record), 400
    if (changed.title, changed.year, changed.isbn) != (record.title, record.year, record.isbn):
        candidates = [
            c
            for c in duplicate_candidates(catalogue, changed)
            if record.work_id is None or c.work_id != record.work_id
        ]
        if candidates and not request.form.get("doublon_confirme"):
            return _render_form(form, record, duplicates=candidates)
    with catalogue.transaction():
        saved = save_record(catalogue, tagger(), changed)
        assert saved.id is not None
        record_audit(
            "record.edit",
            target_type="record",
            target_id=saved.id,
            summary=f"Notice modifiée : {saved.title[:120]}",
            changes=audit.diff(audit_view(record), audit_view(saved)),
        )
    reindex(record_id)
    flash("Notice enregistrée.", "success")
    return redirect(url_for("cataloguing.edit", record_id=record_id))


@bp.get("/doublons")
def duplicates() -> Response:
    """Duplicate candidates for a title (and year, ISBN) being typed: the form warns early."""
    title = request.args.get("titre", "").strip()[:500]
    year = id_arg(request.args.get("annee"))
    exclude = id_arg(request.args.get("sauf"))
    isbn = request.args.get("isbn", "").strip()
    if not title and not isbn:
        return jsonify([])
    from library.identifiers import normalise_isbn

    try:
        isbn = normalise_isbn(isbn) if isbn else ""
    except ValueError:
        isbn = ""
    probe = Record(title=title or "?", year=year, isbn=isbn, id=exclude)
    found = duplicate_candidates(services.get_catalogue(), probe)
    return jsonify(
        [
            {
                "id": c.record_id,
                "title": c.title,
                "year": c.year,
                "reason": DUPLICATE_REASONS[c.reason],
                "url": url_for("cataloguing.edit", record_id=c.record_id),
            }
            for c in found
        ]
    )


# -- thematics, copies, works, trash -----------------------------------------------------------


@bp.post("/<id:record_id>/thematiques")
def theme(record_id: int) -> Response:
    record = _get(record_id)
    slug = request.form.get("slug", "")
    decision = request.form.get("decision", "")
    if slug not in services.theme_labels() or decision not in ("add", "remove", "none"):
        abort(400)
    catalogue = services.get_catalogue()
    before = set(record.theme_slugs)
    with catalogue.transaction():
        catalogue.set_manual_theme(
            record_id, slug, None if decision == "none" else decision, by=_login()
        )
        after = set(catalogue.get(record_id).theme_slugs)
        label = services.theme_labels()[slug]
        words = {"add": "ajoutée", "remove": "retirée", "none": "rendue au marquage automatique"}
        record_audit(
            "record.theme",
            target_type="record",
            target_id=record_id,
            summary=f"Thématique « {label} » {words[decision]}",
            changes={"thematiques": [", ".join(sorted(before)), ", ".join(sorted(after))]},
        )
    reindex(record_id)
    return redirect(url_for("cataloguing.edit", record_id=record_id) + "#thematiques")


@bp.post("/<id:record_id>/exemplaires")
def add_copy(record_id: int) -> Response:
    record = _get(record_id)
    barcode = clean_line(request.form.get("barcode", ""))[:64]
    call_number = clean_line(request.form.get("call_number", ""))[:100]
    location = clean_line(request.form.get("location", ""))[:100]
    target = url_for("cataloguing.edit", record_id=record_id) + "#exemplaires"
    if not barcode:
        flash("Code-barres obligatoire pour un exemplaire.", "error")
        return redirect(target)
    if record.support is not Support.PAPIER:
        flash("Seule une notice papier a des exemplaires.", "error")
        return redirect(target)
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            catalogue.add_copy(
                record_id, Copy(barcode, call_number or record.call_number, location)
            )
            record_audit(
                "copy.add",
                target_type="record",
                target_id=record_id,
                summary=f"Exemplaire {barcode} ajouté",
            )
    except InvalidRecord:
        flash(f"Le code-barres {barcode} existe déjà.", "error")
        return redirect(target)
    reindex(record_id)
    flash(f"Exemplaire {barcode} ajouté.", "success")
    return redirect(target)


@bp.post("/<id:record_id>/exemplaires/<id:copy_id>")
def change_copy(record_id: int, copy_id: int) -> Response:
    record = _get(record_id)
    copy = next((c for c in record.copies if c.id == copy_id), None)
    if copy is None:
        abort(404)
    catalogue = services.get_catalogue()
    target = url_for("cataloguing.edit", record_id=record_id) + "#exemplaires"
    if request.form.get("action") == "remove":
        if copy.status is CopyStatus.ON_LOAN:
            flash("Exemplaire en prêt : enregistrez d'abord son retour.", "error")
            return redirect(target)
        try:
            with catalogue.transaction():
                catalogue.remove_copy(copy_id)
                record_audit(
                    "copy.remove",
                    target_type="record",
                    target_id=record_id,
                    summary=f"Exemplaire {copy.barcode} supprimé",
                )
        except InvalidRecord:
            flash(
                f"L'exemplaire {copy.barcode} a déjà été prêté : passez-le à « Retiré » "
                "plutôt que de le supprimer (son historique est conservé).",
                "error",
            )
            return redirect(target)
        flash(f"Exemplaire {copy.barcode} supprimé.", "success")
    else:
        try:
            status = CopyStatus(request.form.get("status", "available"))
        except ValueError:
            abort(400)
        if status is CopyStatus.ON_LOAN:
            abort(400)  # being on loan comes from the desk, not from this form
        call_number = clean_line(request.form.get("call_number", ""))[:100]
        location = clean_line(request.form.get("location", ""))[:100]
        with catalogue.transaction():
            catalogue.update_copy(
                copy_id, call_number=call_number, location=location, status=status
            )
            shown = copy.status if copy.status is not CopyStatus.ON_LOAN else CopyStatus.AVAILABLE
            record_audit(
                "copy.edit",
                target_type="record",
                target_id=record_id,
                summary=f"Exemplaire {copy.barcode} modifié",
                changes=audit.diff(
                    {"cote": copy.call_number, "localisation": copy.location, "etat": shown.value},
                    {"cote": call_number, "localisation": location, "etat": status.value},
                ),
            )
        flash(f"Exemplaire {copy.barcode} enregistré.", "success")
    reindex(record_id)
    return redirect(target)


@bp.post("/<id:record_id>/oeuvre")
def work(record_id: int) -> Response:
    _get(record_id)
    catalogue = services.get_catalogue()
    target = url_for("cataloguing.edit", record_id=record_id) + "#oeuvre"
    if request.form.get("action") == "unlink":
        with catalogue.transaction():
            catalogue.unlink_work(record_id)
            record_audit(
                "record.unlink",
                target_type="record",
                target_id=record_id,
                summary="Notice détachée de son œuvre",
            )
        reindex()
        flash("Notice détachée de l'œuvre.", "success")
        return redirect(target)
    other = id_arg(request.form.get("autre"))
    if other is None or other == record_id:
        flash("Indiquez le numéro d'une autre notice.", "error")
        return redirect(target)
    try:
        partner = catalogue.get(other)
    except NotFound:
        flash(f"Notice n° {other} introuvable.", "error")
        return redirect(target)
    if partner.deleted:
        flash(f"La notice n° {other} est dans la corbeille.", "error")
        return redirect(target)
    with catalogue.transaction():
        work_id = catalogue.link_work([record_id, other])
        record_audit(
            "record.link",
            target_type="record",
            target_id=record_id,
            summary=f"Liée à la notice n° {other} comme une même œuvre (n° {work_id})",
        )
    reindex()
    flash(f"Notices n° {record_id} et n° {other} liées : une même œuvre.", "success")
    return redirect(target)


@bp.post("/<id:record_id>/corbeille")
def delete(record_id: int) -> Response:
    record = _get(record_id)
    if record.deleted:
        return redirect(url_for("admin.trash"))
    if any(c.status is CopyStatus.ON_LOAN for c in record.copies):
        flash(
            "Un exemplaire de cette notice est en prêt : enregistrez son retour avant de la "
            "mettre à la corbeille.",
            "error",
        )
        return redirect(url_for("cataloguing.edit", record_id=record_id))
    catalogue = services.get_catalogue()
    periodical = catalogue.periodical_for_record(record_id)
    if periodical is not None and periodical.issue_count:  # see library.periodicals
        flash(
            f"Ce périodique a {periodical.issue_count} numéro(s) : supprimez-les d'abord "
            "(page Périodiques), ou gardez-le.",
            "error",
        )
        return redirect(url_for("cataloguing.edit", record_id=record_id))
    with catalogue.transaction():
        catalogue.delete(record_id)
        record_audit(
            "record.delete",
            target_type="record",
            target_id=record_id,
            summary=f"Notice mise à la corbeille : {record.title[:120]}",
        )
    reindex(record_id)
    flash(
        f"Notice n° {record_id} mise à la corbeille : elle n'apparaît plus dans la recherche.",
        "success",
    )
    return redirect(url_for("admin.trash"))


@bp.post("/<id:record_id>/restaurer")
def restore(record_id: int) -> Response:
    record = _get(record_id)
    catalogue = services.get_catalogue()
    if record.deleted:
        with catalogue.transaction():
            catalogue.restore(record_id)
            record_audit(
                "record.restore",
                target_type="record",
                target_id=record_id,
                summary=f"Notice restaurée : {record.title[:120]}",
            )
        reindex(record_id)
        flash(
            f"Notice n° {record_id} restaurée : elle est de nouveau dans la recherche.", "success"
        )
    return redirect(url_for("cataloguing.edit", record_id=record_id))


# -- helpers ----------------------------------------------------------------------------------


def _get(record_id: int) -> Record:
    try:
        return services.get_catalogue().get(record_id)
    except NotFound:
        abort(404)


def _login() -> str:
    from ..security import actor

    return actor()


def _copy_rows() -> list[tuple[str, str, str]]:
    barcodes = request.form.getlist("copy_barcode")
    calls = request.form.getlist("copy_call_number")
    places = request.form.getlist("copy_location")
    rows = []
    for i, barcode in enumerate(barcodes):
        rows.append(
            (
                clean_line(barcode)[:64],
                clean_line(calls[i] if i < len(calls) else "")[:100],
                clean_line(places[i] if i < len(places) else "")[:100],
            )
        )
    return rows or [("", "", "")]


def _check_new_copies(rows: list[tuple[str, str, str]], record: Record | None) -> str | None:
    barcodes = [b for b, _, _ in rows if b]
    if not barcodes:
        return None
    if record is not None and record.support is not Support.PAPIER:
        return "Seule une notice papier a des exemplaires : videz les codes-barres ou choisissez « Papier »."
    if len(set(barcodes)) != len(barcodes):
        return "Le même code-barres est saisi deux fois."
    known = sorted(set(barcodes) & services.get_catalogue().barcodes())
    if known:
        return f"Code-barres déjà attribué : {', '.join(known)}."
    return None


def _render_form(
    form: RecordForm,
    record: Record | None,
    *,
    copies: list[tuple[str, str, str]] | None = None,
    duplicates: list[DuplicateCandidate] | None = None,
    chosen_themes: list[str] | None = None,
) -> str:
    catalogue = services.get_catalogue()
    context: dict[str, Any] = {}
    if record is None:
        context["theme_choices"] = list(services.theme_labels().items())
        context["chosen_themes"] = set(chosen_themes or [])
    if record is not None and record.id is not None:
        from ..messages import explain

        rows = {row.slug: row for row in catalogue.theme_rows(record.id)}
        context["themes"] = [
            {
                "slug": slug,
                "label": label,
                "row": rows.get(slug),
                "effective": slug in record.theme_slugs,
                "why": explain(rows[slug].auto_evidence) if slug in rows else "",
                "passages": (rows[slug].auto_evidence or {}).get("passages", [])[:2]
                if slug in rows
                else [],
            }
            for slug, label in services.theme_labels().items()
        ]
        context["work"] = catalogue.work_members(record.id)
        context["history"] = desk().record_history(record.id)[:10]
        context["queue"] = desk().queue(record.id)
    return render_template(
        "admin/record_form.html",
        form=form,
        record=record,
        copies=copies or [],
        duplicates=duplicates or [],
        duplicate_reasons=DUPLICATE_REASONS,
        doc_types=[(t.value, t.label) for t in DocType],
        role_choices=ROLE_CHOICES,
        supports=[(s.value, support_label(s)) for s in Support],
        languages=language_choices(form.values.get("language")),
        copy_statuses=COPY_STATUSES,
        today=date.today().isoformat(),
        **context,
    )
