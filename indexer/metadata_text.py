"""What a document says about itself in its first pages, read as a documentalist reads it.

The file's properties are often wrong: an author field holding the login of whoever saved the
file ('jdupont'), a title left by a template. The first page carries the real description:
the by-line ('Par …', 'Rédaction : …', 'sous la direction de …'), the institution block
('Ville du Lamentin — Direction de la culture — juin 2011'), the kind of document ('Compte
rendu', 'Mémoire de master', 'Actes du colloque'), its own résumé. Everything here is pure
and cheap, run once per document after extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

from .metadata import _GIVEN_NAMES, _fold, clean_text_line, person_name

# --- login names -------------------------------------------------------------------------------

_LOGIN_WORDS = frozenset(
    """admin administrateur administrator root user utilisateur owner proprietaire auteur author
    guest invite poste pc bureau secretariat secretaire accueil stagiaire service direction
    compta comptabilite informatique info contact test""".split()
)


def is_login_name(name: str) -> bool:
    """A user account rather than a person's or body's name: 'jdupont', 'j.dupont',
    'marie.dupont@ville.fr', 'admin', 'User', 'PC-Accueil', 'poste3'.

    A real name has a space and capitals ('Marie Dupont', 'Dupont, Marie'); an acronym in
    capitals ('CACEM', 'SIMAR') names a body and is kept."""
    text = clean_text_line(name)
    if not text:
        return True
    if "@" in text or re.search(r"\\|/", text):
        return True
    words = re.findall(r"[^\W\d_]+", _fold(text))
    if not words or all(w in _LOGIN_WORDS for w in words):
        return True
    if " " in text or "," in text:
        return False
    if text.isupper() and text.isalpha() and len(text) >= 2:
        return False  # 'CACEM', 'DEAL'
    # One token: a login unless written like a name ('Dupont', 'Marie-Luce').
    return not re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)*", text) or bool(
        re.search(r"\d", text)
    )


def usable_property_authors(names: Iterable[str]) -> tuple[str, ...]:
    """The file's author property without its login names."""
    return tuple(n for n in names if not is_login_name(n))


# --- the first page's header block -------------------------------------------------------------

_SECTION_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s|[IVX]+\.\s|#)|^(?:sommaire|table des mati[èe]res|introduction|"
    r"pr[ée]ambule|avant-propos|pr[ée]face|r[ée]sum[ée]|abstract|summary|resumen|introducci[óo]n|"
    r"[ée]ditorial|rep[èe]res|participants|pr[ée]sents|rappel|contexte|le contexte|background|"
    r"objet|ouverture|synth[èe]se|remerciements)\b",
    re.IGNORECASE,
)
_NAV_LINE = re.compile(r"^(?:accueil|actualit[ée]s|publications|agenda|contact|menu|home)$", re.I)
_RULE_LINE = re.compile(r"^[=\-_*#~ ]{3,}$")
_HEADER_LINES = 6


def header_block(text: str, title: str | None) -> list[str]:
    """The lines under the title on the first page, before the body begins."""
    first = text.split("\f", 1)[0][:6000]
    lines = [clean_text_line(line) for line in first.splitlines()]
    lines = [line for line in lines if line and not _NAV_LINE.match(line)]
    folded_title = _fold(title or "")
    start = 0
    for i, line in enumerate(lines[:12]):
        folded = _fold(line).strip(" :.")
        if folded and (folded in folded_title or folded_title.startswith(folded)):
            start = i + 1
    block: list[str] = []
    for line in lines[start : start + _HEADER_LINES + 2]:
        if _RULE_LINE.match(line):
            continue
        if _SECTION_HEADING.match(line):
            break
        # A long line is body text, except a header written as one paragraph right under
        # the title ('Mémoire de master 2 …, Université …. Présenté par … — 2011').
        if len(line) > 260 and (block or len(line) > 700 or not _MONTH_WORDS.search(line)):
            break
        if (
            block
            and len(line) < 45
            and line[:1].isupper()
            and not re.search(r"[—–,;:.()]|\d", line)
        ):
            break  # a short heading ('Le point de départ') opens the body
        block.append(line)
        if len(block) >= _HEADER_LINES:
            break
    return block


# --- authors from the header -------------------------------------------------------------------

