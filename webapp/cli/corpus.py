"""`fonds corpus generate`: a synthetic fund for scale tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from corpus.synth.fund import FORMAT_ORDER, generate_fund

from .env import CliError

_FORMAT_LABELS = {"pdf": "PDF", "docx": "DOCX", "txt": "TXT", "md": "Markdown", "html": "HTML"}


@click.group("corpus")
def command() -> None:
    """Fonds synthétiques (données de test et de mesure)."""


@command.command("generate")
@click.argument("out", metavar="DOSSIER", type=click.Path(path_type=Path))
@click.option(
    "--documents",
    "-n",
    "count",
    required=True,
    type=click.IntRange(min=1),
    help="Nombre de documents (à peu près moitié fichiers, moitié notices papier).",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Même graine, même fonds.")
def generate(out: Path, count: int, seed: int) -> None:
    """Écrire DOSSIER/documents/, DOSSIER/catalogue.csv et DOSSIER/labels.csv, de façon reproductible."""
    try:
        summary = generate_fund(out, count, seed)
    except FileExistsError:
        raise CliError(
            f"{out} existe déjà et n’est pas un dossier vide : choisissez un dossier neuf"
        ) from None
    except OSError as exc:
        raise CliError(f"impossible d’écrire dans {out} : {exc.strerror or exc}") from None
    formats = ", ".join(
        f"{summary.by_format[fmt]} {_FORMAT_LABELS[fmt]}"
        for fmt in FORMAT_ORDER
        if summary.by_format[fmt]
    )
    files = f"{summary.files} fichier{'s' if summary.files > 1 else ''}"
    paper = f"{summary.paper} notice{'s' if summary.paper > 1 else ''} papier"
    click.echo(
        f"{summary.documents} documents générés dans {out} : "
        f"{files}{f' ({formats})' if formats else ''}, {paper}"
    )
