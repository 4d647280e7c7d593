"""Labels (/admin/etiquettes/): spine labels and Code 128 barcode labels of a selection of
copies (today's acquisitions, a shelf, a search), as a PDF on an A4 sheet of labels."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, request

from library.labels import (
    LAYOUTS,
    LabelError,
    LabelLayout,
    copies_for_labels,
    labels_pdf,
    shelf_locations,
)

from .. import services
from ..messages import label_problem
from .admin_common import today

bp = Blueprint("labels", __name__, url_prefix="/admin/etiquettes")

# A layout typed by hand (a sheet not in the list): its fields, in millimetres but counts.
_CUSTOM = (
    "colonnes",
    "lignes",
    "largeur",
    "hauteur",
    "marge_gauche",
    "marge_haut",
    "pas_x",
    "pas_y",
)


@bp.get("/")
def form() -> str:
    return _form(dict(request.args), None)


@bp.get("/planche.pdf")
def sheet() -> Any:
    args = {k: v[:200] for k, v in request.args.items()}
    try:
        layout = _layout(args)
        copies = copies_for_labels(
            services.get_catalogue().conn,
            acquired_on=today() if args.get("selection") == "aujourdhui" else None,
            location=args.get("emplacement", "") if args.get("selection") == "rayon" else "",
            query=args.get("q", "") if args.get("selection") == "recherche" else "",
        )
        skip = int(args.get("sauter") or 0)
        pdf = labels_pdf(
            copies,
            layout,
            kind="barcode" if args.get("type") == "code-barres" else "spine",
            skip=skip,
            site_name=current_app.config["SITE_NAME"],
        )
    except ValueError:
        return _form(
            args, "Les nombres de la planche et du décalage doivent être des nombres."
        ), 400
    except LabelError as exc:
        return _form(args, label_problem(exc)), 400
    name = f"etiquettes-{layout.name}-{today().isoformat()}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


def _layout(args: dict[str, str]) -> LabelLayout:
    chosen = args.get("planche", "3x8")
    if chosen != "autre":
        if chosen not in LAYOUTS:
            raise LabelError("unknown-layout", chosen)
        return LAYOUTS[chosen]
    n = {k: float((args.get(k) or "0").replace(",", ".")) for k in _CUSTOM}
    return LabelLayout(
        "autre",
        "Planche personnalisée",
        int(n["colonnes"]),
        int(n["lignes"]),
        n["largeur"],
        n["hauteur"],
        n["marge_gauche"],
        n["marge_haut"],
        n["pas_x"] or n["largeur"],
        n["pas_y"] or n["hauteur"],
    )


def _form(values: dict[str, str], error: str | None) -> str:
    return render_template(
        "admin/labels.html",
        values=values,
        error=error,
        layouts=LAYOUTS,
        locations=shelf_locations(services.get_catalogue().conn),
        today=today(),
    )