_ORG_HEADS = re.compile(
    r"^(?:ville|commune|mairie|pr[ée]fecture|centre|association|compagnie|cabinet|caisse|caf|"
    r"conseil|communaut[ée]|agence|observatoire|office|universit[ée]|university|universidad|"
    r"boutique|collectif|mission locale|soci[ée]t[ée]|f[ée]d[ée]ration|union|institut|syndicat|"
    r"r[ée]gion|d[ée]partement|collectivit[ée]|groupement|r[ée]seau|ordre|chambre|fondation|"
    r"coop[ée]rative|minist[èe]re|direction r[ée]gionale|deal|dieccte|adess|simar|smhlm|cacem|"
    r"capnord|espace sud|ars|insee)\b",
    re.IGNORECASE,
)
# Parts of a body, named with it but not catalogued as authors.
_SUB_UNIT = re.compile(
    r"^(?:direction|service|mission|p[ôo]le|cellule|d[ée]l[ée]gation|cabinet du|bureau|"
    r"d[ée]partement d[eu']|secr[ée]tariat|groupe de travail|comit[ée])\b",
    re.IGNORECASE,
)
_PARENT_BODY = re.compile(
    r"\b(?:de la |du |de l')?((?:Ville|Commune) (?:de |du |d')[A-ZÀ-Ý][\w'’-]+(?:[- ][A-ZÀ-Ý][\w'’-]+)*)"
)
_BYLINE_LEAD = re.compile(
    r"^(?:.*?\b(?:r[ée]dig[ée]e?s?|r[ée]alis[ée]e?s?|[ée]tabli[es]?|[ée]crit[es]?|pr[ée]par[ée]e?s?|"
    r"pr[ée]sent[ée]e?s?|coordonn[ée]e?s?|[ée]labor[ée]e?s?|conduit[es]?|prepared|written|edited)\s+"
    r"(?:\S+\s+){0,6}?(?:par|by)\s+|(?:par|by|sous la direction de)\s+|"
    r".*?\b(?:r[ée]daction|coordination|auteure?s?|autrices?|chef de mission|directrice de la "
    r"publication|directeur de la publication|responsable de la publication|author)s?\s*:\s*)",
    re.IGNORECASE,
)
_ASSIST = re.compile(
    r",?\s+(?:avec|with)\s+(?:l'assistance|l'appui|le concours|la participation|le soutien)?"
    r"\s*(?:du|de la|de l'|des|d'|of the|of)?\s*",
    re.IGNORECASE,
)
_ORG_PREFIX = re.compile(r"^(?:le |la |l')?(?:bureau d'[ée]tudes|consultants?)\s+", re.I)
_MONTH_WORDS = re.compile(
    r"\b(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    r"diciembre)\b|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_PARTICLES = frozenset({"de", "du", "des", "d'", "da", "del", "van", "von", "le", "la"})


def _is_given(token: str) -> bool:
    parts = [p for p in _fold(token).split("-") if p]
    return bool(parts) and all(p in _GIVEN_NAMES for p in parts)


def _looks_like_person(piece: str) -> bool:
    """'Marie-France Jean-Louis', 'Aimé Dufrenot', 'Mayra Valdés Rodríguez', 'Ali ZORGATI'."""
    tokens = piece.split()
    if not 2 <= len(tokens) <= 4 or _ORG_HEADS.match(piece) or _SUB_UNIT.match(piece):
        return False
    if any(
        not t[:1].isupper() for t in tokens if t.lower() not in _PARTICLES
    ) or _MONTH_WORDS.search(piece):
        return False
    return _is_given(tokens[0]) or (tokens[-1].isupper() and len(tokens[-1]) > 1)


def _organisation(piece: str) -> str | None:
    """The body a segment names, or None: 'Ville de Schœlcher, service prévention' ->
    'Ville de Schœlcher'; 'Direction de la culture de la Ville de Fort-de-France' -> 'Ville de
    Fort-de-France'; 'cabinet Territoires et Sécurité' -> 'Cabinet Territoires et Sécurité'."""
    piece = _ORG_PREFIX.sub("", re.sub(r"^(?:le|la|les|l')\s*(?=\w)", "", piece.strip(" .,;:")))
    if not piece or re.match(r"mairie annexe|salle|local\b", piece, re.I):
        return None  # a meeting place, not an author
    if _SUB_UNIT.match(piece):
        parent = _PARENT_BODY.search(piece)
        return parent[1] if parent else None
    if not _ORG_HEADS.match(piece) and not re.fullmatch(r"[A-ZÀ-Ý]{3,}(?: [A-ZÀ-Ý][\w-]+)?", piece):
        return None
    return piece[:1].upper() + piece[1:]


