"""What every command shares: the instance, its configuration, the catalogue and the index."""

from __future__ import annotations

import functools
import json
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from library import Catalogue
from library.instance import InstancePaths

from ..config import load_config

if TYPE_CHECKING:
    from indexer.instance import VocabularyLoad
    from indexer.search import Finder, SearchIndex
    from indexer.tagging import Tagger

# Exit codes (documented in the README).
EXIT_OK = 0
EXIT_REFUSED = 1  # the command ran and said no (check found problems, loan refused, bad input)
EXIT_USAGE = 2  # click's own code for bad options
EXIT_NO_INSTANCE = 3  # no catalogue at the instance path
EXIT_UNAVAILABLE = 4  # the index or catalogue could not be opened or locked in time


class RowId(click.ParamType):
    """A record or borrower number: an integer SQLite can hold (1 to 2**63 - 1)."""

    name = "numéro"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        from ..params import id_arg

        number = value if isinstance(value, int) else id_arg(str(value))
        if number is None or not 1 <= number <= 2**63 - 1:
            self.fail(
                f"numéro invalide : « {str(value)[:40]} » (un entier de 1 à 2^63 - 1)", param, ctx
            )
        return number


ROW_ID = RowId()


class CliError(click.ClickException):
    """One line for the user, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        # click's stubs declare exit_code a ClassVar; click reads it from the instance.
        self.exit_code = code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        click.echo(f"fonds: {self.format_message()}", err=True)


class Env:
    def __init__(self, root: Path) -> None:
        self.paths = InstancePaths(root)
        self._catalogue: Catalogue | None = None
        self._index: SearchIndex | None = None
        self._vocabulary: VocabularyLoad | None = None

    @property
    def root(self) -> Path:
        return self.paths.root

    @cached_property
    def config(self) -> dict[str, Any]:
        return load_config(self.root)

    def catalogue(self, *, create: bool = False) -> Catalogue:
        """The instance's catalogue; only commands that bring documents in may create it."""
        if self._catalogue is None:
            if not create and not self.paths.exists():
                raise CliError(
                    f"pas de catalogue dans {self.root} (créez-le avec `fonds index` ou "
                    "`fonds import`, ou indiquez l'instance avec --instance)",
                    EXIT_NO_INSTANCE,
                )
            self._catalogue = Catalogue.in_instance(self.root)
        return self._catalogue

    def index(self, *, create: bool = False, sync: bool = True) -> SearchIndex:
        """The search index, brought up to date with the catalogue (unless sync=False:
        `fonds check` looks at it as it is)."""
        if self._index is None:
            from indexer.search import SearchIndex, sync_index

            catalogue = self.catalogue(create=create)
            self._index = SearchIndex.open(
                self.paths.index_dir,
                write_timeout=float(self.config["INDEX_WRITE_TIMEOUT"]),
                batch_limit=int(self.config["INDEX_BATCH_MAX"]),
            )
            from indexer.search.concepts import concepts_from

            vocabulary = self.vocabulary().vocabulary
            self._index.set_equivalences(vocabulary.equivalences(), vocabulary.related())
            self._index.set_concepts(concepts_from(vocabulary.themes))
            if sync:
                sync_index(catalogue, self._index)
        return self._index

    def vocabulary(self) -> VocabularyLoad:
        """The thematic vocabulary in force; a broken instance file is reported, never silent."""
        if self._vocabulary is None:
            from indexer.instance import load_for_instance

            self._vocabulary = load_for_instance(self.root)
            if self._vocabulary.error:
                from .messages import vocabulary_problem

                click.echo(
                    f"fonds: vocabulaire invalide, le précédent reste en vigueur : "
                    f"{vocabulary_problem(self._vocabulary.error)}",
                    err=True,
                )
        return self._vocabulary

    def tagger(self) -> Tagger:
        """The vocabulary's rules, deciding with the instance's learned model when it has one."""
        from indexer.instance import tagger_for_instance

        from .messages import model_set_aside

        tagger, load = tagger_for_instance(self.root, self.vocabulary().vocabulary)
        if (problem := model_set_aside(load)) is not None:
            click.echo(f"fonds: {problem}", err=True)
        return tagger

    def finder(self) -> Finder:
        from indexer.search import Finder

        from .messages import facet_label

        return Finder(
            self.catalogue(),
            self.index(),
            theme_labels=self.vocabulary().vocabulary.labels(),
            value_label=facet_label,
        )

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        if self._catalogue is not None:
            self._catalogue.close()


pass_env = click.make_pass_decorator(Env)


def print_json(data: Any) -> None:
    # One write: json.dump writes each of the many small pieces of an indented document
    # apart: an import's report of 10,000 rows is hundreds of thousands of them.
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


_FILTER_OPTIONS = (
    click.option(
        "--theme",
        "themes",
        multiple=True,
        metavar="SLUG",
        help="Thématique (répétable : l'une ou l'autre).",
    ),
    click.option(
        "--type", "types", multiple=True, metavar="T", help="Type de document (code, répétable)."
    ),
    click.option(
        "--support",
        "supports",
        multiple=True,
        type=click.Choice(["papier", "electronique"]),
        help="Support (répétable).",
    ),
    click.option(
        "--year",
        "years",
        multiple=True,
        metavar="Y",
        help="Année, ou période 2000-2009 (répétable).",
    ),
    click.option(
        "--lang", "languages", multiple=True, metavar="L", help="Code de langue (répétable)."
    ),
    click.option(
        "--author",
        "authors",
        multiple=True,
        help="Auteur, « Nom, Prénom » : forme retenue ou variante (répétable).",
    ),
    click.option(
        "--available",
        multiple=True,
        type=click.Choice(["en-rayon", "en-pret", "en-ligne"]),
        help="Disponibilité (répétable).",
    ),
)
_FILTER_NAMES = ("themes", "types", "supports", "years", "languages", "authors", "available")


def search_filters(func: Any) -> Any:
    """The search page's filters as options, handed to the command as one `filters` dict
    (the keyword arguments of SearchRequest): `fonds search` and `fonds export` share them."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        filters = {name: kwargs.pop(name) for name in _FILTER_NAMES}
        return func(*args, filters=filters, **kwargs)

    for option in reversed(_FILTER_OPTIONS):
        wrapper = option(wrapper)
    return wrapper
