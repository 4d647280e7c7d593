"""`fonds tags evaluate|review`: how good the automatic thematics are, and what needs a look."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from indexer.tag_evaluation import (
    LabelsError,
    Report,
    cross_validate,
    evaluate,
    read_labels,
    resolve,
)
from indexer.tagging import explain
from library import Record, TextStatus, ThemeSource

from .env import CliError, Env, pass_env, print_json

DEFAULT_LABELS = Path("corpus") / "labels.csv"


@click.group("tags")
def command() -> None:
    """Marquage thématique : évaluation et liste à revoir."""


@command.command("evaluate")
@click.option(
    "--labels",
    "labels_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_LABELS,
    show_default=True,
    help="Jeu étiqueté « ref;themes » (références documents/… ou barcode:…).",
)
@click.option("--json", "as_json", is_flag=True, help="Résultats en JSON.")
@click.option(
    "--folds",
    type=click.IntRange(min=2),
    default=None,
    help="Validation croisée en K plis : seuils ajustés sur K−1 plis, mesurés sur le dernier.",
)
@pass_env
def evaluate_command(env: Env, labels_path: Path, as_json: bool, folds: int | None) -> None:
    """Mesurer le marquage actuel sur un jeu étiqueté (rien n'est écrit)."""
    try:
        labels = read_labels(labels_path)
    except LabelsError as exc:
        raise CliError(str(exc)) from None
    tagger = env.tagger()
    labelled = resolve(env.catalogue(), labels, labels_path.parent, tagger.slugs)
    if not labelled.docs:
        raise CliError(f"aucune référence de {labels_path} n'a été trouvée dans le catalogue")
    fitted: list[Any] = []
    if folds:
        if folds > len(labelled.docs):
            raise CliError(
                f"--folds ne peut dépasser le nombre de documents ({len(labelled.docs)})"
            )
        report, fitted = cross_validate(tagger, labelled.docs, folds)
    else:
        report = evaluate(tagger, labelled.docs)
    if as_json:
        data = {**report.as_dict(), "missing": len(labelled.missing)}
        data = {"documents": data.pop("documents"), "missing": data.pop("missing"), **data}
        if folds:
            data["folds"] = folds
            data["fitted"] = [_fitted(s) for s in fitted]
        print_json(data)
        return
    _print_report(report, labelled.missing, folds, fitted)
    if labelled.unknown_themes:
        click.echo(
            f"Thématiques inconnues du vocabulaire : {', '.join(sorted(labelled.unknown_themes))}"
        )


def _fitted(settings: Any) -> dict[str, float]:
    return {
        "threshold": settings.threshold, "relative": settings.relative,
        "threshold_without_text": settings.threshold_without_text,
        "relative_without_text": settings.relative_without_text,
    }  # fmt: skip


def _print_report(report: Report, missing: list[str], folds: int | None, fitted: list[Any]) -> None:
    what = (f"validation croisée en {folds} plis (seuils ajustés hors du pli mesuré)" if folds
            else "marquage actuel")  # fmt: skip
    click.echo(f"Évaluation sur {report.documents} documents — {what}")
    if missing:
        click.echo(f"Références introuvables dans le catalogue : {len(missing)}"
                   f" ({', '.join(missing[:5])}{' …' if len(missing) > 5 else ''})")  # fmt: skip
    click.echo(f"{'Thématique':<24} {'Précision':>9} {'Rappel':>7} {'F1':>6} {'Effectif':>9}")
    for slug, (scores, support) in report.per_theme.items():
        click.echo(f"{slug:<24} {scores.precision:>9.2f} {scores.recall:>7.2f} {scores.f1:>6.2f}"
                   f" {support:>9}")  # fmt: skip
    for name, scores in (("Micro-moyenne", report.micro), ("Macro-moyenne", report.macro)):
        click.echo(f"{name:<24} {scores.precision:>9.2f} {scores.recall:>7.2f} {scores.f1:>6.2f}")
    share = f"{report.untagged_share * 100:.1f}".replace(".", ",")
    click.echo(f"Documents sans thématique : {share} %")
    if fitted:
        pairs = ", ".join(
            f"{s.threshold:g}/{s.relative:g} et {s.threshold_without_text:g}/"
            f"{s.relative_without_text:g}"
            for s in fitted
        )
        click.echo(
            f"Seuil/coupure relative retenus par pli (texte intégral et notice seule) : {pairs}"
        )


@command.command("review")
@click.option("--json", "as_json", is_flag=True, help="Liste en JSON.")
@pass_env
def review_command(env: Env, as_json: bool) -> None:
    """Notices à revoir : sans thématique, à thématiques peu sûres, sans texte (à océriser).

    Une thématique automatique est « peu sûre » quand son score est sous le seuil de confiance
    du marqueur (0,45 sur une échelle de 0 à 1) ; une notice n'y figure que si toutes ses
    thématiques sont automatiques et peu sûres.
    """
    catalogue = env.catalogue()
    low = env.tagger().settings.low_confidence
    lists: dict[str, list[dict[str, Any]]] = {"untagged": [], "low_confidence": [], "to_ocr": []}
    ids = catalogue.ids()
    for start in range(0, len(ids), 500):
        for record in catalogue.get_many(ids[start : start + 500]).values():
            if record.deleted:
                continue
            item = _item(record)
            if not record.themes:
                lists["untagged"].append(item)
            elif all(
                t.source is ThemeSource.AUTO and (t.score or 0.0) < low for t in record.themes
            ):
                lists["low_confidence"].append(item)
            if record.text_status is TextStatus.EMPTY:
                lists["to_ocr"].append(item)
    if as_json:
        print_json({**lists, "low_confidence_below": low})
        return
    headings = {
        "untagged": "Sans thématique",
        "low_confidence": f"Thématiques peu sûres (score < {low:g})",
        "to_ocr": "Sans texte (à océriser)",
    }
    for key, heading in headings.items():
        click.echo(f"{heading} : {len(lists[key])}")
        for item in lists[key]:
            themes = ", ".join(f"{t['slug']} {t['score']:.2f}" for t in item["themes"])
            why = f" — {item['why']}" if item.get("why") else ""
            click.echo(
                f"  n° {item['id']:<6} {item['title'][:70]}"
                + (f" [{themes}]{why}" if themes else "")
            )


def _item(record: Record) -> dict[str, Any]:
    themes = [
        {"slug": t.slug, "score": t.score or 0.0, "source": t.source.value} for t in record.themes
    ]
    first = record.themes[0] if record.themes else None
    return {"id": record.id, "title": record.title, "themes": themes,
            "why": explain(first.evidence) if first else ""}  # fmt: skip