_SEGMENT_SPLIT = re.compile(
    r"\s+[—–|]\s+|\s*;\s*|(?<=[a-zà-ÿ)])\.\s+(?=[A-ZÀ-Ý])|(?<=\b(?:19|20)\d\d)\.?\s+(?=[A-ZÀ-Ý])"
)


def header_authors(block: Sequence[str]) -> tuple[str, ...]:
    """People and bodies named in the header block, people as 'Nom, Prénom'."""
    text = re.sub(r"\([^)]*\)?", "", _join_lines(block))  # affiliations, roles in brackets
    text = re.sub(r"\s+(?=[.,;])", "", text)
    people: list[str] = []
    bodies: list[str] = []
    segments = _SEGMENT_SPLIT.split(text)
    for number, segment in enumerate(segments):
        segment = _BYLINE_LEAD.sub("", segment.strip()).strip(" .,:")
        following = segments[number + 1] if number + 1 < len(segments) else ""
        if re.match(r"(?:note|lettre|num[ée]ro|cahier)?\s*n°", following, re.I):
            continue  # 'Observatoire des quartiers — Note n° 4': a series, not a body
        if bodies and _fold(segment) in _REGIONS:
            # 'Centre de ressources politique de la ville — Martinique' (a site's banner)
            bodies[-1] = f"{bodies[-1]} de {segment}"
            continue
        for part in _ASSIST.split(segment):
            for index, piece in enumerate(p.strip(" .,:") for p in part.split(",")):
                # 'Ville de Schœlcher, service …': a body's name stops at its first comma,
                # and what follows it names the body's parts or people's roles.
                if (body := _organisation(piece)) is not None:
                    if body not in bodies and not (index and _SUB_UNIT.match(piece)):
                        bodies.append(body)
                    continue
                for name in re.split(r"\s+(?:et|and|y|&)\s+", piece):
                    if _looks_like_person(name.strip()):
                        person = person_name(name.strip())
                        if person not in people:
                            people.append(person)
    return tuple(people + bodies)


_RUNS_ON = re.compile(r"(?:[,(:'’-]|\b(?:de|du|des|d|la|le|les|et|and|y|of|the|pour|par))$", re.I)


def _join_lines(block: Sequence[str]) -> str:
    """The header's lines as one text: a line that runs on into the next (a comma, 'de', a
    lower-case start) joins it with a space; otherwise the break separates two statements."""
    text = ""
    for line in block:
        if not text:
            text = line
        elif _RUNS_ON.search(text) or not line[:1].isupper():
            text += " " + line
        else:
            text += " — " + line
    return text


_REGIONS = frozenset({"martinique", "guadeloupe", "guyane", "la reunion", "mayotte"})


def _same_body(a: str, b: str) -> bool:
    """'Centre de ressources politique de la ville' and '… de la ville de Martinique'."""
    fa, fb = _fold(a), _fold(b)
    return fa in fb or fb in fa


def confirmed_by_text(names: Sequence[str], text: str) -> bool:
    """A name of the file's property shows in the first pages (its family name, for a person):
    the property is then the document's own description, not a stray account's."""
    head = _fold(text[:8000])
    return any(_fold(name.split(",")[0]).strip() in head for name in names)


def choose_authors(
    property_names: Sequence[str],
    text: str,
    title: str | None,
    byline: Sequence[str] = (),
) -> tuple[str, ...]:
    """Authors read from the first page (the header block, else a by-line found further
    down); the file's property only when the page confirms it (it may then list everyone
    the page shows) or when the page names nobody (last resort), never a login name."""
    usable = usable_property_authors(property_names)
    read = header_authors(header_block(text, title))
    if usable and confirmed_by_text(usable, text):
        known = {_fold(n) for n in usable}
        # The bodies the header names and the property forgot ('Caisse des écoles de …').
        return usable + tuple(
            n
            for n in read
            if "," not in n and not any(_same_body(n, k) for k in usable) and _fold(n) not in known
        )
    return read or tuple(byline) or usable


