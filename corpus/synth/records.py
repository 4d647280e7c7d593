"""Synthetic documents of a fund: descriptions and texts, without files.

`generate_records(n, seed)` is the single source of a synthetic fund: the file generator
(`fund.py`) writes what it yields, and a benchmark can put the texts straight into a catalogue
(`SyntheticDocument.to_record()` and `.text`).

Proportions are exact, not drawn: the support, format, size class, language and metadata
quality of the n documents come from lists with the right counts (largest remainder), shuffled
with the seed. Each document then draws the rest from its own `Random`, seeded by (seed, number),
so its content does not depend on how much its neighbours consumed. One exception: titles are
unique per year across the fund (the catalogue takes the same title and year for a duplicate),
so a title already used is redrawn, then numbered as a volume.
"""

from __future__ import annotations

import random
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from library.models import Author, AuthorKind, Copy, DocType, Record, Support
from library.text import normalise_title

from .banks import LANGUAGES, LanguageBank, load_bank, load_keywords
from .body import Block, BodyComposer, block_text
from .compose import Filler, SlotTable, capitalise, format_date
from .naming import call_number, file_name, isbn13
from .places import (
    FOREIGN_ORGANISATIONS,
    FOREIGN_TERRITORY_WEIGHTS,
    GIVEN_NAMES_EN,
    GIVEN_NAMES_ES,
    GIVEN_NAMES_FR,
    SURNAMES_EN,
    SURNAMES_ES,
    SURNAMES_FR,
    TERRITORIES,
    TERRITORY_WEIGHTS,
    THEME_ORGANISATIONS,
    Territory,
)

BANKS: dict[str, LanguageBank] = {code: load_bank(code) for code in LANGUAGES}
KEYWORDS_FR = load_keywords()
THEMES = tuple(BANKS["fr"].themes)
YEARS = range(2005, 2014)

# Shares of the fund (exact counts by largest remainder).
FORMAT_SHARES = {"pdf": 0.5, "docx": 0.3, "txt": 0.05, "md": 0.05, "html": 0.1}
SIZE_SHARES = {"small": 0.3, "medium": 0.5, "large": 0.2}
LANGUAGE_SHARES = {"fr": 0.9, "en": 0.06, "es": 0.04}
METADATA_SHARES = {  # how much a file's own metadata tells; other formats are always "full"
    "docx": {"full": 0.88, "none": 0.06, "junk": 0.06},
    "pdf": {"full": 0.9, "none": 0.05, "junk": 0.05},
}
ODD_NAME_SHARE = 0.05  # files named with accents and spaces, as users save them
SIZE_TARGETS = {"small": (1500, 2600), "medium": (15000, 26000), "large": (80000, 124000)}

THEME_WEIGHTS = {
    "evaluation": 10,
    "observation": 7,
    "jeunesse": 8,
    "reussite-educative": 7,
    "prevention-delinquance": 8,
    "mediation-sociale": 5,
    "emploi-insertion": 9,
    "renovation-urbaine": 9,
    "developpement-durable": 6,
    "discriminations": 5,
    "sante": 7,
    "logement": 7,
    "vie-associative": 5,
    "culture": 5,
}
# Thematics that go together in the centre's documents: likelier as secondary thematics.
AFFINITY = {
    "evaluation": ("observation", "renovation-urbaine", "reussite-educative"),
    "observation": ("evaluation", "sante", "emploi-insertion", "logement"),
    "jeunesse": ("reussite-educative", "prevention-delinquance", "emploi-insertion", "culture"),
    "reussite-educative": ("jeunesse", "sante", "discriminations"),
    "prevention-delinquance": ("mediation-sociale", "jeunesse", "renovation-urbaine"),
    "mediation-sociale": ("prevention-delinquance", "vie-associative", "jeunesse"),
    "emploi-insertion": ("jeunesse", "vie-associative", "discriminations"),
    "renovation-urbaine": ("logement", "developpement-durable", "mediation-sociale"),
    "developpement-durable": ("renovation-urbaine", "logement", "sante"),
    "discriminations": ("emploi-insertion", "jeunesse", "logement"),
    "sante": ("observation", "reussite-educative", "logement"),
    "logement": ("renovation-urbaine", "developpement-durable", "sante"),
    "vie-associative": ("culture", "emploi-insertion", "mediation-sociale"),
    "culture": ("vie-associative", "jeunesse", "reussite-educative"),
}
LOCATIONS = (("Salle de lecture", 70), ("Réserve", 20), ("Bureau documentation", 10))
PAGES = {
    "rapport": (40, 180),
    "etude": (30, 200),
    "guide": (20, 90),
    "actes": (60, 200),
    "article": (8, 25),
    "revue": (40, 100),
    "compte-rendu": (4, 20),
    "fiche-experience": (2, 4),
    "lettre-information": (4, 12),
    "memoire": (60, 150),
    "texte-officiel": (6, 40),
    "ouvrage": (120, 320),
    "autre": (4, 40),
}

