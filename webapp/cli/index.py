"""`fonds index PATH...`: bring files and folders into the catalogue and the index."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from indexer.extractors.base import ExtractionLimits
from indexer.ingest import Ingester, IngestOptions, IngestReport
from library.store import FileStore

from .env import Env, pass_env, print_json
from .messages import INGEST_STATUSES, ingest_json, reason_text


@click.command("index")
@click.argument(
    "paths", metavar="CHEMINS...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processus d'extraction (par défaut : un par cœur).",
)
@click.option("--force", is_flag=True, help="Relire tous les fichiers, même inchangés.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Afficher le compte rendu en JSON sur la sortie standard.",
)
@pass_env
def command(
    env: Env, paths: tuple[Path, ...], jobs: int | None, force: bool, as_json: bool
) -> None:
    """Indexer des fichiers et des dossiers (récursivement) : texte, métadonnées, langue,
    thématiques.

    Code de sortie 0 quand le lot est allé au bout, même si des fichiers ont échoué (ils sont
    listés avec leur motif) ; autre chose seulement quand le lot n'a pas pu être traité."""
    config = env.config
    catalogue = env.catalogue(create=True)
    index = env.index(create=True)
    options = IngestOptions(
        jobs=jobs or int(config["INDEX_JOBS"]),
        max_file_size=int(config["MAX_FILE_SIZE"]),
        timeout=float(config["EXTRACT_TIMEOUT"]),
        batch_seconds=float(config["INDEX_BATCH_SECONDS"]),
        force=force,
        limits=ExtractionLimits(),
    )
    show_progress = sys.stderr.isatty() and not as_json
    ingester = Ingester(
        catalogue, index, FileStore(env.paths.store_dir), tagger=env.tagger(), options=options
    )
    if show_progress:
        ingester.progress = _Progress(ingester)
    report = ingester.run(list(paths))
    if show_progress:
        click.echo("", err=True)
    if as_json:
        print_json(ingest_json(report))
    else:
        _print_summary(report)


class _Progress:
    """A one-line progress display on the terminal (stderr), quiet elsewhere."""

    def __init__(self, ingester: Ingester) -> None:
        self.ingester = ingester
        self.done = 0
        self.shown = 0.0

    def __call__(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        total = self.ingester.total
        if now - self.shown < 0.1 and self.done != total:
            return
        self.shown = now
        if total:
            width = 30
            filled = int(width * self.done / total)
            bar = "#" * filled + "-" * (width - filled)
            click.echo(f"\r[{bar}] {self.done}/{total} fichiers", err=True, nl=False)
        else:
            click.echo(f"\r{self.done} fichiers examinés…", err=True, nl=False)


def _print_summary(report: IngestReport) -> None:
    counts = report.counts
    parts = [
        f"{counts[s]} {INGEST_STATUSES[s]}" for s in ("indexed", "unchanged", "empty", "failed")
    ]
    click.echo(f"{counts['total']} fichiers : " + ", ".join(parts) + f" — {report.seconds:.1f} s")
    for status, title in (("failed", "En échec"), ("empty", "Sans texte (à océriser)")):
        lines = [f for f in report.files if f.status == status]
        if lines:
            click.echo(f"{title} :")
            for f in lines:
                click.echo(f"  {f.path} — {reason_text(f.reason)}" if f.reason else f"  {f.path}")
