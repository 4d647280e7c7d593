"""`fonds check [--repair]`: verify that catalogue, index and file store agree."""

from __future__ import annotations

import click

from indexer.consistency import check, repair
from library.store import FileStore

from .env import EXIT_REFUSED, Env, pass_env, print_json
from .messages import check_problem, repair_text
from .ocr import ocr_waiting, print_ocr_waiting


@click.command("check")
@click.option(
    "--repair", "fix", is_flag=True, help="Réparer ce qui peut l'être (index, dépôt de fichiers)."
)
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def command(env: Env, fix: bool, as_json: bool) -> None:
    """Vérifier que le catalogue, l'index et le dépôt de fichiers concordent.

    Code de sortie 0 quand tout concorde ; 1 avec la liste des problèmes sinon."""
    catalogue = env.catalogue()
    index = env.index(sync=False)
    store = FileStore(env.paths.store_dir)
    problems = check(catalogue, index, store)
    done: list[str] = []
    if fix and problems:
        done = [repair_text(r) for r in repair(catalogue, index, store, problems)]
        problems = check(catalogue, index, store)
    waiting = ocr_waiting(catalogue)
    if as_json:
        print_json(
            {
                "ok": not problems,
                "repaired": done,
                "segments": index.segment_count(),
                "problems": [{"kind": p.kind, "message": check_problem(p)} for p in problems],
                "ocr_waiting": waiting,
            }
        )
    else:
        for line in done:
            click.echo(f"réparé : {line}")
        for problem in problems:
            click.echo(f"problème : {check_problem(problem)}")
        if not problems:
            stats = catalogue.stats()
            click.echo(
                f"cohérent : {stats.live} notices vivantes indexées une fois, "
                f"{len(catalogue.files())} fichiers intacts"
            )
        click.echo(f"index : {_segments(index.segment_count())}")
        print_ocr_waiting(waiting)
    if problems:
        raise SystemExit(EXIT_REFUSED)


def _segments(count: int) -> str:
    return "1 segment" if count == 1 else f"{count} segments (fonds reindex les fusionne en un)"
