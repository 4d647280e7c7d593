"""Periodicals in the workspace (/admin/periodiques/): titles (ISSN, frequency, publisher),
their issues (PMB's bulletinage: record an issue received, generate the expected ones from
the frequency), copies of an issue, and the articles analysed from an issue.

Each write goes to the catalogue with its audit entry in one transaction, then to the index
(a periodical and an article are records)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from library import (
    Author,
    AuthorKind,
    AuthorRole,
    Copy,
    DocType,
    InvalidRecord,
    NotFound,
    Record,
    Support,
)
from library.formats.common import split_role
from library.identifiers import normalise_issn
from library.models import Host
from library.periodicals import (
    FREQUENCY_LABELS,
    MAX_GENERATED,
    Frequency,
    Issue,
    IssueStatus,
    Periodical,
    PeriodicalRefusal,
    Problem,
    clean_pages,
    date_problem,
    number_problem,
    pages_problem,
)
from library.text import clean_line
from library.validation import admit, clean_multiline

from .. import services
from ..messages import problem_reason
from ..public.periodicals import periodical_or_404
from .admin_common import record_audit, reindex, tagger, today

bp = Blueprint("periodicals", __name__, url_prefix="/admin/periodiques")

FREQUENCY_CHOICES = [(f.value, FREQUENCY_LABELS[f]) for f in Frequency]
STATUS_CHOICES = [("received", "Reçu"), ("expected", "Attendu")]
MAX_ARTICLE_AUTHORS = 50


@dataclass
class Form:
    """What a form shows: values as typed and an error per field (admin/_macros.html)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


# The catalogue's refusals about periodicals (library.periodicals.PeriodicalRefusal), in words.
_REFUSALS: dict[str, str] = {
    "issn-check-digit": "ISSN {issn} invalide : la clé de contrôle ne correspond pas"
    " (vérifiez la saisie)",
    "issn-taken": "l'ISSN {issn} est déjà celui de « {title} »",
    "title-has-issues": "« {title} » a {count} numéro(s) : supprimez-les d'abord, ou gardez"
    " le périodique",
    "number-missing": "numéro du fascicule obligatoire",
    "number-too-long": "numéro trop long ({limit} caractères au plus)",
    "number-taken": "le numéro {number} existe déjà pour ce périodique",
    "date-unreadable": "date « {value} » : au format AAAA, AAAA-MM ou AAAA-MM-JJ",
    "pages-unreadable": "pages « {pages} » illisibles : une page (7) ou un intervalle (12-25)",
    "pages-reversed": "pages « {pages} » : la dernière page précède la première",
    "frequency-irregular": "périodicité irrégulière : ajoutez les numéros un à un",
    "number-not-counted": "le numéro « {number} » ne se termine pas par un nombre à incrémenter",
    "no-start-date": "le numéro {number} n'a pas de date d'où partir",
    "count-out-of-range": "de 1 à {limit} numéros à la fois",
    "no-dated-issue": "ajoutez d'abord un numéro daté : les suivants en partent",
    "issue-in-use": "le numéro {number} a {articles} article(s) et {copies} exemplaire(s) :"
    " il est gardé",
    "host-is-itself": "un périodique n'est pas un article de ses numéros",
    "host-without-title": "article sans titre de périodique",
}


def refusal_text(refused: InvalidRecord | Problem) -> str:
    """A refusal of the catalogue in French (its reason as it is when it has no code here)."""
    if isinstance(refused, Problem):
        return _REFUSALS[refused.code].format(**refused.facts)
    if isinstance(refused, PeriodicalRefusal) and refused.code in _REFUSALS:
        return _REFUSALS[refused.code].format(**refused.facts)
    return refused.reason


def _sentence(reason: str) -> str:
    return reason[:1].upper() + _clause(reason)[1:]


def _clause(reason: str) -> str:
    """A reason after a colon: as it is, with its full stop."""
    return reason + ("" if reason.endswith(".") else ".")


