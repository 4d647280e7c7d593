"""`fonds tags evaluate|train|review`: how good the automatic thematics are, learning from the
documentalist's confirmed thematics, and what needs a look."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from indexer.instance import model_for_instance
from indexer.tag_assessment import AssessmentRefused, assess
from indexer.tag_evaluation import CrossValidation, LabelsError, Report
from indexer.tag_learning import TooFewLabels, learn
from indexer.tag_model import FEATURES, MODEL_FILE, ModelError
from library import Record
from library.review import theme_review

from ..policies import today as configured_today
from .env import CliError, Env, pass_env, print_json
from .messages import (
    assessment_refusal,
    explain,
    explain_model,
    labels_problem,
    model_problem,
    too_few_labels,
)

DEFAULT_LABELS = Path("corpus") / "labels.csv"


@click.group("tags")
def command() -> None:
    """Marquage thématique : évaluation, apprentissage et liste à revoir."""


def _labels_option(default: Path | None) -> Any:
    return click.option(
        "--labels",
        "labels_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help="Jeu étiqueté « ref;themes » (références documents/… ou barcode:…).",
    )


# -- evaluate ----------------------------------------------------------------------------------


@command.command("evaluate")
@_labels_option(DEFAULT_LABELS)
@click.option("--json", "as_json", is_flag=True, help="Résultats en JSON.")
@click.option(
    "--folds",
    type=click.IntRange(min=2),
    default=None,
    help="Validation croisée en K plis : règles seules et règles + modèle appris, chacun"
    " ajusté sur K−1 plis et mesuré sur le dernier.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Graine du tirage des plis.")
@pass_env
def evaluate_command(
    env: Env, labels_path: Path, as_json: bool, folds: int | None, seed: int
) -> None:
    """Mesurer le marquage sur un jeu étiqueté (rien n'est écrit)."""
    try:
        done = assess(env.catalogue(), env.tagger(), labels_path, folds=folds, seed=seed)
    except LabelsError as exc:
        raise CliError(labels_problem(exc)) from None
    except AssessmentRefused as exc:
        raise CliError(assessment_refusal(exc)) from None
    cv = done.cross_validation
    if as_json:
        data = done.as_dict()
        if cv is not None and cv.model_error is not None:
            data["model_error"] = model_problem(cv.model_error)
        print_json(data)
        return
    if cv is not None:
        _print_cv(cv, done.missing, done.training_only)
    else:
        assert done.report is not None
        click.echo(
            f"Évaluation sur {done.report.documents} documents — marquage actuel :"
            f" {model_status(env)}"
        )
        _print_missing(done.missing)
        _print_table(done.report)
        if done.trained_on:
            click.echo(
                f"Attention : {done.trained_on} de ces documents ont servi à entraîner le"
                " modèle ; ces chiffres sont optimistes. Mesure honnête : --folds 5."
            )
    if done.unknown_themes:
        click.echo(
            f"Thématiques inconnues du vocabulaire : {', '.join(sorted(done.unknown_themes))}"
        )


def _print_missing(missing: Sequence[str]) -> None:
    if missing:
        click.echo(
            f"Références introuvables dans le catalogue : {len(missing)}"
            f" ({', '.join(missing[:5])}{' …' if len(missing) > 5 else ''})"
        )


def _number(value: float, spec: str = "g") -> str:
    """A number the French way: decimal comma, true minus sign."""
    return format(value, spec).replace(".", ",").replace("-", "−")


def _share(value: float) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")


def _print_table(report: Report) -> None:
    click.echo(f"{'Thématique':<24} {'Précision':>9} {'Rappel':>7} {'F1':>6} {'Effectif':>9}")
    for slug, (scores, support) in report.per_theme.items():
        click.echo(
            f"{slug:<24} {scores.precision:>9.2f} {scores.recall:>7.2f} {scores.f1:>6.2f}"
            f" {support:>9}"
        )
    for name, scores in (("Micro-moyenne", report.micro), ("Macro-moyenne", report.macro)):
        click.echo(f"{name:<24} {scores.precision:>9.2f} {scores.recall:>7.2f} {scores.f1:>6.2f}")
    click.echo(f"Documents sans thématique : {_share(report.untagged_share)}")


def _print_cv(cv: CrossValidation, missing: Sequence[str], extra: int) -> None:
    click.echo(
        f"Évaluation sur {cv.rules.documents} documents — validation croisée en {cv.folds} plis"
        f" (graine {cv.seed}) : chaque pli est mesuré par un système ajusté sur les autres plis"
    )
    _print_missing(missing)
    if extra:
        click.echo(
            f"Plus {extra} notices corrigées dans le catalogue, pour l'apprentissage seulement"
        )
    _print_comparison(cv)
    pairs = ", ".join(
        f"{s.threshold:g}/{s.relative:g} et {s.threshold_without_text:g}/"
        f"{s.relative_without_text:g}"
        for s in cv.rule_settings
    )
    click.echo(
        f"Règles — seuil/coupure relative par pli (texte intégral et notice seule) : {pairs}"
    )
    if cv.model is not None:
        choices = ", ".join(
            f"{c.penalty:g}/{c.theme_penalty:g} et {c.threshold:g}" for c in cv.selections
        )
        click.echo(
            f"Modèle — pénalités L2 (commune/par thématique) et seuil de probabilité par"
            f" pli : {choices}"
        )


def _print_comparison(cv: CrossValidation) -> None:
    rules, model = cv.rules, cv.model
    if model is None:
        _print_table(rules)
        why = model_problem(cv.model_error) if cv.model_error else ""
        click.echo(f"Modèle appris : non évalué ({why})")
        return
    click.echo(f"{'':<25}{'Règles seules':^21}    {'Règles + modèle appris':^21}")
    head = f"{'Préc.':>6} {'Rappel':>7} {'F1':>6}"
    click.echo(f"{'Thématique':<24} {head}    {head}  {'Effectif':>8}")
    for slug, (r, support) in rules.per_theme.items():
        m = model.per_theme.get(slug, (r, support))[0]
        click.echo(
            f"{slug:<24} {r.precision:>6.2f} {r.recall:>7.2f} {r.f1:>6.2f}    "
            f"{m.precision:>6.2f} {m.recall:>7.2f} {m.f1:>6.2f}  {support:>8}"
        )
    for name, r, m in (
        ("Micro-moyenne", rules.micro, model.micro),
        ("Macro-moyenne", rules.macro, model.macro),
    ):
        click.echo(
            f"{name:<24} {r.precision:>6.2f} {r.recall:>7.2f} {r.f1:>6.2f}    "
            f"{m.precision:>6.2f} {m.recall:>7.2f} {m.f1:>6.2f}"
        )
    click.echo(
        f"{'Documents sans thématique':<24} {_share(rules.untagged_share):>21}    "
        f"{_share(model.untagged_share):>21}"
    )


# -- train -------------------------------------------------------------------------------------


@command.command("train")
@_labels_option(None)
@click.option(
    "--folds",
    type=click.IntRange(min=2),
    default=5,
    show_default=True,
    help="Plis de la validation croisée qui compare règles seules et modèle.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Graine des tirages.")
@click.option("--dry-run", is_flag=True, help="Mesurer sans enregistrer le modèle.")
@click.option("--json", "as_json", is_flag=True, help="Résumé en JSON.")
@pass_env
def train_command(
    env: Env, labels_path: Path | None, folds: int, seed: int, dry_run: bool, as_json: bool
) -> None:
    """Apprendre des thématiques confirmées par le documentaliste.

    \b
    Exemples : les notices sur lesquelles le documentaliste a ajouté ou retiré une
    thématique (avec les thématiques qu'elles affichent), et le jeu --labels s'il est donné.
    Le modèle (instance/tagging-model.json, poids lisibles) décide ensuite à la place des
    seuils des règles ; les termes trouvés et les passages restent la justification de
    chaque thématique. Appliquez-le aux notices existantes avec « fonds retag --all ».
    """
    path = env.root / MODEL_FILE
    try:
        done = learn(
            env.catalogue(),
            env.tagger(),
            labels_file=labels_path,
            folds=folds,
            seed=seed,
            today=configured_today(env.config),
            save_to=None if dry_run else path,
        )
    except LabelsError as exc:
        raise CliError(labels_problem(exc)) from None
    except TooFewLabels as exc:
        raise CliError(too_few_labels(exc)) from None
    except ModelError as exc:
        raise CliError(model_problem(exc)) from None
    model, cv = done.model, done.cross_validation
    if as_json:
        print_json(
            {
                "documents": done.documents,
                "from_labels_file": done.from_file,
                "from_catalogue": done.from_catalogue,
                "missing": len(done.missing),
                "saved": not dry_run,
                "path": str(path),
                "threshold": model.threshold,
                "penalty": model.penalty,
                "theme_penalty": model.theme_penalty,
                "cross_validation": model.info.get("cross_validation"),
            }
        )
        return
    click.echo(
        f"Apprentissage sur {done.documents} documents étiquetés ({done.from_file} du fichier,"
        f" {done.from_catalogue} notices corrigées dans le catalogue)"
    )
    _print_missing(done.missing)
    if cv is not None:
        click.echo(
            f"Validation croisée en {folds} plis (graine {seed}), chaque pli mesuré par un"
            " système ajusté sur les autres :"
        )
        _print_comparison(cv)
    click.echo(
        f"Modèle : seuil de probabilité {_number(model.threshold)}, pénalités L2"
        f" {_number(model.penalty)} (poids communs) et {_number(model.theme_penalty)}"
        " (par thématique). Poids appris :"
    )
    for (_, label), weight in sorted(
        zip(FEATURES, model.weights, strict=True), key=lambda item: -abs(item[1])
    ):
        click.echo(f"  {label:<50} {_number(weight, '+.2f')}")
    if dry_run:
        click.echo("Simulation : rien n'est enregistré.")
    else:
        click.echo(
            f"Modèle enregistré : {path}. Pour l'appliquer aux notices existantes :"
            " fonds retag --all"
        )


# -- review ------------------------------------------------------------------------------------


@command.command("review")
@click.option("--json", "as_json", is_flag=True, help="Liste en JSON.")
@pass_env
def review_command(env: Env, as_json: bool) -> None:
    """Notices à revoir : sans thématique, à thématiques peu sûres, sans texte (à océriser).

    Une thématique automatique est « peu sûre » quand son score est sous le seuil de confiance
    du marqueur (0,45 sur une échelle de 0 à 1 avec les règles seules ; une probabilité de
    0,6 avec le modèle appris) ; une notice n'y figure que si toutes ses thématiques sont
    automatiques et peu sûres.
    """
    configured = env.config.get("REVIEW_LOW_CONFIDENCE")
    low = float(configured) if configured is not None else env.tagger().low_confidence
    found = theme_review(env.catalogue(), low_confidence=low)
    lists = {
        "untagged": [_item(r) for r in found.untagged],
        "low_confidence": [_item(r) for r in found.low_confidence],
        "to_ocr": [_item(r) for r in found.to_ocr],
    }
    if as_json:
        print_json({**lists, "low_confidence_below": found.below})
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
            if item.get("model"):
                click.echo(f"           {item['model']}")


def _item(record: Record) -> dict[str, Any]:
    themes = [
        {"slug": t.slug, "score": t.score or 0.0, "source": t.source.value} for t in record.themes
    ]
    first = record.themes[0] if record.themes else None
    return {
        "id": record.id,
        "title": record.title,
        "themes": themes,
        "why": explain(first.evidence) if first else "",
        "model": explain_model(first.evidence) if first else "",
    }


def model_status(env: Env) -> str:
    """One French line on the learned model in force (for `fonds retag`)."""
    load = model_for_instance(env.root, env.vocabulary().vocabulary)
    if load.model is None:
        return "règles du vocabulaire seules (aucun modèle appris)"
    trained = load.model.info.get("trained_at", "?")
    line = f"règles du vocabulaire + modèle appris ({load.path.name}, entraîné le {trained})"
    if load.stale:
        line += " — le vocabulaire a changé depuis : relancez « fonds tags train »"
    return line