# --- gazetteer ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...]:
    """(name, kind, spellings as folded words) of every place of the packaged gazetteer."""
    raw = resources.files("indexer").joinpath("data/territoires.tsv").read_text("utf-8")
    places = []
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, others = (line.split("\t") + ["", ""])[:3]
        spellings = [name.strip()] + [o.strip() for o in others.split(";") if o.strip()]
        places.append((name.strip(), kind.strip(), tuple(_place_words(s) for s in spellings)))
    return tuple(places)


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Every folded word of the gazetteer's names and spellings (« fort », « de », « france »,
    « lamentin »): words of no language, which a query in any of them may hold."""
    return frozenset(w for _, _, spellings in _gazetteer() for words in spellings for w in words)


def place_at(words: Sequence[str], i: int) -> int:
    """How many of the folded `words`, from the i-th, spell a place of the gazetteer (its
    longest spelling there; 0 for none)."""
    for spelling, _ in _place_index().get(words[i], ()):
        if tuple(words[i : i + len(spelling)]) == spelling:
            return len(spelling)
    return 0


def _place_words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[\w']+", _fold(text).replace("’", "'")))


@lru_cache(maxsize=1)
def _place_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word -> [(words, name)], longest spelling first ('fort de france' before 'fort')."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for name, _kind, spellings in _gazetteer():
        for words in spellings:
            index.setdefault(words[0], []).append((words, name))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


def territories(text: str, limit: int = 12) -> tuple[str, ...]:
    """Communes and quartiers of the gazetteer the text names, most mentioned first (a name
    inside a longer one, 'Lamentin' in 'Ville du Lamentin', counts once)."""
    words = _place_words(text[:200_000])
    index = _place_index()
    counts: dict[str, int] = {}
    i = 0
    while i < len(words):
        for place, name in index.get(words[i], ()):
            if tuple(words[i : i + len(place)]) == place:
                counts[name] = counts.get(name, 0) + 1
                i += len(place)
                break
        else:
            i += 1
    ranked = sorted(counts, key=lambda name: -counts[name])
    return tuple(ranked[:limit])


# --- document type -----------------------------------------------------------------------------

# (pattern on folded text, type), most specific first: a 'mémoire de master' that reports on a
# seminar is a mémoire; 'Actes du colloque' are actes, a 'Retour sur le séminaire' a compte
# rendu; a 'revue de projet' is a report, not a periodical.
_TYPE_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), doc_type)
    for pattern, doc_type in (
        (
            r"\bmemoire (?:de |du |d')?(?:master|fin d'etudes|recherche|licence|dea|dess|"
            r"diplome)|\bthese (?:de|pour le|presentee)|\bmaster'?s? thesis|\btesis\b",
            "memoire",
        ),
        (r"\bactes (?:du|de la|des|de l')|\bproceedings\b|\bmemorias del\b", "actes"),
        (
            r"^arrete\b|\barrete (?:n|prefectoral|municipal|ministeriel)|\bcirculaire\b|"
            r"\bdecret n|\bdeliberation n|\ble prefet de .{0,60} a mesdames et messieurs|"
            r"(?:^|\n)vu (?:le|la|les|l') ",
            "texte-officiel",
        ),
        (r"\bfiche d'experience|\bretour d'experience|\bfiche action\b", "fiche-experience"),
        (
            r"\blettre d'information\b|\bnewsletter\b|\bbulletin\b|\bla lettre (?:de|du|des)\b|"
            r"\blettre du\b.{0,60}\bn ?°",
            "lettre-information",
        ),
        (
            r"\bcompte[- ]rendu\b|\breleve de decisions\b|\bproces-verbal\b|\bminutes\b|"
            r"\bretour sur (?:le|la|les)\b",
            "compte-rendu",
        ),
        (
            r"\bguide\b|\bmode d'emploi\b|\bvade-?mecum\b|\bmemento\b|\breferentiel\b|"
            r"\bhandbook\b|\btoolkit\b|\bguia\b",
            "guide",
        ),
        (
            r"\bdiagnostic\b|\betude\b|\bportrait\b|\bworking paper\b|\bbriefing note\b|"
            r"\bobservatoire\b|\benquete\b|\bstudy\b|\bestudio\b|\banalyse\b|\bsurvey\b",
            "etude",
        ),
        (
            r"\brapport\b|\breport\b|\binforme\b|\bbilan\b|\bevaluation\b|\bnote de synthese\b|"
            r"\bnote d'opportunite\b|\bplan\b|\bprogramme\b|\brevue de projet\b|"
            r"\betat des lieux\b|\bactivity report\b",
            "rapport",
        ),
        (r"\brevue\b(?! de projet)|\bmagazine\b|\bjournal\b", "revue"),
    )
)
_ISSUE_NUMBER = re.compile(r"(?<!note )\bn ?° ?\d+|\bnumero \d+")
_ARTICLE_BYLINE = re.compile(
    r"^(?:[Pp]ar|[Bb]y|[Pp]or) [A-ZÀ-Ý]|^[A-ZÀ-Ý][\w'-]+(?: [A-ZÀ-Ý][\w'-]+){1,3} [—–-] [^—–]*\b(?:19|20)\d\d$"
)


def guess_type(title: str | None, subtitle: str | None, text: str) -> str | None:
    """The document type a documentalist would give, from what the document says it is:
    its title and subtitle first, then the lines under the title ('Compte rendu — …',
    'Mémoire de master 2', 'Fiche d'expérience', 'Le Préfet … à Mesdames et Messieurs les
    Maires'), then its form (a by-line 'Par …' over a short text: an article). None when
    nothing tells."""
    heading = _fold(" — ".join(p for p in (title, subtitle) if p))
    for pattern, doc_type in _TYPE_CUES:
        if pattern.search(heading):
            return doc_type
    if _ISSUE_NUMBER.search(heading):
        return "lettre-information"  # 'Repères n° 12', 'Le Lien des locataires n° 12'
    block = header_block(text, title)
    head = _fold("\n".join(block))
    body = _fold(text.split("\f", 1)[0][:3000])
    for pattern, doc_type in _TYPE_CUES:
        if doc_type != "texte-officiel" and pattern.search(head):
            return doc_type
        if doc_type == "texte-officiel" and pattern.search(body):
            return doc_type
    if block and _ARTICLE_BYLINE.search(block[0]):
        return "article"
    return None


# --- subtitle ----------------------------------------------------------------------------------

_SUBTITLE_SPLIT = re.compile(r"\s+[—–|]\s+|(?<=[a-zà-ÿ)])\.\s+(?=[A-ZÀ-Ý])")
_SUBTITLE_CUES = tuple(
    pattern
    for pattern, doc_type in _TYPE_CUES
    if doc_type not in ("compte-rendu", "texte-officiel")
) + (re.compile(r"^(?:etat des lieux|rapport|report|informe|estudio|working paper)\b"),)


def header_subtitle(text: str, title: str | None) -> str | None:
    """The line under the title that says what the document is ('Rapport final', 'Mémoire
    de master 2 …', 'Actes du colloque des 18 et 19 novembre 2010', 'État des lieux et
    propositions'), not a by-line, a place or a date."""
    block = header_block(text, title)
    if not block:
        return None
    first = _SUBTITLE_SPLIT.split(block[0], maxsplit=1)[0]
    # 'Fiche d'expérience rédigée par …', 'Actes de la journée du 15 mars 2012, Palais …'
    first = _SUBTITLE_END.split(first, maxsplit=1)[0].strip(" .,:;")
    if not first or len(first) > 120 or " " not in first or _BYLINE_LEAD.match(first):
        return None
    folded = _fold(first)
    title_words = _fold(title or "").split()[:3]
    if folded in _fold(title or "") or folded.split()[:3] == title_words:
        return None  # the title again, or its truncated form
    if "n°" in first or not any(p.search(folded) for p in _SUBTITLE_CUES):
        return None  # a series ('Lettre du Centre de ressources n° 27'), not a subtitle
    if re.search(r"\b(?:pour|observatoire)\b", folded):
        return None  # 'Étude réalisée pour la Ville…' describes, it is not a subtitle
    return first


_SUBTITLE_END = re.compile(
    r",\s|\s+(?:r[ée]dig|r[ée]alis|pr[ée]sent|[ée]tabli|conduit|command|celebrad|realizad|"
    r"held|prepared|written)\w*\b"
)


# --- title -------------------------------------------------------------------------------------

_SERIES_ISSUE = re.compile(
    r"^(?P<series>[A-ZÀ-Ý][^—–|]{2,80}?)\s+[—–]\s+(?P<issue>(?:[Nn]ote|[Cc]ahier|[Dd]ossier|"
    r"[Dd]ocument|[Ee]tude|Étude)\s+n°\s?\d+)\b"
)


def catalogue_title(title: str, text: str) -> str:
    """The title as a documentalist writes it from the first page: a numbered series the
    header names goes before it ('Observatoire des quartiers — Note n° 4 : les ménages …'),
    and a title written all in capitals is put in sentence case (acronyms the text writes in
    capitals elsewhere stay so)."""
    block = header_block(text, title)
    if block and "n°" not in title and (m := _SERIES_ISSUE.match(block[0])):
        title = f"{m['series']} — {m['issue']} : {title[:1].lower()}{title[1:]}"
    # 'Programme de réussite éducative' over 'Bilan d'activité 2008': an activity report's
    # year belongs to its title.
    if block and (m := _ANNUAL.fullmatch(block[0].strip(" ."))) and m[0] not in title:
        title = f"{title} : {m[0][:1].lower()}{m[0][1:]}"
    letters = [c for c in title if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 12:
        title = _sentence_case(title, text)
    # Minutes carry the meeting's date in their title ('… du 14 mars 2011').
    if (
        block
        and re.match(r"(?i)compte[- ]rendu\b", title)
        and not _MONTH_WORDS.search(title)
        and (m := _MEETING_DATE.match(block[0]))
    ):
        title = f"{title} du {m[1]}"
    return title


_ANNUAL = re.compile(
    r"(?i)(?:bilan|rapport|compte[- ]rendu)(?: d'activit[ée]s?| annuel| moral| financier)?"
    r"(?: de l'ann[ée]e)? (?:19|20)\d\d(?:\s?[-–]\s?(?:19|20)\d\d)?"
)
_MEETING_DATE = re.compile(
    r"(?i)(?:r[ée]union|s[ée]ance|comit[ée]|atelier|rencontre)\s+du\s+(\d{1,2}(?:er)?\s+\w+\s+(?:19|20)\d\d)"
)


def _sentence_case(title: str, text: str) -> str:
    body = text[len(title) : len(title) + 100_000]
    acronyms = {w for w in re.findall(r"\b[A-ZÀ-Ý]{2,}\b", body) if not _in_capital_line(w, body)}
    words = []
    for i, word in enumerate(re.split(r"(\s+)", title)):
        core = word.strip("«»()\"'.,;:")
        if core in acronyms:
            words.append(word)
        else:
            lowered = word.lower()
            words.append(lowered[:1].upper() + lowered[1:] if i == 0 else lowered)
    result = "".join(words)
    # Places keep their capitals: 'sainte-thérèse' -> 'Sainte-Thérèse', 'la trinité' -> 'La
    # Trinité' (the gazetteer's names, then compound names as the text writes them).
    places = [name for name, _kind, _spellings in _gazetteer()]
    places += re.findall(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ýa-zà-ÿ][a-zà-ÿ]+)+\b", body)
    for place in places:
        if _common_words_here(place, body):
            continue
        result = re.sub(rf"(?<![\w-]){re.escape(place.lower())}(?![\w-])", place, result)
    return result[:1].upper() + result[1:]


def _common_words_here(place: str, body: str) -> bool:
    """A place name that is also plain French ('la réunion': the meeting, not the island;
    'le marin', 'le robert') is only a place in this title when the text writes it as one at
    least as often as it writes the plain words."""
    lowered = place.lower()
    if lowered == place:
        return False
    plain = len(re.findall(rf"(?<![\w-]){re.escape(lowered)}(?![\w-])", body))
    named = len(re.findall(rf"(?<![\w-]){re.escape(place)}(?![\w-])", body))
    return plain > named


def _in_capital_line(word: str, body: str) -> bool:
    """The word only ever shows inside lines written all in capitals (headings)."""
    for m in re.finditer(rf"\b{re.escape(word)}\b", body):
        line_start = body.rfind("\n", 0, m.start()) + 1
        line_end = body.find("\n", m.end())
        line = body[line_start : line_end if line_end != -1 else len(body)]
        if any(c.islower() for c in line):
            return False
    return True


# --- abstract ----------------------------------------------------------------------------------

_ABSTRACT_HEADING = re.compile(
    r"^(?:r[ée]sum[ée]|abstract|summary|resumen|synth[èe]se|en bref|l'essentiel|"
    r"executive summary|points cl[ée]s)\s*:?\s*(.*)$",
    re.IGNORECASE,
)
_TOC_LINE = re.compile(
    r"(?:\.{3,}|…{2,}|(?<![\d,.])\s\d{1,3})\s*$|^\s*(?:[-–—•*]|\d+(?:\.\d+)*\.?)\s|\.{5,}"
)
# Sections whose paragraphs never summarise the document.
_NOT_SUMMARY = re.compile(
    r"^(?:remerciements|d[ée]dicace|acknowledge?ments|"
    r"agradecimientos|[ée]ditorial|le mot du maire|avant-propos|pr[ée]face|sigles|glossaire)\b",
    re.IGNORECASE,
)
ABSTRACT_CHARS = 1200


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of the first pages: blank lines separate them, and a line that ends a
    sentence followed by a capitalised line does too (PDF text has no blank lines)."""
    head = text[:30000].replace("\f", "\n\n")
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", head):
        current: list[str] = []
        for line in chunk.splitlines():
            line = clean_text_line(line)
            if not line:
                continue
            if current and (
                _SECTION_HEADING.match(line)
                or (current[-1].endswith((".", "!", "?", "»")) and len(current[-1]) < 60)
                or (
                    len(current[-1]) < 60
                    and not current[-1].endswith((",", ";", ":", "-"))
                    and line[:1].isupper()
                )
                or _TOC_LINE.search(line)
                or _TOC_LINE.search(current[-1])
                or len(line) > 200
                or len(current[-1]) > 200
            ):
                out.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(current))
    return out


def _is_body_paragraph(paragraph: str) -> bool:
    """Prose, not a table of contents, a list of headings, a table or a by-line."""
    if len(paragraph) < 200 or _TOC_LINE.search(paragraph) or not paragraph[:1].isupper():
        return False  # short, a list, or the end of a sentence cut by a page
    words = re.findall(r"[^\W\d_]{2,}", paragraph)
    if len(words) < 30 or sum(w.islower() for w in words) < len(words) * 0.6:
        return False
    if sum(c.isdigit() for c in paragraph) > len(paragraph) * 0.1:
        return False
    return paragraph.count(".") + paragraph.count(";") >= 1 and "|" not in paragraph


def _shorten(paragraph: str, limit: int = ABSTRACT_CHARS) -> str:
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph.rfind(". ", 0, limit)
    return paragraph[: cut + 1] if cut > limit // 3 else paragraph[:limit].rsplit(" ", 1)[0] + " …"


def read_abstract(text: str, title: str | None = None) -> str | None:
    """The document's own résumé ('Résumé', 'Abstract', 'Synthèse' …) when it has one, else
    its first substantial paragraph of prose; never a table of contents, a table or a list of
    headings."""
    paragraphs = _paragraphs(text)
    if title:  # the title and the lines under it are not the summary
        openings = [_fold(line)[:40] for line in [title, *header_block(text, title)[:1]]]
        paragraphs = [p for p in paragraphs if not _fold(p).startswith(tuple(openings))]
    for i, paragraph in enumerate(paragraphs[:80]):
        m = _ABSTRACT_HEADING.match(paragraph)
        if not m:
            continue
        inline = m[1].strip()
        following = [inline] if len(inline) >= 200 else []
        following += paragraphs[i + 1 : i + 3]
        for candidate in following:
            if _is_body_paragraph(candidate):
                return _shorten(candidate)
    skipping = False
    for paragraph in paragraphs[:60]:
        if len(paragraph) < 80 and (_SECTION_HEADING.match(paragraph) or paragraph[:1].isupper()):
            skipping = bool(_NOT_SUMMARY.match(paragraph))  # a heading opens a section
            continue
        if skipping:
            continue
        if _is_body_paragraph(paragraph) and not _BYLINE_LEAD.match(paragraph):
            return _shorten(paragraph)
    return None
