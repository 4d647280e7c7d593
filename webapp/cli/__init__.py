"""The `fonds` command. One module per command; errors become one line and an exit code."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from pathlib import Path

import click

from indexer.search import IndexBusy
from library import CatalogueError

from .env import EXIT_REFUSED, EXIT_UNAVAILABLE, CliError, Env

# Each command's module (exposing `command`, a click command or group), imported when the
# command runs or a help page lists it: importing them all made every start load the OCR, the
# text extractors and their libraries (0.5 s of `fonds import`, a few hundredths of
# `fonds show`).
COMMAND_MODULES = {
    "index": "index",
    "import": "importer",
    "search": "search",
    "show": "show",
    "stats": "stats",
    "reindex": "reindex",
    "check": "check",
    "serve": "serve",
    "retag": "retag",
    "tags": "tags",
    "vocab": "vocab",
    "relevance": "relevance",
    "corpus": "corpus",
    # The documentalist's workspace: accounts, borrowers, the loan desk, backups.
    "user": "users",
    "borrower": "borrowers",
    "loan": "loans",
    "backup": "backup",
    "restore": "restore",
    "autorites": "authorities",
    # Sharing the fund: exports in exchange formats (imports are `fonds import`).
    "export": "export",
    # Scans: text recognition through Tesseract.
    "ocr": "ocr",
    # Veille by e-mail: subscribers, confirmations, digests.
    "alert": "alert",
}


class _Group(click.Group):
    """The commands, each loaded when first asked for; errors raised deep become one French
    line and an exit code, for every command."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"{__name__}.{COMMAND_MODULES[cmd_name]}")
            _french_help(module.command)
            self.add_command(module.command, cmd_name)
        return self.commands.get(cmd_name)

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

    _EXTRAS = (
        ("default: ", "par défaut : "),
        ("env var: ", "variable : "),
        ("required", "obligatoire"),
    )

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("COMMAND [ARGS]...", "COMMANDE [ARGUMENTS]...")
        super().write_usage(prog, args, "Utilisation : " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(self._HEADINGS.get(heading, heading))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """An option's trailing "[default: …; required]" in French."""
        super().write_dl(
            [(self._french_metavar(term), self._french_extra(text)) for term, text in rows],
            col_max,
            col_spacing,
        )

    _METAVARS = re.compile(
        r"\b(?:INTEGER RANGE|FLOAT RANGE|INTEGER|FLOAT|TEXT|FILE|DIRECTORY|PATH)\b"
    )
    _METAVAR_WORDS = {
        "INTEGER RANGE": "ENTIER",
        "FLOAT RANGE": "NOMBRE",
        "INTEGER": "ENTIER",
        "FLOAT": "NOMBRE",
        "TEXT": "TEXTE",
        "FILE": "FICHIER",
        "DIRECTORY": "DOSSIER",
        "PATH": "CHEMIN",
    }

    @classmethod
    def _french_metavar(cls, term: str) -> str:
        """Click's names of value types ("--seed INTEGER") in French; an option's own
        metavar (1,2,3, AAAA-MM-JJ) stays as written."""
        if not term.startswith("-"):
            return term
        return cls._METAVARS.sub(lambda m: cls._METAVAR_WORDS[m.group(0)], term)

    @classmethod
    def _french_extra(cls, text: str) -> str:
        head, bracket, extra = text.rpartition("  [")
        if not bracket and text.startswith("["):
            head, extra = "", text[1:]
        elif not bracket:
            return text
        for english, french in cls._EXTRAS:
            extra = extra.replace(english, french)
        return f"{head}  [{extra}" if head else f"[{extra}"


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


_french_help(cli)


def main() -> None:
    try:
        cli.main(prog_name="fonds", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("fonds: interrompu", err=True)
        raise SystemExit(130) from None
    except click.UsageError as exc:  # Click's own refusals, in French like the rest
        from .messages import usage_problem

        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
            click.echo(f"Aide : « {exc.ctx.command_path} --help ».\n", err=True)
        click.echo(f"fonds: {usage_problem(exc)}", err=True)
        raise SystemExit(exc.exit_code) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