# -- titles -----------------------------------------------------------------------------------


@bp.get("/")
def index() -> str:
    catalogue = services.get_catalogue()
    late: dict[int, int] = {}
    for item in catalogue.late_issues(today()):
        late[item.issue.periodical_id] = late.get(item.issue.periodical_id, 0) + 1
    return render_template(
        "admin/periodicals/list.html",
        periodicals=catalogue.periodicals(),
        late=late,
        frequencies=FREQUENCY_LABELS,
    )


@bp.route("/nouveau", methods=["GET", "POST"])
def new() -> Any:
    if request.method == "GET":
        return _title_form(Form({"frequency": "trimestriel", "support": "papier"}), None)
    form, record, frequency = _parse_title(None)
    if record is None:
        return _title_form(form, None), 400
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            stored = catalogue.add_periodical(record, frequency)
            record_audit(
                "periodical.create",
                target_type="record",
                target_id=stored.id,
                summary=f"Périodique créé : {stored.title[:120]}",
            )
    except InvalidRecord as exc:
        form.errors[exc.field if exc.field in form.values else "title"] = _sentence(
            refusal_text(exc)
        )
        return _title_form(form, None), 400
    reindex(stored.id)
    flash(f"Périodique « {stored.title} » créé.", "success")
    return redirect(url_for("periodicals.show", periodical_id=stored.id))


@bp.route("/<id:periodical_id>/modifier", methods=["GET", "POST"])
def edit(periodical_id: int) -> Any:
    found = periodical_or_404(periodical_id)
    if request.method == "GET":
        record = found.record
        values = {
            "title": record.title,
            "issn": record.issn,
            "publisher": record.publisher,
            "place": record.place,
            "frequency": found.frequency.value,
            "support": record.support.value,
            "call_number": record.call_number,
        }
        return _title_form(Form(values), found)
    form, changed, frequency = _parse_title(found)
    if changed is None:
        return _title_form(form, found), 400
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            catalogue.save_periodical(changed, frequency)
            record_audit(
                "periodical.edit",
                target_type="record",
                target_id=periodical_id,
                summary=f"Périodique modifié : {changed.title[:120]}",
            )
    except InvalidRecord as exc:
        form.errors[exc.field if exc.field in form.values else "title"] = _sentence(
            refusal_text(exc)
        )
        return _title_form(form, found), 400
    articles = catalogue.articles([i.id for i in catalogue.issues(periodical_id) if i.id])
    reindex(periodical_id, *(a.id for found_ in articles.values() for a in found_ if a.id))
    flash("Périodique enregistré.", "success")
    return redirect(url_for("periodicals.show", periodical_id=periodical_id))


@bp.post("/<id:periodical_id>/supprimer")
def delete(periodical_id: int) -> Response:
    found = periodical_or_404(periodical_id)
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            catalogue.delete_periodical(periodical_id)
            record_audit(
                "periodical.delete",
                target_type="record",
                target_id=periodical_id,
                summary=f"Périodique supprimé : {found.title[:120]}",
            )
    except InvalidRecord as exc:
        flash(f"Suppression impossible : {_clause(refusal_text(exc))}", "error")
        return redirect(url_for("periodicals.show", periodical_id=periodical_id))
    reindex(periodical_id)
    flash(f"Périodique « {found.title} » mis à la corbeille.", "success")
    return redirect(url_for("periodicals.index"))


def _title_form(form: Form, found: Periodical | None) -> str:
    return render_template(
        "admin/periodicals/form.html",
        form=form,
        periodical=found,
        frequencies=FREQUENCY_CHOICES,
        supports=[("papier", "Papier"), ("electronique", "Électronique")],
    )


