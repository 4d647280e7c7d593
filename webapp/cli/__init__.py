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
    help="Dossier de l'instance : catalogue, index, dépôt de fichiers, configuration"
    " (variable FONDS_INSTANCE).",
)
@click.version_option(package_name="fonds", help="Afficher la version et quitter.")
@click.pass_context
def cli(ctx: click.Context, instance: Path) -> None:
    """Fonds : le système documentaire d'un centre de ressources politique de la ville."""
    env = Env(instance)
    ctx.obj = env
    ctx.call_on_close(env.close)


class _FrenchHelp(click.HelpFormatter):
    """Click's own words in the help pages, in French like the rest of it."""

    _HEADINGS = {
        "Options": "Options",
        "Commands": "Commandes",
        "Positional arguments": "Arguments",
    }

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Utilisation : " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(self._HEADINGS.get(heading, heading))


class _FrenchContext(click.Context):
    formatter_class = _FrenchHelp


def _french_help(command: click.Command) -> None:
    """Every command of the tree: French headings, and a French line for --help."""
    command.context_class = _FrenchContext
    original = command.get_help_option

    def help_option(ctx: click.Context) -> click.Option | None:
        option = original(ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option

    # click offers no hook for the help option's text: replaced per command.
    command.get_help_option = help_option  # type: ignore[method-assign]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _french_help(sub)


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
    from . import authorities, backup, borrowers, loans, restore, users

    for module in (users, borrowers, loans, backup, restore, authorities):
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
_french_help(cli)


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
