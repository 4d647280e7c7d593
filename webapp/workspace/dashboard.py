"""The dashboard (/admin/statistiques): the fund and the loans in charts, each with its table."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, request

from library import DOC_TYPE_LABELS, DocType
from library.statistics import MEASURES, acquisitions_per_year, activity, publications_per_year
from library.text import FRENCH_MONTHS_SHORT

from .. import services
from ..messages import support_label
from ..policies import categories
from .admin_common import desk, today
from .charts import bar_chart, column_chart

bp = Blueprint("dashboard", __name__, url_prefix="/admin/statistiques")


@bp.get("/")
def index() -> str:
    catalogue = services.get_catalogue()
    stats = catalogue.stats()
    labels = services.theme_labels()
    loans = desk()
    now = today()
    themes = sorted(((labels.get(s, s), n) for s, n in stats.by_theme.items()), key=lambda r: -r[1])
    by_type = sorted(
        ((DOC_TYPE_LABELS.get(DocType(t), t), n) for t, n in stats.by_type.items()),
        key=lambda r: -r[1],
    )
    by_support = [(support_label(s), n) for s, n in stats.by_support.items()]
    per_month = loans.loans_per_month(now, 12)
    months = [(f"{FRENCH_MONTHS_SHORT[int(m[5:7]) - 1]} {m[:4]}", n) for m, n in per_month]
    # Under the axis: the month alone, with its year on January and on the first column.
    ticks = [
        FRENCH_MONTHS_SHORT[int(m[5:7]) - 1] + (f" {m[2:4]}" if i == 0 or m[5:7] == "01" else "")
        for i, (m, _) in enumerate(per_month)
    ]
    top = [(title, n) for _, title, n in loans.most_borrowed(10)]
    names = categories(current_app.config)
    by_category = [(names.get(c, c), n) for c, n in loans.loans_by_category().items()]
    charts = [
        bar_chart("themes", "Notices par thématique", themes, key_label="Thématique"),
        bar_chart("types", "Notices par type de document", by_type, key_label="Type"),
        bar_chart("supports", "Notices par support", by_support, key_label="Support"),
        column_chart(
            "acquisitions",
            "Notices cataloguées par année",
            [(str(y), n) for y, n in acquisitions_per_year(catalogue)],
            key_label="Année",
        ),
        column_chart(
            "publications",
            "Notices par année de publication",
            [(str(y), n) for y, n in publications_per_year(catalogue)],
            key_label="Année",
        ),
        column_chart(
            "prets-mois",
            "Prêts par mois (douze derniers mois)",
            months,
            key_label="Mois",
            value_label="Prêts",
            axis=ticks,
        ),
        bar_chart(
            "plus-empruntes",
            "Documents les plus empruntés",
            top,
            key_label="Document",
            value_label="Prêts",
        ),
        bar_chart(
            "categories",
            "Prêts par catégorie d'emprunteur",
            by_category,
            key_label="Catégorie",
            value_label="Prêts",
        ),
    ]
    start, end, period_error = _period(now)
    period = activity(catalogue.conn, start, end)
    month_rows = [
        (
            f"{FRENCH_MONTHS_SHORT[int(m[5:7]) - 1]} {m[:4]}",
            [period.per_month[k].get(m, 0) for k in MEASURES],
        )
        for m in period.months
    ]
    slugs = sorted(
        {slug for measure in MEASURES for slug in period.per_theme[measure]},
        key=lambda slug: labels.get(slug, slug),
    )
    theme_rows = [
        (labels.get(slug, slug), [period.per_theme[k].get(slug, 0) for k in MEASURES])
        for slug in slugs
    ]
    return render_template(
        "admin/dashboard.html",
        charts=charts,
        stats=stats,
        counts=loans.counts(now),
        today=now,
        period=period,
        measures=_MEASURE_LABELS,
        words=_MEASURE_WORDS,
        month_rows=month_rows,
        theme_rows=theme_rows,
        period_error=period_error,
        contact_missing=not current_app.config.get("LOAN_DESK_CONTACT"),
        late_issues=catalogue.late_issues(now),  # periodicals' bulletinage
    )


_MEASURE_LABELS = {
    "prets": "Prêts",
    "retours": "Retours",
    "notices": "Nouvelles notices",
    "consultations": "Consultations de notices",
    "telechargements": "Téléchargements",
}
# The summary's words, singular (0 and 1, as French counts) and plural.
_MEASURE_WORDS = {
    "prets": ("prêt", "prêts"),
    "retours": ("retour", "retours"),
    "notices": ("nouvelle notice", "nouvelles notices"),
    "consultations": ("consultation de notice", "consultations de notices"),
    "telechargements": ("téléchargement", "téléchargements"),
}


def _period(now: date) -> tuple[date, date, str]:
    """The period asked for (?du=AAAA-MM-JJ&au=AAAA-MM-JJ); by default the twelve months up
    to today. A date that does not read falls back to the default, with a message."""
    year, month = (now.year - 1, now.month + 1) if now.month < 12 else (now.year, 1)
    start, end = date(year, month, 1), now
    try:
        if request.args.get("du"):
            start = date.fromisoformat(request.args["du"][:10])
        if request.args.get("au"):
            end = date.fromisoformat(request.args["au"][:10])
    except ValueError:
        return date(year, month, 1), now, "Dates au format AAAA-MM-JJ : période par défaut."
    if end < start:
        return end, start, "La fin précédait le début : les deux dates ont été inversées."
    return start, end, ""
