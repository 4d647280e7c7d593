"""Authorities in the workspace (/admin/autorites/): list and search persons, organisations,
publishers and collections, see one with the records using it, edit it (a new preferred form
renames it on every record), merge two, delete an unused one; and the JSON the record form's
completion asks (offline, same origin, a documentalist's session).

Each write goes to the catalogue with its audit entry in one transaction, then the records it
changed go to the index before the response, as every cataloguing write does."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from library import NotFound, audit
from library.authorities import (
    Authorities,
    Authority,
    AuthorityKind,
    AuthorityRefused,
    name_key,
)

from .. import services
from ..messages import authority_refusal
from ..params import page_arg
from .admin_common import record_audit, reindex

bp = Blueprint("authorities", __name__, url_prefix="/admin/autorites")

PAGE_SIZE = 50
RECORDS_SHOWN = 200
SUGGESTIONS = 10
KIND_LABELS = {
    AuthorityKind.PERSON: "Personne",
    AuthorityKind.ORGANISATION: "Organisme",
    AuthorityKind.PUBLISHER: "Éditeur",
    AuthorityKind.COLLECTION: "Collection",
}
KIND_PLURALS = {
    AuthorityKind.PERSON: "Personnes",
    AuthorityKind.ORGANISATION: "Organismes",
    AuthorityKind.PUBLISHER: "Éditeurs",
    AuthorityKind.COLLECTION: "Collections",
}
FIELDS = ("name", "variants", "dates", "note")


def _authorities() -> Authorities:
    return Authorities(services.get_catalogue().conn)


def _kind(raw: str | None) -> AuthorityKind | None:
    try:
        return AuthorityKind(raw) if raw else None
    except ValueError:
        return None


def _get(authority_id: int) -> Authority:
    try:
        return _authorities().get(authority_id)
    except NotFound:
        abort(404)


def _typed() -> dict[str, str]:
    return {name: request.form.get(name, "").strip() for name in FIELDS}


def _variants(raw: str) -> list[str]:
    return [line.strip() for line in raw.splitlines() if line.strip()]


def _values(authority: Authority) -> dict[str, str]:
    return {
        "name": authority.name,
        "variants": "\n".join(authority.variants),
        "dates": authority.dates,
        "note": authority.note,
    }


def _audit_view(authority: Authority) -> dict[str, Any]:
    return {
        "forme_retenue": authority.name,
        "formes_rejetees": list(authority.variants),
        "dates": authority.dates,
        "note": authority.note,
    }


# -- list, new --------------------------------------------------------------------------------


@bp.get("/")
def index() -> str:
    kind = _kind(request.args.get("type"))
    q = request.args.get("q", "").strip()[:200]
    page = page_arg(request.args.get("page"))
    auth = _authorities()
    total = auth.count(kind, q)
    found = auth.search(kind, q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template(
        "admin/authorities/index.html",
        authorities=found,
        kind=kind.value if kind else "",
        q=q,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        total=total,
        kinds=KIND_PLURALS,
        labels=KIND_LABELS,
    )


@bp.route("/nouvelle", methods=["GET", "POST"])
def new() -> Any:
    kind = _kind(request.values.get("type")) or AuthorityKind.PERSON
    if request.method == "GET":
        return _new_page(kind, {}, {})
    values = _typed()
    try:
        with services.get_catalogue().transaction():
            created = _authorities().create(
                kind,
                values["name"],
                variants=_variants(values["variants"]),
                dates=values["dates"],
                note=values["note"],
            )
            record_audit(
                "authority.add",
                target_type="authority",
                target_id=created.id,
                summary=f"Autorité n° {created.id} créée : {created.name}",
            )
    except AuthorityRefused as exc:
        return _new_page(kind, values, {exc.field: authority_refusal(exc)}), 400
    flash(f"Autorité « {created.name} » créée.", "success")
    return redirect(url_for("authorities.show", authority_id=created.id))


def _new_page(kind: AuthorityKind, values: dict[str, str], errors: dict[str, str]) -> str:
    return render_template(
        "admin/authorities/new.html",
        kind=kind.value,
        kinds=KIND_LABELS,
        values=values,
        errors=errors,
    )


# -- one authority ----------------------------------------------------------------------------


@bp.route("/<id:authority_id>", methods=["GET", "POST"])
def show(authority_id: int) -> Any:
    """The authority's page; posted, its form: edit, or rename with a new preferred form."""
    before = _get(authority_id)
    if request.method == "GET":
        return _page(before, _values(before), {})
    values = _typed()
    try:
        with services.get_catalogue().transaction():
            after, changed = _authorities().update(
                authority_id,
                name=values["name"],
                variants=_variants(values["variants"]),
                dates=values["dates"],
                note=values["note"],
            )
            renamed = after.name != before.name
            record_audit(
                "authority.rename" if renamed else "authority.edit",
                target_type="authority",
                target_id=authority_id,
                summary=(
                    f"Autorité n° {authority_id} renommée « {after.name} »"
                    f" ({len(changed)} notice(s))"
                    if renamed
                    else f"Autorité n° {authority_id} modifiée : {after.name}"
                ),
                changes=audit.diff(_audit_view(before), _audit_view(after)),
            )
    except AuthorityRefused as exc:
        return _page(before, values, {exc.field: authority_refusal(exc)}), 400
    if changed:
        reindex(*changed)
    if renamed:
        flash(
            f"Autorité renommée « {after.name} » : {len(changed)} notice(s) mise(s) à jour ;"
            f" l'ancienne forme reste une forme rejetée.",
            "success",
        )
    else:
        flash("Autorité enregistrée.", "success")
    return redirect(url_for("authorities.show", authority_id=authority_id))