TITLE_DRAWS = 8  # redraws of a title already used that year, before numbering volumes
SUBTITLED = frozenset({"rapport", "etude", "guide", "actes", "memoire", "ouvrage"})

K = TypeVar("K")


def natural_order(person: str) -> str:
    """'Nom, Prénom' -> 'Prénom Nom'."""
    family, _, given = person.partition(", ")
    return f"{given} {family}" if given else family


@dataclass(frozen=True, slots=True)
class SyntheticDocument:
    """One document of a synthetic fund: its true description, and for files, body and text."""

    number: int  # 1-based position in the fund (file names, labels)
    title: str
    subtitle: str
    authors: tuple[str, ...]  # "Nom, Prénom" for people, else the organisation
    publisher: str
    place: str
    year: int
    created: datetime  # written into file metadata
    doc_type: DocType
    language: str
    themes: tuple[str, ...]  # 1–3 slugs, main first
    abstract: str
    keywords: tuple[str, ...]
    territories: tuple[str, ...]
    support: Support
    text: str  # "" for paper holdings
    file_format: str | None = None  # pdf, docx, txt, md, html
    file_name: str | None = None
    size_class: str | None = None  # small, medium, large
    metadata: str = "full"  # full, none, junk: what the file's own metadata tells
    front: tuple[str, ...] = ()  # title-page lines, as in `text`
    body: tuple[Block, ...] = ()
    pages: int | None = None
    isbn: str = ""
    call_number: str = ""
    location: str = ""
    barcodes: tuple[str, ...] = ()

    @property
    def people(self) -> tuple[str, ...]:
        """Authors who are people, in reading order ("Prénom Nom")."""
        return tuple(natural_order(a) for a in self.authors if ", " in a)

    def to_record(self) -> Record:
        """The catalogue record a documentalist would write (thematics left to the tagger)."""
        return Record(
            title=self.title,
            subtitle=self.subtitle,
            authors=tuple(
                Author(a) if ", " in a else Author(a, AuthorKind.ORGANISATION) for a in self.authors
            ),
            publisher=self.publisher,
            place=self.place,
            date=str(self.year),
            year=self.year,
            doc_type=self.doc_type,
            support=self.support,
            language=self.language,
            pages=self.pages,
            isbn=self.isbn,
            call_number=self.call_number,
            abstract=self.abstract,
            keywords=self.keywords,
            territories=self.territories,
            source="synth",
            copies=tuple(Copy(b, self.call_number, self.location) for b in self.barcodes),
        )


@dataclass(frozen=True, slots=True)
class _Slot:
    """What the plan fixes for one document before its own `Random` draws the rest."""

    support: Support
    language: str
    file_format: str | None = None
    size_class: str | None = None
    metadata: str = "full"
    odd_name: bool = False