def _parse_title(found: Periodical | None) -> tuple[Form, Record | None, Frequency]:
    names = ("title", "issn", "publisher", "place", "frequency", "support", "call_number")
    form = Form({name: clean_line(request.form.get(name, "")) for name in names})
    values = form.values
    if not values["title"]:
        form.errors["title"] = "Le titre est obligatoire."
    issn = ""
    if values["issn"]:
        try:
            issn = normalise_issn(values["issn"])
        except ValueError:
            form.errors["issn"] = (
                f"ISSN {values['issn']} invalide : la clé de contrôle ne correspond pas"
                " (vérifiez la saisie)."
            )
    try:
        frequency = Frequency(values["frequency"])
    except ValueError:
        form.errors["frequency"], frequency = "Périodicité inconnue.", Frequency.IRREGULIER
    try:
        support = Support(values["support"] or "papier")
    except ValueError:
        form.errors["support"], support = "Support inconnu.", Support.PAPIER
    if found is not None and found.record.copies and support is not Support.PAPIER:
        form.errors["support"] = "Ce périodique a des exemplaires papier : il reste papier."
    if form.errors:
        return form, None, frequency
    base = found.record if found is not None else Record(title="", language="fr")
    record = replace(
        base,
        title=values["title"],
        issn=issn,
        publisher=values["publisher"],
        place=values["place"],
        support=support,
        call_number=values["call_number"],
        doc_type=DocType.REVUE,
        curated=True,
        source=base.source or "saisie",
    )
    record, problems = admit(record)
    for refused in problems:
        form.errors.setdefault(refused.field, _sentence(problem_reason(refused)))
    return (form, None, frequency) if form.errors else (form, record, frequency)


# -- one title and its issues -----------------------------------------------------------------


@bp.get("/<id:periodical_id>")
def show(periodical_id: int) -> str:
    found = periodical_or_404(periodical_id)
    return _show(found, Form({"status": "received"}))


def _show(found: Periodical, issue_form: Form, status: int = 200) -> Any:
    catalogue = services.get_catalogue()
    issues = catalogue.issues(found.id)
    articles = catalogue.articles([i.id for i in issues if i.id is not None])
    copies: dict[int, list[Copy]] = {}
    for copy in found.record.copies:
        if copy.issue_id is not None:
            copies.setdefault(copy.issue_id, []).append(copy)
    page = render_template(
        "admin/periodicals/show.html",
        periodical=found,
        issues=issues,
        articles=articles,
        copies=copies,
        today=today(),
        form=issue_form,
        statuses=STATUS_CHOICES,
        frequencies=FREQUENCY_LABELS,
        max_generated=MAX_GENERATED,
    )
    return (page, status) if status != 200 else page


@bp.post("/<id:periodical_id>/numeros")
def add_issue(periodical_id: int) -> Any:
    found = periodical_or_404(periodical_id)
    form = Form({name: clean_line(request.form.get(name, "")) for name in ("number", "date")})
    form.values["status"] = request.form.get("status", "received")
    number, when = form.values["number"], form.values["date"]
    for name, problem in (("number", number_problem(number)), ("date", date_problem(when))):
        if problem is not None:
            form.errors[name] = _sentence(refusal_text(problem))
    try:
        status = IssueStatus(form.values["status"])
    except ValueError:
        form.errors["status"], status = "État inconnu.", IssueStatus.RECEIVED
    if form.errors:
        return _show(found, form, 400)
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            added = catalogue.add_issue(Issue(periodical_id, number, when, status), now=None)
            record_audit(
                "issue.add",
                target_type="record",
                target_id=periodical_id,
                summary=f"Numéro {added.number} ajouté ({_status_word(added.status)})",
            )
    except InvalidRecord as exc:
        form.errors["number" if exc.field == "number" else "date"] = _sentence(refusal_text(exc))
        return _show(found, form, 400)
    flash(f"Numéro {added.number} ajouté.", "success")
    return redirect(url_for("periodicals.show", periodical_id=periodical_id) + "#numeros")


