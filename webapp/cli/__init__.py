"""The `fonds` command. One module per command; errors become one line and an exit code."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.search import IndexBusy
from library import CatalogueError

from .env import EXIT_REFUSED, EXIT_UNAVAILABLE, CliError, Env


class _Group(click.Group):
    """Errors raised deep become one French line and an exit code, for every command."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except IndexBusy:
            raise CliError(
                "l'index est occupé par un autre processus (une indexation en cours ?) : "
                "réessayez dans un moment ; le catalogue, lui, est à jour",
                EXIT_UNAVAILABLE,
            ) from None
        except CatalogueError as exc:
            raise CliError(str(exc), EXIT_REFUSED) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--instance",
    envvar="FONDS_INSTANCE",
    default="instance",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Instance folder: catalogue, index, file store, configuration (env FONDS_INSTANCE).",
)
@click.version_option(package_name="fonds")
@click.pass_context
def cli(ctx: click.Context, instance: Path) -> None:
    """Fonds: the documentation system of a centre de ressources politique de la ville."""
    env = Env(instance)
    ctx.obj = env
    ctx.call_on_close(env.close)


def _register() -> None:
    # Each command module exposes `command` (a click command or group).
    from . import (
        check,
        corpus,
        importer,
        index,
        reindex,
        relevance,
        retag,
        search,
        serve,
        show,
        stats,
        tags,
        vocab,
    )

    commands = (index, importer, search, show, stats, reindex, check, serve, retag, tags, vocab)
    for module in (*commands, relevance, corpus):
        cli.add_command(module.command)

    # The documentalist's workspace: accounts, borrowers, the loan desk, backups.
    from . import backup, borrowers, loans, restore, users

    for module in (users, borrowers, loans, backup, restore):
        cli.add_command(module.command)

    # Sharing the fund: exports in exchange formats (imports are `fonds import`).
    from . import export

    cli.add_command(export.command)

    # Scans: text recognition through Tesseract.
    from . import ocr

    cli.add_command(ocr.command)

    # Veille by e-mail: subscribers, confirmations, digests.
    from . import alert

    cli.add_command(alert.command)


_register()


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("fonds: interrompu", err=True)
        raise SystemExit(130) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
