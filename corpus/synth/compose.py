"""Fill sentence templates: slots, numbers and dates in the document's language, French elision.

A `Filler` belongs to one document: it holds the document's seeded `Random`, its fixed values
(territory, year, organisation…) and the banks to look slots up in, nearest first. Templates are
compiled once per process (a dict keyed by the template string), so filling costs one random
choice per hole.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence

from library.text import FRENCH_MONTHS

SlotValue = str | tuple[str, ...]
SlotTable = Mapping[str, SlotValue]

_SLOT = re.compile(r"\{([a-z_0-9]+)\}")
_COMPILED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")
# Words with a mute h elide like vowels ("d’habitat"); others ("le handicap") do not.
_MUTE_H = ("habit", "héberg", "hôpita", "histo", "homme", "hygi", "heure", "Haïti", "haïti")
_FR_ELIDABLE = {
    "de": "d’",
    "le": "l’",
    "la": "l’",
    "que": "qu’",
    "lorsque": "lorsqu’",
    "puisque": "puisqu’",
    "jusque": "jusqu’",
}
_FR_CONTRACT = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}
_ES_CONTRACT = {("de", "el"): "del", ("a", "el"): "al"}

_MONTHS = {
    "fr": FRENCH_MONTHS,
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}


def _compile(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    compiled = _COMPILED.get(template)
    if compiled is None:
        pieces = _SLOT.split(template)
        compiled = (tuple(pieces[0::2]), tuple(pieces[1::2]))
        _COMPILED[template] = compiled
    return compiled


def capitalise(text: str) -> str:
    """First letter upper case, the rest untouched ('l’atelier' -> 'L’atelier')."""
    return text[:1].upper() + text[1:] if text else text


def _last_word(text: str) -> str:
    """The word just before a hole, when the literal ends with one word and a space."""
    if not text.endswith(" "):
        return ""
    start = max(text.rfind(" ", 0, len(text) - 1), text.rfind("(", 0, len(text) - 1)) + 1
    return text[start:-1]


def _starts_with_vowel_sound(value: str) -> bool:
    return value[:1] in _VOWELS or value.startswith(_MUTE_H)


def _match_case(word: str, model: str) -> str:
    return capitalise(word) if model[:1].isupper() else word


def join_fr(before: str, value: str) -> tuple[str, str]:
    """Elide and contract across a hole: ('de ', 'le suivi') -> ('du ', 'suivi')."""
    word = _last_word(before)
    if not word:
        return before, value
    lower = word.lower()
    first, _, rest = value.partition(" ")
    contracted = _FR_CONTRACT.get((lower, first.lower())) if rest else None
    if contracted:
        return before[: -len(word) - 1] + _match_case(contracted, word) + " ", rest
    elided = _FR_ELIDABLE.get(lower)
    if elided and _starts_with_vowel_sound(value):
        return before[: -len(word) - 1] + _match_case(elided, word), value
    return before, value


def join_es(before: str, value: str) -> tuple[str, str]:
    """Contract across a hole: ('de ', 'el barrio') -> ('del ', 'barrio')."""
    word = _last_word(before)
    first, _, rest = value.partition(" ")
    contracted = _ES_CONTRACT.get((word.lower(), first)) if word and rest else None
    if contracted:
        return before[: -len(word) - 1] + _match_case(contracted, word) + " ", rest
    return before, value


def join_plain(before: str, value: str) -> tuple[str, str]:
    return before, value


_JOINS: dict[str, Callable[[str, str], tuple[str, str]]] = {
    "fr": join_fr,
    "es": join_es,
    "en": join_plain,
}


# --- numbers and dates in each language's conventions ----------------------------------------


def format_int(n: int, lang: str) -> str:
    grouped = f"{n:,}"
    return {"fr": grouped.replace(",", " "), "es": grouped.replace(",", ".")}.get(lang, grouped)


def format_decimal(x: float, lang: str, digits: int = 1) -> str:
    text = f"{x:.{digits}f}"
    return text if lang == "en" else text.replace(".", ",")


def format_percent(x: float, lang: str) -> str:
    return f"{format_decimal(x, lang)}%" if lang == "en" else f"{format_decimal(x, lang)} %"


def format_amount(euros: int, lang: str) -> str:
    if euros >= 1_000_000:
        m = format_decimal(euros / 1_000_000, lang)
        return {
            "fr": f"{m} million{'s' if euros >= 2_000_000 else ''} d’euros",
            "es": f"{m} millones de euros",
        }.get(lang, f"EUR {m} million")
    amount = format_int(euros, lang)
    return f"EUR {amount}" if lang == "en" else f"{amount} euros"


def format_date(year: int, month: int, day: int, lang: str) -> str:
    name = _MONTHS[lang][month - 1]
    if lang == "fr":
        return f"{'1er' if day == 1 else day} {name} {year}"
    if lang == "es":
        return f"{day} de {name} de {year}"
    return f"{day} {name} {year}"


class Filler:
    """Fills one document's templates with its `Random`, looking values up nearest first."""

    def __init__(self, rng: random.Random, lang: str, year: int, layers: Sequence[SlotTable]):
        self.rng = rng
        self.lang = lang
        self.year = year
        self.layers = list(layers)
        self._join = _JOINS[lang]

    def with_layer(self, layer: SlotTable | None) -> Filler:
        """The same document seen from one thematic: its slots are looked up first."""
        return Filler(self.rng, self.lang, self.year, ([layer] if layer else []) + self.layers)

    def fill(self, template: str) -> str:
        parts, slots = _compile(template)
        if not slots:
            return template
        out = parts[0]
        for slot, literal in zip(slots, parts[1:], strict=True):
            out, value = self._join(out, self.value(slot))
            out = out + value + literal
        return out

    def sentence(self, template: str, connector: str = "") -> str:
        text = self.fill(template)
        return f"{connector} {text}" if connector else capitalise(text)

    def pick(self, seq: Sequence[str]) -> str:
        return seq[int(self.rng.random() * len(seq))]

    def value(self, slot: str) -> str:
        for layer in self.layers:
            found = layer.get(slot)
            if found is not None:
                text = found if isinstance(found, str) else self.pick(found)
                return self.fill(text) if "{" in text else text
        maker = _NUMBERS.get(slot)
        if maker is None:
            raise KeyError(f"no value for slot {{{slot}}}")
        return maker(self)

    def date(self) -> str:
        return format_date(self.year, self.rng.randint(1, 12), self.rng.randint(1, 28), self.lang)


def _round(n: int, step: int) -> int:
    return max(step, n // step * step)


_NUMBERS: dict[str, Callable[[Filler], str]] = {
    "nombre": lambda f: str(f.rng.randint(12, 380)),
    "petit_nombre": lambda f: str(f.rng.randint(2, 9)),
    "grand_nombre": lambda f: format_int(_round(f.rng.randint(600, 9800), 10), f.lang),
    "habitants": lambda f: format_int(_round(f.rng.randint(1200, 24000), 10), f.lang),
    "pct": lambda f: format_percent(f.rng.uniform(3.0, 62.0), f.lang),
    "montant": lambda f: format_amount(_round(int(f.rng.lognormvariate(12.6, 0.9)), 1000), f.lang),
    "numero": lambda f: str(f.rng.randint(1, 48)),
    "mois": lambda f: f.pick(_MONTHS[f.lang]),
    "date_longue": Filler.date,
    "annee": lambda f: str(f.year),
    "annee_prec": lambda f: str(f.year - 1),
    "annee_suiv": lambda f: str(f.year + 1),
    "periode": lambda f: f"{f.year - 3}-{f.year - 1}",
}