@bp.post("/<id:authority_id>/fusionner")
def merge(authority_id: int) -> Any:
    """Merge this authority into the one named in `cible` (its number or preferred form)."""
    source = _get(authority_id)
    typed = request.form.get("cible", "").strip()[:300]
    target = _target(source, typed)
    if target is None:
        message = (
            "Indiquez l'autorité qui reste (sa forme retenue ou son numéro)."
            if not typed
            else f"Aucune autorité « {typed} » de ce type : vérifiez la forme retenue ou le numéro."
        )
        return _page(source, _values(source), {"cible": message}, merge_typed=typed), 400
    try:
        with services.get_catalogue().transaction():
            changed = _authorities().merge(source.id, target.id)
            record_audit(
                "authority.merge",
                target_type="authority",
                target_id=target.id,
                summary=(
                    f"Autorité n° {source.id} « {source.name} » fusionnée dans n° {target.id}"
                    f" « {target.name} » ({len(changed)} notice(s))"
                ),
                changes={"autorite": [source.name, target.name]},
            )
    except AuthorityRefused as exc:
        return _page(
            source, _values(source), {"cible": authority_refusal(exc)}, merge_typed=typed
        ), 400
    if changed:
        reindex(*changed)
    flash(
        f"« {source.name} » fusionnée dans « {target.name} » : {len(changed)} notice(s)"
        " mise(s) à jour.",
        "success",
    )
    return redirect(url_for("authorities.show", authority_id=target.id))


def _target(source: Authority, typed: str) -> Authority | None:
    if not typed:
        return None
    auth = _authorities()
    number = typed.removeprefix("n°").strip()
    if number.isdigit() and len(number) < 12:
        try:
            return auth.get(int(number))
        except NotFound:
            return None
    kinds = [source.kind]
    if source.kind in (AuthorityKind.PERSON, AuthorityKind.ORGANISATION):
        kinds = [source.kind, *({AuthorityKind.PERSON, AuthorityKind.ORGANISATION} - {source.kind})]
    key = name_key(typed)
    for kind in kinds:
        for candidate in auth.suggest(kind, typed, limit=SUGGESTIONS):
            if key in {name_key(f) for f in (candidate.name, *candidate.variants)}:
                return candidate  # the source itself too: the merge then says why not
    return None


@bp.post("/<id:authority_id>/supprimer")
def delete(authority_id: int) -> Any:
    authority = _get(authority_id)
    try:
        with services.get_catalogue().transaction():
            _authorities().delete(authority_id)
            record_audit(
                "authority.delete",
                target_type="authority",
                target_id=authority_id,
                summary=f"Autorité n° {authority_id} supprimée : {authority.name}",
            )
    except AuthorityRefused as exc:
        return _page(authority, _values(authority), {"supprimer": authority_refusal(exc)}), 400
    flash(f"Autorité « {authority.name} » supprimée.", "success")
    return redirect(url_for("authorities.index", type=authority.kind.value))


def _page(
    authority: Authority, values: dict[str, str], errors: dict[str, str], merge_typed: str = ""
) -> str:
    ids = _authorities().records_using(authority.id)
    records = services.get_catalogue().get_many(ids[:RECORDS_SHOWN])
    return render_template(
        "admin/authorities/show.html",
        authority=authority,
        label=KIND_LABELS[authority.kind],
        values=values,
        errors=errors,
        records=[records[i] for i in ids[:RECORDS_SHOWN] if i in records],
        record_count=len(ids),
        merge_typed=merge_typed,
        merge_kind=(
            "auteur"
            if authority.kind in (AuthorityKind.PERSON, AuthorityKind.ORGANISATION)
            else authority.kind.value
        ),
    )


# -- completion -------------------------------------------------------------------------------


@bp.get("/suggestions")
def suggestions() -> Response:
    """Authorities whose preferred form or a variant starts a word with `q`, as JSON:
    {"suggestions": [{"id", "name", "kind", "variants"}]}. `type` is a kind, or `auteur`
    (persons and organisations)."""
    raw = request.args.get("type", "")
    q = request.args.get("q", "").strip()[:100]
    if raw == "auteur":
        kinds = [AuthorityKind.PERSON, AuthorityKind.ORGANISATION]
    else:
        kind = _kind(raw)
        if kind is None:
            return jsonify({"error": "type inconnu", "suggestions": []}), 400  # type: ignore[return-value]
        kinds = [kind]
    auth = _authorities()
    found: list[Authority] = []
    if len(q) >= 1:
        for kind in kinds:
            found += auth.suggest(kind, q, limit=SUGGESTIONS)
    found = sorted(found, key=lambda a: (not name_key(a.name).startswith(name_key(q)), a.name))
    return jsonify(
        {
            "suggestions": [
                {"id": a.id, "name": a.name, "kind": a.kind.value, "variants": list(a.variants)}
                for a in found[:SUGGESTIONS]
            ]
        }
    )
