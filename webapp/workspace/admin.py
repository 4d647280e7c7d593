"""The documentalist's workspace (/admin/): login, logout, home, review list, trash, audit log.

Cataloguing, uploads, loans, borrowers and statistics have their own blueprint modules; all
of them live under /admin/, where webapp/security.py lets nobody in without a session."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from library import audit
from library.loans import Loans
from library.review import REVIEW_KINDS, review_list
from library.users import AccountError, LoginThrottle, Users

from .. import security, services
from ..messages import account_problem
from ..params import id_arg, page_arg
from ..policies import loan_policy, scrypt_cost, throttle_policy, today
from .admin_common import tagger

bp = Blueprint("admin", __name__, url_prefix="/admin")

REVIEW_LABELS = {
    "no-theme": "Sans thématique",
    "low-confidence": "Thématiques automatiques peu sûres",
    "empty-text": "Sans texte (à océriser)",
    "missing-fields": "Champs manquants",
}
FIELD_LABELS = {
    "year": "année",
    "authors": "auteurs",
    "language": "langue",
    "doc_type": "type",
    "call_number": "cote",
}
PAGE_SIZE = 50


def users() -> Users:
    return Users(services.get_catalogue(), cost=scrypt_cost(current_app.config))


# -- login and logout ---------------------------------------------------------------------


@bp.route("/connexion", methods=["GET", "POST"])
def login() -> Any:
    suivant = security.safe_next(request.values.get("suivant"))
    if request.method == "GET":
        if security.current_user() is not None:
            return redirect(suivant or url_for("admin.home"))
        return render_template("admin/login.html", suivant=suivant, login="", error=None)
    login_name = request.form.get("identifiant", "").strip()[:64]
    password = request.form.get("mot_de_passe", "")
    catalogue = services.get_catalogue()
    throttle = LoginThrottle(catalogue, throttle_policy(current_app.config))
    now = time.time()
    address = security.client_address()
    wait = throttle.retry_after(login_name, address, now)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        error = f"Trop de tentatives de connexion : réessayez dans {minutes} minute(s)."
        page = render_template("admin/login.html", suivant=suivant, login=login_name, error=error)
        return page, 429, {"Retry-After": str(int(wait) + 1)}
    user = users().authenticate(login_name, password)
    throttle.record(login_name, address, user is not None, now)
    if user is None:
        error = "Identifiant ou mot de passe incorrect."
        return (
            render_template("admin/login.html", suivant=suivant, login=login_name, error=error),
            401,
            {"WWW-Authenticate": 'Form realm="Fonds"'},
        )
    security.start_session(user)
    audit.log(
        catalogue,
        user.login,
        "user.login",
        target_type="user",
        target_id=user.id,
        summary=f"Connexion depuis {address}",
    )
    flash(f"Bienvenue, {user.display_name or user.login}.", "success")
    return redirect(suivant or url_for("admin.home"))


@bp.route("/deconnexion", methods=["GET", "POST"])
def logout() -> Any:
    if request.method == "GET":
        return render_template("admin/logout.html")
    user = security.current_user()
    if user is not None:
        audit.log(
            services.get_catalogue(),
            user.login,
            "user.logout",
            target_type="user",
            target_id=user.id,
            summary="Déconnexion",
        )
    security.end_session()
    flash("Vous êtes déconnecté·e.", "success")
    return redirect(url_for("admin.login"))


@bp.post("/deconnexion-partout")
def logout_everywhere() -> Any:
    """End every session of this account: other browsers, a forgotten public computer."""
    user = security.current_user()
    assert user is not None  # the guard saw to it
    audit.log(
        services.get_catalogue(),
        user.login,
        "user.logout_all",
        target_type="user",
        target_id=user.id,
        summary="Déconnexion de tous les appareils",
    )
    security.end_session(everywhere=True)
    flash("Vous êtes déconnecté·e de tous les appareils.", "success")
    return redirect(url_for("admin.login"))


@bp.route("/mot-de-passe", methods=["GET", "POST"])
def password() -> Any:
    user = security.current_user()
    assert user is not None  # the guard saw to it
    if request.method == "GET":
        return render_template("admin/password.html", error=None)
    error = None
    # The current password is a password check like the login's: the same throttle, so a
    # stolen session cannot be used to guess it.
    throttle = LoginThrottle(services.get_catalogue(), throttle_policy(current_app.config))
    now, address = time.time(), security.client_address()
    wait = throttle.retry_after(user.login, address, now)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        error = f"Trop de tentatives : réessayez dans {minutes} minute(s)."
        page = render_template("admin/password.html", error=error)
        return page, 429, {"Retry-After": str(int(wait) + 1)}
    checked = users().authenticate(user.login, request.form.get("actuel", ""))
    throttle.record(user.login, address, checked is not None, now)
    if checked is None:
        error = "Mot de passe actuel incorrect."
    elif request.form.get("nouveau", "") != request.form.get("confirmation", ""):
        error = "Les deux saisies du nouveau mot de passe diffèrent."
    else:
        try:
            changed = users().set_password(user.login, request.form.get("nouveau", ""))
        except AccountError as exc:
            error = account_problem(exc)
        else:
            audit.log(
                services.get_catalogue(),
                user.login,
                "user.passwd",
                target_type="user",
                target_id=user.id,
                summary="Mot de passe changé",
            )
            security.start_session(changed)  # other sessions of this account end
            flash("Mot de passe changé.", "success")
            return redirect(url_for("admin.home"))
    return render_template("admin/password.html", error=error), 400


# -- home, review list, trash, journal ----------------------------------------------------


def ocr_waiting_view(catalogue: Any) -> list[dict[str, Any]]:
    """Scans waiting for `fonds ocr` (or failed there), with their titles, for the dashboard."""
    from library.ocr_queue import OcrQueue

    from ..ocr_messages import STATUS_LABELS, ocr_reason

    items = OcrQueue(catalogue).waiting()
    records = catalogue.get_many([item.record_id for item in items])
    return [
        {
            "id": item.record_id,
            "title": records[item.record_id].title,
            "status": STATUS_LABELS[item.status.value],
            "reason": ocr_reason(item.error_code, item.error_detail) if item.error_code else "",
        }
        for item in items
        if item.record_id in records
    ]


@bp.get("/")
def home() -> str:
    catalogue = services.get_catalogue()
    desk = Loans(catalogue, loan_policy(current_app.config))
    now = today(current_app.config)
    reviews = review_list(catalogue, low_confidence=_low_confidence())
    from .uploads import staging

    return render_template(
        "admin/home.html",
        stats=catalogue.stats(),
        loans=desk.counts(now),
        review_counts={k: len(v) for k, v in reviews.items()},
        review_labels=REVIEW_LABELS,
        pending=len(staging().items()),
        overdue=desk.overdue(now)[:5],
        today=now,
        ocr_waiting=ocr_waiting_view(catalogue),
    )


@bp.get("/a-revoir")
def review() -> str:
    kind = request.args.get("type", "")
    reviews = review_list(services.get_catalogue(), low_confidence=_low_confidence())
    kinds = [kind] if kind in REVIEW_KINDS else list(REVIEW_KINDS)
    return render_template(
        "admin/review.html",
        reviews=reviews,
        kinds=kinds,
        selected=kind,
        labels=REVIEW_LABELS,
        field_labels=FIELD_LABELS,
        all_kinds=REVIEW_KINDS,
    )


@bp.get("/corbeille")
def trash() -> str:
    catalogue = services.get_catalogue()
    found = catalogue.get_many(catalogue.deleted_ids())
    records = sorted(found.values(), key=lambda r: r.updated_at, reverse=True)
    return render_template("admin/trash.html", records=records)


@bp.get("/journal")
def journal() -> str:
    page = page_arg(request.args.get("page"))
    actor = request.args.get("auteur") or None
    kind = request.args.get("objet") or None
    target = id_arg(request.args.get("n"))
    catalogue = services.get_catalogue()
    found, total = audit.entries(
        catalogue,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        actor=actor,
        target_type=kind,
        target_id=target,
    )
    return render_template(
        "admin/journal.html",
        entries=found,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        actors=audit.actors(catalogue),
        actor=actor,
        kind=kind,
        target=target,
    )


def _low_confidence() -> float:
    """The configured threshold, else the tagger's own (it depends on whether a model decides)."""
    configured = current_app.config.get("REVIEW_LOW_CONFIDENCE")
    return float(configured) if configured is not None else float(tagger().low_confidence)