@bp.post("/<id:periodical_id>/attendus")
def expect(periodical_id: int) -> Response:
    found = periodical_or_404(periodical_id)
    target = url_for("periodicals.show", periodical_id=periodical_id) + "#numeros"
    raw = request.form.get("count", "").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_GENERATED:
        flash(f"Nombre de numéros à prévoir : de 1 à {MAX_GENERATED}.", "error")
        return redirect(target)
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            made = catalogue.expect_issues(periodical_id, int(raw))
            record_audit(
                "issue.expect",
                target_type="record",
                target_id=periodical_id,
                summary=f"{len(made)} numéro(s) attendu(s) prévu(s) pour {found.title[:80]}",
            )
    except InvalidRecord as exc:
        flash(f"Rien n'a été prévu : {_clause(refusal_text(exc))}", "error")
        return redirect(target)
    if made:
        flash(
            f"{len(made)} numéro(s) attendu(s) : "
            + ", ".join(f"n° {i.number} ({i.date})" for i in made)
            + ".",
            "success",
        )
    else:
        flash("Ces numéros existent déjà : rien de nouveau.", "warning")
    return redirect(target)


@bp.post("/numeros/<id:issue_id>/reception")
def receive(issue_id: int) -> Response:
    """Record an issue received (bulletinage), with a copy when a barcode is given."""
    issue = _issue(issue_id)
    target = url_for("periodicals.show", periodical_id=issue.periodical_id) + f"#numero-{issue_id}"
    barcode = clean_line(request.form.get("barcode", ""))[:64]
    call_number = clean_line(request.form.get("call_number", ""))[:100]
    location = clean_line(request.form.get("location", ""))[:100]
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            if issue.status is not IssueStatus.RECEIVED:
                catalogue.receive_issue(issue_id, today().isoformat())
            if barcode:
                catalogue.add_issue_copy(issue_id, Copy(barcode, call_number, location))
            record_audit(
                "issue.receive",
                target_type="record",
                target_id=issue.periodical_id,
                summary=f"Numéro {issue.number} reçu"
                + (f", exemplaire {barcode}" if barcode else ""),
            )
    except InvalidRecord as exc:
        reason = (
            f"le code-barres {barcode} existe déjà" if exc.field == "barcode" else refusal_text(exc)
        )
        if "paper" in exc.reason:
            reason = "seul un périodique papier a des exemplaires"
        flash(f"Rien n'a été enregistré : {_clause(reason)}", "error")
        return redirect(target)
    if barcode:
        reindex(issue.periodical_id)
    flash(
        f"Numéro {issue.number} reçu" + (f", exemplaire {barcode} ajouté." if barcode else "."),
        "success",
    )
    return redirect(target)


@bp.post("/numeros/<id:issue_id>/supprimer")
def delete_issue(issue_id: int) -> Response:
    issue = _issue(issue_id)
    target = url_for("periodicals.show", periodical_id=issue.periodical_id) + "#numeros"
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            catalogue.delete_issue(issue_id)
            record_audit(
                "issue.delete",
                target_type="record",
                target_id=issue.periodical_id,
                summary=f"Numéro {issue.number} supprimé",
            )
    except InvalidRecord as exc:
        flash(f"Suppression impossible : {_clause(refusal_text(exc))}", "error")
        return redirect(target)
    flash(f"Numéro {issue.number} supprimé.", "success")
    return redirect(target)


# -- articles ---------------------------------------------------------------------------------


@bp.route("/numeros/<id:issue_id>/article", methods=["GET", "POST"])
def new_article(issue_id: int) -> Any:
    """An article analysed from an issue: a record of type article that names the issue and
    its pages, tagged like any record, with the thematics the documentalist chose."""
    issue = _issue(issue_id)
    found = periodical_or_404(issue.periodical_id)
    if request.method == "GET":
        return _article_form(Form({"language": "fr"}), issue, found, [])
    form, record = _parse_article(issue, found)
    chosen = [s for s in services.theme_labels() if s in set(request.form.getlist("thematique"))]
    if record is None:
        return _article_form(form, issue, found, chosen), 400
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            stored = catalogue.add(record)
            assert stored.id is not None
            catalogue.set_auto_themes(stored.id, _tag(stored))
            for slug in chosen:
                catalogue.set_manual_theme(stored.id, slug, "add", by=_login())
            record_audit(
                "record.create",
                target_type="record",
                target_id=stored.id,
                summary=f"Article créé dans {found.title[:60]} n° {issue.number} :"
                f" {stored.title[:80]}",
            )
    except InvalidRecord as exc:
        form.errors["pages" if exc.field == "host" else "title"] = _sentence(refusal_text(exc))
        return _article_form(form, issue, found, chosen), 400
    reindex(stored.id)
    flash(
        f"Article « {stored.title} » ajouté au n° {issue.number}. Vérifiez ses thématiques.",
        "success",
    )
    return redirect(url_for("cataloguing.edit", record_id=stored.id))


