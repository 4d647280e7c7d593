"""Inventories (/admin/recolement/): start the inventory of a location, scan its shelf with a
hand scanner (a field that empties and refocuses itself after each Enter, with or without
JavaScript), see what is on the shelf, on loan, missing or misplaced, close, export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from library.inventory import Inventories, InventoryError, Outcome
from library.labels import shelf_locations

from .. import services
from ..messages import french_date, inventory_problem
from .admin_common import record_audit, today

bp = Blueprint("inventory", __name__, url_prefix="/admin/recolement")


def _inventories() -> Inventories:
    return Inventories(services.get_catalogue())


@bp.get("/")
def index() -> str:
    return render_template(
        "admin/inventory/index.html",
        inventories=_inventories().all(),
        locations=shelf_locations(services.get_catalogue().conn),
    )


@bp.post("/")
def start() -> BaseResponse:
    location = request.form.get("emplacement", "")[:200]
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            inventory = _inventories().start(location, today=today())
            record_audit(
                "inventory.start",
                target_type="inventory",
                target_id=inventory.id,
                summary=f"Récolement de « {inventory.location} » ouvert",
            )
    except InventoryError as exc:
        flash(inventory_problem(exc), "error")
        return redirect(url_for("inventory.index"))
    return redirect(url_for("inventory.show", inventory_id=inventory.id))


@bp.get("/<id:inventory_id>")
def show(inventory_id: int) -> str:
    inventory = _get(inventory_id)
    return render_template(
        "admin/inventory/show.html",
        inventory=inventory,
        state=_inventories().state(inventory_id),
        Outcome=Outcome,
    )


@bp.post("/<id:inventory_id>/lecture")
def scan(inventory_id: int) -> Any:
    """One barcode read: said at once (a flash, or JSON for the page's script), scanning goes on."""
    _get(inventory_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        done = _inventories().scan(inventory_id, request.form.get("code", ""))
    except InventoryError as exc:
        message, level = inventory_problem(exc), "error"
        if wants_json:
            return {"message": message, "level": level}, 400
        flash(message, level)
        return redirect(url_for("inventory.show", inventory_id=inventory_id))
    message, level = _said(done)
    if wants_json:
        return {"message": message, "level": level, "outcome": done.outcome.value}
    flash(message, level)
    return redirect(url_for("inventory.show", inventory_id=inventory_id))


@bp.post("/<id:inventory_id>/cloture")
def close(inventory_id: int) -> BaseResponse:
    _get(inventory_id)
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            state = _inventories().close(inventory_id, today=today())
            missing = len(state[Outcome.MISSING])
            record_audit(
                "inventory.close",
                target_type="inventory",
                target_id=inventory_id,
                summary=f"Récolement n° {inventory_id} clos : {missing} exemplaire(s) manquant(s)",
            )
    except InventoryError as exc:
        flash(inventory_problem(exc), "error")
        return redirect(url_for("inventory.show", inventory_id=inventory_id))
    flash(
        f"Récolement clos le {french_date(today().isoformat())} : {missing} exemplaire(s) "
        "marqué(s) manquant(s).",
        "success",
    )
    return redirect(url_for("inventory.show", inventory_id=inventory_id))


@bp.get("/<id:inventory_id>/rapport.csv")
def report(inventory_id: int) -> Response:
    inventory = _get(inventory_id)
    return Response(
        _inventories().report_csv(inventory_id),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="recolement-{inventory.id}-'
            f'{inventory.started_on.isoformat()}.csv"'
        },
    )


def _said(done: Any) -> tuple[str, str]:
    line = done.line
    what = f"{done.barcode}" + (f" « {line.title} »" if line.title else "")
    if done.already:
        return f"{what} : déjà lu, compté une seule fois.", "warning"
    if done.lent:
        return (
            f"{what} : en rayon, mais en prêt d'après le catalogue : enregistrez son retour.",
            "warning",
        )
    if done.outcome is Outcome.ON_SHELF:
        return f"{what} : en rayon.", "success"
    if done.outcome is Outcome.MISPLACED:
        return f"{what} : mal rangé, sa place est « {line.location} ».", "warning"
    if done.outcome is Outcome.WITHDRAWN:
        return f"{what} : exemplaire retiré du fonds, à mettre de côté.", "warning"
    return (
        f"Code-barres inconnu : {done.barcode}. Lecture gardée pour le rapport ; continuez.",
        "error",
    )


def _get(inventory_id: int) -> Any:
    try:
        return _inventories().get(inventory_id)
    except InventoryError:
        abort(404)
