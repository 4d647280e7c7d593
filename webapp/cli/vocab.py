"""`fonds vocab export|import|check`: the thematic vocabulary as files (TOML, SKOS)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from indexer.instance import write_instance_vocabulary
from indexer.vocabulary import (
    INSTANCE_FILE,
    PACKAGED_VOCABULARY,
    Vocabulary,
    VocabularyError,
    load_vocabulary,
)

from .env import CliError, Env, pass_env
from .messages import vocabulary_problem

_SKOS_SUFFIXES = (".ttl", ".rdf", ".xml", ".owl", ".n3", ".nt")


@click.group("vocab")
def command() -> None:
    """Vocabulaire thématique : vérifier, exporter et importer (SKOS)."""


@command.command("check")
@click.argument(
    "file", metavar="[FICHIER]", required=False, type=click.Path(dir_okay=False, path_type=Path)
)
@pass_env
def check_command(env: Env, file: Path | None) -> None:
    """Valider un vocabulaire (par défaut celui de l'instance, sinon celui livré avec Fonds)."""
    if file is None:
        own = env.root / INSTANCE_FILE
        file = own if own.exists() else PACKAGED_VOCABULARY
    try:
        if file.suffix.lower() in _SKOS_SUFFIXES:
            from indexer.skos import import_skos  # rdflib: loaded by the SKOS commands only

            vocabulary = import_skos(file)
        else:
            vocabulary = load_vocabulary(file)
    except VocabularyError as exc:
        raise CliError(vocabulary_problem(exc)) from None
    click.echo(f"vocabulaire valide : {_size(vocabulary)} ({file})")


@command.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "rdfxml"]),
    default="turtle",
    show_default=True,
    help="Syntaxe SKOS.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier à écrire (par défaut : la sortie standard).",
)
@pass_env
def export_command(env: Env, fmt: str, output: Path | None) -> None:
    """Exporter le vocabulaire en vigueur en SKOS (Turtle ou RDF/XML)."""
    from indexer.skos import export_skos  # rdflib: loaded by the SKOS commands only

    vocabulary = env.vocabulary().vocabulary
    text = export_skos(vocabulary, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"vocabulaire exporté : {output} ({_size(vocabulary)})", err=True)


@command.command("import")
@click.argument("file", metavar="FICHIER", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Montrer ce qui serait importé sans rien écrire.")
@pass_env
def import_command(env: Env, file: Path, dry_run: bool) -> None:
    """Importer un thésaurus SKOS (Turtle ou RDF/XML) comme vocabulaire de l'instance.

    Chaque concept de tête devient une thématique ; prefLabel, altLabel, hiddenLabel,
    scopeNote et les concepts plus étroits deviennent ses libellé, termes, indices, note et
    termes spécifiques. L'ancien fichier de l'instance est gardé en sauvegarde. Lancez ensuite
    `fonds retag --all` pour appliquer le nouveau vocabulaire.
    """
    from indexer.skos import import_skos  # rdflib: loaded by the SKOS commands only

    try:
        vocabulary = import_skos(file)
    except VocabularyError as exc:
        raise CliError(vocabulary_problem(exc)) from None
    current = env.vocabulary().vocabulary
    new, old = set(vocabulary.labels()), set(current.labels())
    click.echo(f"{file} : {_size(vocabulary)}")
    if new - old:
        click.echo(f"  thématiques nouvelles : {', '.join(sorted(new - old))}")
    if old - new:
        click.echo(
            f"  thématiques absentes (leurs notices les perdront au prochain retag) :"
            f" {', '.join(sorted(old - new))}"
        )
    if dry_run:
        click.echo("Simulation : rien n'est écrit.")
        return
    env.root.mkdir(parents=True, exist_ok=True)
    header = (
        f"Vocabulaire importé de {file.name} le {date.today().isoformat()} "
        "par `fonds vocab import`.\nFormat : voir indexer/data/vocabulary.toml."
    )
    try:
        backup = write_instance_vocabulary(env.root, vocabulary.to_toml(header))
    except VocabularyError as exc:
        raise CliError(vocabulary_problem(exc)) from None
    click.echo(
        f"vocabulaire installé : {env.root / INSTANCE_FILE}"
        + (f" (ancien fichier sauvegardé : {backup.name})" if backup else "")
    )
    click.echo("Pour l'appliquer aux notices : fonds retag --all")


def _size(vocabulary: Vocabulary) -> str:
    return f"{len(vocabulary.themes)} thématiques, {vocabulary.term_count()} termes"
