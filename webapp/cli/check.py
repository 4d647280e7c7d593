"""`fonds check [--repair]`: verify that catalogue, index and file store agree."""

from __future__ import annotations

import click

from indexer.consistency import checkup
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
    found = checkup(catalogue, env.index(sync=False), FileStore(env.paths.store_dir), mend=fix)
    done = [repair_text(r) for r in found.repairs]
    waiting = ocr_waiting(catalogue)
    if as_json:
        print_json(
            {
                "ok": found.ok,
                "repaired": done,
                "segments": found.segments,
                "problems": [{"kind": p.kind, "message": check_problem(p)} for p in found.problems],
                "ocr_waiting": waiting,
            }
        )
    else:
        for line in done:
            click.echo(f"réparé : {line}")
        for problem in found.problems:
            click.echo(f"problème : {check_problem(problem)}")
        if found.ok:
            click.echo(
                f"cohérent : {found.live_records} notices vivantes indexées une fois, "
                f"{found.files} fichiers intacts"
            )
        click.echo(f"index : {_segments(found.segments)}")
        print_ocr_waiting(waiting)
    if not found.ok:
        raise SystemExit(EXIT_REFUSED)


def _segments(count: int) -> str:
    return "1 segment" if count == 1 else f"{count} segments (fonds reindex les fusionne en un)"