def spread(n: int, shares: Mapping[K, float]) -> list[K]:
    """n items with counts proportional to `shares` (largest remainder), in key order."""
    total = sum(shares.values())
    exact = {key: n * share / total for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(shares, key=lambda k: -(exact[k] - counts[k]))
    for key in by_remainder[: n - sum(counts.values())]:
        counts[key] += 1
    return [key for key in shares for _ in range(counts[key])]


def _shuffled(rng: random.Random, items: list[K]) -> list[K]:
    rng.shuffle(items)
    return items


def plan(n: int, seed: int, paper_share: float = 0.5) -> list[_Slot]:
    """The fund's mix: exact counts of each support, format, size, language, shuffled by seed."""
    rng = random.Random(f"plan:{seed}")
    paper = round(n * paper_share)
    files = n - paper
    supports = _shuffled(rng, [Support.PAPIER] * paper + [Support.ELECTRONIQUE] * files)
    languages = _shuffled(rng, spread(n, LANGUAGE_SHARES))
    formats = _shuffled(rng, spread(files, FORMAT_SHARES))
    sizes = _shuffled(rng, spread(files, SIZE_SHARES))
    odd = _shuffled(rng, spread(files, {True: ODD_NAME_SHARE, False: 1 - ODD_NAME_SHARE}))
    metadata = {
        fmt: _shuffled(rng, spread(formats.count(fmt), METADATA_SHARES.get(fmt, {"full": 1.0})))
        for fmt in FORMAT_SHARES
    }
    slots = []
    f = 0
    for i in range(n):
        if supports[i] is Support.PAPIER:
            slots.append(_Slot(Support.PAPIER, languages[i]))
            continue
        fmt = formats[f]
        slots.append(
            _Slot(Support.ELECTRONIQUE, languages[i], fmt, sizes[f], metadata[fmt].pop(), odd[f])
        )
        f += 1
    return slots


def _weighted(rng: random.Random, items: Sequence[K], weights: Sequence[float]) -> K:
    return rng.choices(items, weights)[0]


def _themes(rng: random.Random) -> tuple[str, ...]:
    main = _weighted(rng, THEMES, [THEME_WEIGHTS[t] for t in THEMES])
    count = _weighted(rng, (1, 2, 3), (45, 40, 15))
    chosen = [main]
    while len(chosen) < count:
        others = [t for t in THEMES if t not in chosen]
        chosen.append(_weighted(rng, others, [4 if t in AFFINITY[main] else 1 for t in others]))
    return tuple(chosen)


def _person(rng: random.Random, lang: str) -> str:
    surnames, given = {
        "fr": (SURNAMES_FR, GIVEN_NAMES_FR),
        "en": (SURNAMES_EN, GIVEN_NAMES_EN),
        "es": (SURNAMES_ES, GIVEN_NAMES_ES),
    }[lang]
    return f"{rng.choice(surnames)}, {rng.choice(given)}"


def _publisher(rng: random.Random, lang: str, territory: Territory, main: str) -> tuple[str, str]:
    if lang != "fr" and rng.random() < 0.7:
        return rng.choice(FOREIGN_ORGANISATIONS[lang])
    choices = list(territory.organisations)
    if territory.region == "Martinique" or territory.name == "Martinique":
        choices += THEME_ORGANISATIONS.get(main, ())
    return rng.choice(choices), territory.place


@cache
def _theme_layer(lang: str, theme: str) -> dict[str, str | tuple[str, ...]]:
    bank = BANKS[lang].themes[theme]
    return {**bank.slots, "sujet": bank.subjects}


def _title(filler: Filler, bank: LanguageBank, main: str, territory: Territory) -> tuple[str, str]:
    """(doc type, title): a thematic title or a doc-type frame around the thematic's subject."""
    rng = filler.rng
    national = territory.kind == "national"
    pool = bank.themes[main].titles if rng.random() < 0.6 else bank.frames
    usable = [t for t in pool if not (national and "{terr}" in t[1])] or [
        t for t in bank.themes[main].titles + bank.frames if "{terr}" not in t[1]
    ]
    doc_type, template = rng.choice(usable)
    return doc_type, capitalise(filler.fill(template))


def _date_line(place: str, created: datetime, lang: str) -> str:
    month_year = format_date(created.year, created.month, 1, lang).split(" ", 1)[1]
    return f"{place}, {month_year}"


def _unique_title(
    filler: Filler,
    bank: LanguageBank,
    main: str,
    territory: Territory,
    year: int,
    taken: Container[tuple[str, int]],
) -> tuple[str, str]:
    doc_type, title = _title(filler, bank, main, territory)
    for _ in range(TITLE_DRAWS):
        if (normalise_title(title), year) not in taken:
            return doc_type, title
        doc_type, title = _title(filler, bank, main, territory)
    volume = 2
    while (normalise_title(f"{title}. {bank.words['volume']} {volume}"), year) in taken:
        volume += 1
    return doc_type, f"{title}. {bank.words['volume']} {volume}"


def make_document(
    number: int,
    seed: int,
    slot: _Slot,
    barcode_start: int,
    taken: Container[tuple[str, int]] = frozenset(),
) -> SyntheticDocument:
    """Document `number` of the fund `seed`; its paper copies are numbered from `barcode_start`
    and its title avoids the (normalised title, year) pairs in `taken`."""
    rng = random.Random(f"doc:{seed}:{number}")
    lang = slot.language
    bank = BANKS[lang]
    themes = _themes(rng)
    weights = FOREIGN_TERRITORY_WEIGHTS if lang != "fr" else TERRITORY_WEIGHTS
    territory = _weighted(rng, TERRITORIES, weights)
    year = rng.choice(YEARS)
    created = datetime(
        year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 18), rng.randint(0, 59)
    )
    publisher, place = _publisher(rng, lang, territory, themes[0])
    people = tuple(_person(rng, lang) for _ in range(_weighted(rng, (0, 1, 2, 3), (45, 33, 16, 6))))
    doc_slots: SlotTable = {
        "terr": territory.noun[lang],
        "dans_terr": territory.locative[lang],
        "quartier": territory.quartiers,
        "org": publisher,
    }
    base = Filler(rng, lang, year, [doc_slots, bank.slots])
    fillers = {t: base.with_layer(_theme_layer(lang, t)) for t in themes}
    doc_type, title = _unique_title(fillers[themes[0]], bank, themes[0], territory, year, taken)
    with_subtitle = doc_type in SUBTITLED and rng.random() < 0.4
    subtitle = capitalise(base.fill(rng.choice(bank.subtitles))) if with_subtitle else ""

    opener = bank.abstract_openers.get(doc_type, bank.abstract_openers[""])
    abstract = [fillers[themes[0]].sentence(opener)]
    said: set[str] = set()
    for i in range(rng.randint(1, 4)):
        theme = themes[0] if i == 0 or rng.random() < 0.6 else rng.choice(themes)
        template = rng.choice([t for t in bank.themes[theme].sentences if t not in said])
        said.add(template)
        abstract.append(fillers[theme].sentence(template))
    keywords = rng.sample(KEYWORDS_FR[themes[0]], rng.randint(3, 5))
    for theme in themes[1:]:
        keywords += rng.sample(KEYWORDS_FR[theme], rng.randint(1, 2))
    territories = (territory.name, territory.region) if territory.region else (territory.name,)
    authors = people or (publisher,)

    common: dict[str, Any] = dict(
        number=number,
        title=title,
        subtitle=subtitle,
        authors=authors,
        publisher=publisher,
        place=place,
        year=year,
        created=created,
        doc_type=DocType(doc_type),
        language=lang,
        themes=themes,
        abstract=" ".join(abstract),
        keywords=tuple(dict.fromkeys(keywords)),
        territories=territories,
        support=slot.support,
    )
    if slot.support is Support.PAPIER:
        lo, hi = PAGES[doc_type]
        isbn = (
            isbn13(rng) if doc_type in ("ouvrage", "guide", "actes") and rng.random() < 0.6 else ""
        )
        copies = _weighted(rng, (1, 2, 3), (60, 30, 10))
        return SyntheticDocument(
            **common,
            text="",
            pages=rng.randint(lo, hi),
            isbn=isbn,
            call_number=call_number(themes[0], authors[0] if people else title),
            location=_weighted(rng, [loc for loc, _ in LOCATIONS], [w for _, w in LOCATIONS]),
            barcodes=tuple(f"9720{barcode_start + i:06d}" for i in range(copies)),
        )

    assert slot.file_format and slot.size_class
    display = [natural_order(a) for a in people]
    front = [publisher, title]
    front += [subtitle] if subtitle else []
    front += [", ".join(display)] if display else []
    front.append(_date_line(place, created, lang))
    already = sum(len(line) + 2 for line in front)
    lo, hi = SIZE_TARGETS[slot.size_class]
    composer = BodyComposer(bank, themes, fillers, territory.quartiers, publisher)
    body = composer.compose(rng.randint(lo, hi), already)
    text = "\n\n".join([*front, *(block_text(b) for b in body)])
    return SyntheticDocument(
        **common,
        text=text,
        file_format=slot.file_format,
        size_class=slot.size_class,
        metadata=slot.metadata,
        front=tuple(front),
        body=tuple(body),
        file_name=file_name(number, year, title, slot.file_format, odd=slot.odd_name),
    )


def generate_records(
    n: int, seed: int = 0, *, paper_share: float = 0.5
) -> Iterator[SyntheticDocument]:
    """The n documents of the synthetic fund `seed`, in order; same arguments, same documents.

    About `paper_share` of them are paper holdings (no text); a benchmark that wants only texts
    passes `paper_share=0`."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if not 0.0 <= paper_share <= 1.0:
        raise ValueError(f"paper_share must be within [0, 1], got {paper_share}")
    barcode = 1
    taken: set[tuple[str, int]] = set()
    for number, slot in enumerate(plan(n, seed, paper_share), start=1):
        document = make_document(number, seed, slot, barcode, taken)
        barcode += len(document.barcodes)
        taken.add((normalise_title(document.title), document.year))
        yield document
