"""`fonds ocr [RECORD_ID...]`: recognise the text of scanned documents waiting in the OCR queue."""

from __future__ import annotations

import fcntl
import sys
import time
from typing import IO, Any

import click

from indexer.ocr.runner import OcrLine, OcrOptions, OcrReport, OcrRunner
from indexer.ocr.tools import missing_tools
from library import Catalogue
from library.ocr_queue import OcrQueue
from library.store import FileStore

from ..ocr_messages import ocr_reason, ocr_unavailable
from .env import EXIT_UNAVAILABLE, CliError, Env, pass_env, print_json

EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C


@click.command("ocr")
@click.argument("record_ids", metavar="[NOTICE]...", nargs=-1, type=click.IntRange(min=1))
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Processus d'OCR (défaut : un par cœur)."
)
@click.option("--json", "as_json", is_flag=True, help="Le compte rendu en JSON sur la sortie.")
@pass_env
def command(env: Env, record_ids: tuple[int, ...], jobs: int | None, as_json: bool) -> None:
    """Océriser les documents scannés en attente (reconnaissance du texte par Tesseract).

    \b
    Sans argument : tous les documents en attente d'OCR (mis en attente par « fonds index »).
    Avec des numéros de notice : ces notices, même déjà océrisées ou en échec.
    Le texte trouvé est enregistré page par page, la langue détectée, les thématiques
    recalculées et l'index mis à jour ; le PDF avec couche texte est proposé au
    téléchargement à côté du fichier d'origine, qui reste tel quel.
    Interrompue (Ctrl-C), la commande reprend là où elle s'était arrêtée au lancement suivant.
    """
    config = env.config
    languages = str(config["OCR_LANGUAGES"])
    missing = missing_tools(languages)
    if missing is not None:
        raise CliError(ocr_unavailable(missing), EXIT_UNAVAILABLE)
    catalogue = env.catalogue()
    lock = _lock(env)
    runner = OcrRunner(
        catalogue,
        env.index(),
        FileStore(env.paths.store_dir),
        tagger=env.tagger(),
        options=OcrOptions(
            languages=languages,
            jobs=jobs or int(config["OCR_JOBS"]),
            page_timeout=float(config["OCR_PAGE_TIMEOUT"]),
            max_pages=int(config["OCR_MAX_PAGES"]),
        ),
    )
    progress = _Progress(runner) if sys.stderr.isatty() and not as_json else None
    if progress is not None:
        runner.progress = progress
        progress.start()
    try:
        report = runner.run(list(record_ids))
    finally:
        lock.close()
    if progress is not None:
        click.echo("", err=True)
    if as_json:
        print_json(report.to_json())
    elif report.lines or not report.interrupted:
        _print_summary(report)
    if report.interrupted:
        if not as_json:
            click.echo(
                f"interrompu : {report.remaining} document(s) restent en file ; "
                "relancez « fonds ocr » pour continuer",
                err=True,
            )
        raise SystemExit(EXIT_INTERRUPTED)


def _lock(env: Env) -> IO[bytes]:
    """One `fonds ocr` at a time per instance: a second one would recognise the same scans."""
    handle = open(env.root / "ocr.lock", "wb")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise CliError(
            "une océrisation est déjà en cours sur cette instance (un autre « fonds ocr ») : "
            "attendez qu'elle se termine",
            EXIT_UNAVAILABLE,
        ) from None
    return handle


class _Progress:
    """A progress bar on the terminal (stderr): documents done, pages recognised."""

    def __init__(self, runner: OcrRunner) -> None:
        self.runner = runner
        self.done = 0
        self.pages = 0
        self.started = time.monotonic()

    def start(self) -> None:
        self._show()

    def __call__(self, line: OcrLine) -> None:
        self.done += 1
        self.pages += line.pages
        self._show()

    def _show(self) -> None:
        total = self.runner.total
        width = 30
        filled = int(width * self.done / total) if total else 0
        bar = "#" * filled + "-" * (width - filled)
        elapsed = time.monotonic() - self.started
        click.echo(
            f"\r[{bar}] {self.done}/{total or '?'} documents, {self.pages} pages ({elapsed:.0f} s)",
            err=True,
            nl=False,
        )


def _print_summary(report: OcrReport) -> None:
    counts = report.counts
    if not report.lines:
        click.echo("file d'OCR vide : aucun document scanné en attente")
        return
    rate = (
        f", {report.pages / report.seconds:.2f} pages/s" if report.seconds and report.pages else ""
    )
    click.echo(
        f"{len(report.lines)} documents : {counts['done']} océrisés, "
        f"{counts['pending']} à retenter, {counts['failed']} en échec — "
        f"{report.pages} pages en {report.seconds:.1f} s{rate}"
    )
    for line in report.lines:
        if line.status == "done":
            note = f"{line.pages} pages, langue {line.language}"
            if line.skipped_pages:
                note += ", pages sautées (délai dépassé) : " + ", ".join(
                    str(p) for p in line.skipped_pages if p
                )
            click.echo(f"  notice n° {line.record_id} : océrisée ({note})")
        else:
            label = "à retenter" if line.status == "pending" else "en échec"
            reason = ocr_reason(line.error_code, line.error_detail)
            click.echo(f"  notice n° {line.record_id} : {label} — {reason}")


def ocr_waiting(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The records waiting for OCR (pending or failed), as `fonds check --json` lists them."""
    return [
        {
            "id": item.record_id,
            "status": item.status.value,
            "attempts": item.attempts,
            "reason": ocr_reason(item.error_code, item.error_detail) if item.error_code else "",
        }
        for item in OcrQueue(catalogue).waiting()
    ]


def print_ocr_waiting(waiting: list[dict[str, Any]]) -> None:
    """Not a problem of consistency: a list of work to do (`fonds ocr`), printed after."""
    if not waiting:
        return
    pending = [w for w in waiting if w["status"] == "pending"]
    failed = [w for w in waiting if w["status"] == "failed"]
    if pending:
        ids = ", ".join(str(w["id"]) for w in pending[:20]) + (" …" if len(pending) > 20 else "")
        click.echo(
            f"en attente d'OCR : {len(pending)} notice(s) scannée(s) (n° {ids}) : lancez « fonds ocr »"
        )
    for w in failed:
        click.echo(f"OCR en échec : notice n° {w['id']} — {w['reason']}")