def _article_form(form: Form, issue: Issue, found: Periodical, chosen: list[str]) -> str:
    return render_template(
        "admin/periodicals/article.html",
        form=form,
        issue=issue,
        periodical=found,
        themes=services.theme_labels(),
        chosen=set(chosen),
    )


def _parse_article(issue: Issue, found: Periodical) -> tuple[Form, Record | None]:
    names = ("title", "subtitle", "pages", "language", "keywords")
    form = Form({name: clean_line(request.form.get(name, "")) for name in names})
    form.values["authors"] = request.form.get("authors", "")
    form.values["abstract"] = clean_multiline(request.form.get("abstract", ""))
    values = form.values
    if not values["title"]:
        form.errors["title"] = "Le titre de l'article est obligatoire."
    pages = clean_pages(values["pages"])
    problem = pages_problem(pages)
    if problem is not None:
        form.errors["pages"] = _sentence(refusal_text(problem))
    authors = []
    for line in values["authors"].splitlines():
        line = clean_line(line)
        if not line:
            continue
        name, role = split_role(line)
        if role is None:
            form.errors["authors"] = (
                f"Rôle inconnu dans « {line} » : (trad.), (dir.), (ill.), (préf.) ou rien"
                " pour un auteur."
            )
            break
        kind = AuthorKind.PERSON if "," in name else AuthorKind.ORGANISATION
        authors.append(Author(name, kind, role or AuthorRole.AUTHOR))
    if len(authors) > MAX_ARTICLE_AUTHORS:
        form.errors["authors"] = f"{MAX_ARTICLE_AUTHORS} auteurs au plus."
    language = values["language"] or "und"
    if not language.isascii() or not language.isalpha() or not 2 <= len(language) <= 3:
        form.errors["language"] = "Code de langue ISO 639-1 (fr, en, es…)."
    if form.errors:
        return form, None
    year = int(issue.date[:4]) if issue.date[:4].isdigit() else None
    record = Record(
        title=values["title"],
        subtitle=values["subtitle"],
        authors=tuple(authors),
        date=issue.date,
        year=year,
        doc_type=DocType.ARTICLE,
        support=found.record.support,
        language=language.lower(),
        abstract=values["abstract"],
        keywords=tuple(
            dict.fromkeys(k.strip() for k in values["keywords"].split(";") if k.strip())
        ),
        host=Host(
            found.title, found.record.issn, issue.number, issue.date, pages, found.id, issue.id
        ),
        curated=True,
        source="saisie",
    )
    record, problems = admit(record)
    for refused in problems:
        form.errors.setdefault(refused.field, _sentence(problem_reason(refused)))
    return (form, None) if form.errors else (form, record)


# -- helpers ----------------------------------------------------------------------------------


def _issue(issue_id: int) -> Issue:
    try:
        return services.get_catalogue().issue(issue_id)
    except NotFound:
        abort(404)


def _status_word(status: IssueStatus) -> str:
    return "reçu" if status is IssueStatus.RECEIVED else "attendu"


def _tag(record: Record) -> list[Any]:
    from indexer.tagging import TagInput

    return list(tagger().tag(TagInput.from_record(record, "")))


def _login() -> str:
    from .. import security

    return security.actor()
