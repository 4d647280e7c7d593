"""The vocabulary as SKOS (Turtle or RDF/XML): export for other centres, import of theirs.

Mapping (thematic = top concept of the scheme):
- libelle -> skos:prefLabel@fr, note -> skos:scopeNote@fr, slug -> skos:notation;
- termes -> skos:altLabel@fr; indices (everyday words) -> skos:hiddenLabel@fr (labels for
  indexing, not for display: the SKOS meaning); en/es terms -> skos:altLabel@en / @es;
- specifiques -> narrower concepts (prefLabel); synonym groups -> narrower concepts whose
  prefLabel is the preferred term and altLabels the synonyms; acronyms -> narrower concepts
  whose prefLabel is the expansion and altLabel the acronym (marked with fonds:acronym).
- associes (related expressions) -> skos:related between narrower concepts (an expression
  that is no concept of its own gets one, marked fonds:searchOnly so that it is not imported
  back as a narrower term); traductions -> fonds:translation on the French expression's
  concept, and skos:altLabel@en/@es where the language is certain, for other tools.
- Weights are not SKOS: they travel as fonds:weight annotations that other tools ignore.
On import, deeper hierarchies are flattened into their top concept; an altLabel that looks like
an acronym (capitals, no space) becomes an acronym of its concept's prefLabel.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS
from rdflib.term import Node

from library.xml_input import UnsafeXml, check_xml

from .analysis import fold
from .vocabulary import (
    DEFAULT_URI,
    DEFAULT_WEIGHTS,
    KINDS,
    Acronym,
    Theme,
    Vocabulary,
    VocabularyError,
    VocabularyProblem,
    parse_vocabulary,
)

FONDS = Namespace("urn:fonds:skos#")
FORMATS = {"turtle": "turtle", "rdfxml": "xml"}
_ACRONYM_LABEL = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z0-9][A-Za-z0-9À-ÿ.&-]{1,11}$")


def export_skos(vocabulary: Vocabulary, fmt: str = "turtle") -> str:
    """The vocabulary as a SKOS concept scheme, in 'turtle' or 'rdfxml'."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown SKOS format {fmt!r}")
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    graph.bind("fonds", FONDS)
    base = vocabulary.uri if vocabulary.uri.endswith(("/", "#")) else vocabulary.uri + "/"
    scheme = URIRef(base)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    if vocabulary.title:
        graph.add((scheme, DCTERMS.title, Literal(vocabulary.title, lang="fr")))
    if vocabulary.version:
        graph.add((scheme, OWL.versionInfo, Literal(vocabulary.version)))
    for kind, weight in vocabulary.default_weights:
        node = BNode()
        graph.add((scheme, FONDS.defaultWeight, node))
        graph.add((node, FONDS.kind, Literal(kind)))
        graph.add((node, FONDS.weight, Literal(weight)))
    for position, theme in enumerate(vocabulary.themes):
        _export_theme(graph, scheme, base, position, theme)
    return graph.serialize(format=FORMATS[fmt])


def _export_theme(graph: Graph, scheme: URIRef, base: str, position: int, theme: Theme) -> None:
    concept = URIRef(base + theme.slug)
    fr = "fr"
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    graph.add((concept, SKOS.topConceptOf, scheme))
    graph.add((scheme, SKOS.hasTopConcept, concept))
    graph.add((concept, SKOS.notation, Literal(theme.slug)))
    graph.add((concept, FONDS.position, Literal(position)))
    graph.add((concept, SKOS.prefLabel, Literal(theme.label, lang=fr)))
    if theme.scope_note:
        graph.add((concept, SKOS.scopeNote, Literal(theme.scope_note, lang=fr)))
    for term in theme.terms:
        graph.add((concept, SKOS.altLabel, Literal(term, lang=fr)))
    for term in theme.cues:
        graph.add((concept, SKOS.hiddenLabel, Literal(term, lang=fr)))
    for language, terms in theme.foreign:
        for term in terms:
            graph.add((concept, SKOS.altLabel, Literal(term, lang=language)))
    used: set[str] = set()

    def narrower(name: str, order: int) -> URIRef:
        ident = _slugify(name) or "terme"
        candidate, n = ident, 2
        while candidate in used:
            candidate, n = f"{ident}-{n}", n + 1
        used.add(candidate)
        child = URIRef(f"{base}{theme.slug}/{candidate}")
        graph.add((child, RDF.type, SKOS.Concept))
        graph.add((child, SKOS.inScheme, scheme))
        graph.add((child, SKOS.broader, concept))
        graph.add((concept, SKOS.narrower, child))
        graph.add((child, FONDS.position, Literal(order)))
        return child

    order = 0
    for term in theme.narrower:
        child = narrower(term, order)
        graph.add((child, SKOS.prefLabel, Literal(term, lang=fr)))
        order += 1
    for group in theme.synonyms:
        child = narrower(group[0], order)
        graph.add((child, SKOS.prefLabel, Literal(group[0], lang=fr)))
        for synonym in group[1:]:
            graph.add((child, SKOS.altLabel, Literal(synonym, lang=fr)))
        order += 1
    for acronym in theme.acronyms:
        child = narrower(acronym.acronym, order)
        graph.add((child, SKOS.prefLabel, Literal(acronym.expansions[0], lang=fr)))
        graph.add((child, SKOS.altLabel, Literal(acronym.acronym, lang=fr)))
        graph.add((child, FONDS.acronym, Literal(acronym.acronym)))
        for expansion in acronym.expansions[1:]:
            graph.add((child, SKOS.altLabel, Literal(expansion, lang=fr)))
        order += 1
    by_label = {
        str(graph.value(child, SKOS.prefLabel)): child
        for child in graph.objects(concept, SKOS.narrower)
    }

    def expression(text: str) -> Node:
        nonlocal order
        if text not in by_label:
            child = narrower(text, order)
            graph.add((child, SKOS.prefLabel, Literal(text, lang=fr)))
            graph.add((child, FONDS.searchOnly, Literal(True)))
            by_label[text] = child
            order += 1
        return by_label[text]

    for group in theme.related:
        members = [expression(text) for text in group]
        for a in members:
            for b in members:
                if a != b:
                    graph.add((a, SKOS.related, b))
    for french, others in theme.translations:
        node = expression(french)
        for other in others:
            graph.add((node, FONDS.translation, Literal(other)))
            language = _translation_language(other, theme)
            if language:
                graph.add((node, SKOS.altLabel, Literal(other, lang=language)))
    for term, weight in theme.weights:
        node = BNode()
        graph.add((concept, FONDS.termWeight, node))
        graph.add((node, FONDS["term"], Literal(term, lang=fr)))
        graph.add((node, FONDS.weight, Literal(weight)))


def _translation_language(text: str, theme: Theme) -> str:
    """'en' or 'es' when the thematic's own labels say which, else '' (a bare word such as
    'mediación' could be either to a reader that does not know Spanish letters)."""
    listed = [lang for lang, terms in theme.foreign if text in terms]
    return listed[0] if len(listed) == 1 else ""


def import_skos(path: Path, fmt: str | None = None) -> Vocabulary:
    """Read a SKOS file (Turtle or RDF/XML) into a vocabulary, validated like the TOML file."""
    graph = _parse(Path(path), fmt)
    schemes = sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=str)
    tops = {c for c in graph.objects(None, SKOS.hasTopConcept)}
    tops |= {c for c in graph.subjects(SKOS.topConceptOf, None)}
    if not tops:
        concepts = set(graph.subjects(RDF.type, SKOS.Concept))
        tops = {
            c
            for c in concepts
            if (c, SKOS.broader, None) not in graph and (None, SKOS.narrower, c) not in graph
        }
    if not tops:
        raise VocabularyError(VocabularyProblem.NO_CONCEPT, path=str(path))
    ordered = sorted(tops, key=lambda c: (_position(graph, c), _label(graph, c).casefold()))
    themes: list[Theme] = []
    slugs: set[str] = set()
    for concept in ordered:
        theme = _import_theme(graph, concept)
        slug, n = theme.slug, 2
        while slug in slugs:
            slug, n = f"{theme.slug}-{n}", n + 1
        slugs.add(slug)
        themes.append(Theme(**{**_fields(theme), "slug": slug}))
    scheme = schemes[0] if schemes else None
    title = ""
    version = ""
    weights = dict(DEFAULT_WEIGHTS)
    if scheme is not None:
        title = _literal(graph, scheme, DCTERMS.title) or _literal(graph, scheme, SKOS.prefLabel)
        version = str(graph.value(scheme, OWL.versionInfo) or "")
        for node in graph.objects(scheme, FONDS.defaultWeight):
            kind, weight = graph.value(node, FONDS.kind), graph.value(node, FONDS.weight)
            if kind is not None and str(kind) in KINDS and weight is not None:
                weights[str(kind)] = float(str(weight))
    vocabulary = Vocabulary(
        themes=tuple(themes),
        title=title,
        uri=str(scheme) if scheme is not None else DEFAULT_URI,
        version=version,
        default_weights=tuple(weights.items()),
    )
    # The same checks as a hand-edited file, with the imported file named in the message.
    parse_vocabulary(vocabulary.to_toml(), source=Path(path).name, imported=True)
    return vocabulary


MAX_SKOS_BYTES = 50 * 1024 * 1024


def _parse(path: Path, fmt: str | None) -> Graph:
    """The RDF graph of a Turtle or RDF/XML file. RDF/XML goes through library.xml_input
    first: a DTD (billion laughs, external entities) is refused before rdflib sees it."""
    if fmt is None:
        suffix = path.suffix.lower()
        candidates = ["xml", "turtle"] if suffix in (".rdf", ".xml", ".owl") else ["turtle", "xml"]
    elif fmt in FORMATS or fmt in FORMATS.values():
        candidates = [FORMATS.get(fmt, fmt)]
    else:  # json-ld and others may fetch remote contexts: only what we document is read
        raise VocabularyError(VocabularyProblem.UNKNOWN_FORMAT, path=str(path), format=fmt)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SKOS_BYTES + 1)
    except FileNotFoundError as exc:
        raise VocabularyError(VocabularyProblem.NOT_FOUND, path=str(path)) from exc
    except OSError as exc:
        raise VocabularyError(
            VocabularyProblem.UNREADABLE, path=str(path), error=exc.strerror or type(exc).__name__
        ) from exc
    if len(data) > MAX_SKOS_BYTES:
        raise VocabularyError(
            VocabularyProblem.TOO_LARGE, path=str(path), limit_mb=MAX_SKOS_BYTES // 2**20
        )
    errors = []
    for candidate in candidates:
        if candidate == "xml" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            try:
                check_xml(data)
            except UnsafeXml:
                raise VocabularyError(VocabularyProblem.UNSAFE_XML, path=str(path)) from None
            except ElementTree.ParseError:
                pass  # not XML: rdflib says why below
        graph = Graph()
        try:
            graph.parse(data=data, format=candidate, publicID=path.resolve().as_uri())
            return graph
        except Exception as exc:  # noqa: BLE001 - rdflib raises many parser-specific types
            errors.append(" ".join(str(exc).split())[:160])
    raise VocabularyError(VocabularyProblem.SKOS_UNREADABLE, path=str(path), detail=errors[0])


def _import_theme(graph: Graph, concept: Node) -> Theme:
    label = _literal(graph, concept, SKOS.prefLabel) or _local_name(concept)
    notation = str(graph.value(concept, SKOS.notation) or "")
    slug = notation if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", notation) else _slugify(label)
    note = _literal(graph, concept, SKOS.scopeNote) or _literal(graph, concept, SKOS.definition)
    terms: dict[str, None] = {}
    cues: dict[str, None] = {}
    foreign: dict[str, dict[str, None]] = {"en": {}, "es": {}}
    narrower: dict[str, None] = {}
    synonyms: list[tuple[str, ...]] = []
    acronyms: list[Acronym] = []
    translations: dict[str, dict[str, None]] = {}
    for text, lang in _labels(graph, concept, SKOS.altLabel):
        (foreign.get(lang, terms)).setdefault(text, None)
    for text, lang in _labels(graph, concept, SKOS.hiddenLabel):
        (foreign.get(lang, cues)).setdefault(text, None)
    for text, lang in _labels(graph, concept, SKOS.prefLabel):
        if lang in foreign:
            foreign[lang].setdefault(text, None)
    children = _descendants(graph, concept)
    for child in children:
        pref = _literal(graph, child, SKOS.prefLabel)
        alts = [t for t, lang in _labels(graph, child, SKOS.altLabel) if lang not in foreign]
        marked = {str(a) for a in graph.objects(child, FONDS.acronym)}
        translated = sorted(str(t) for t in graph.objects(child, FONDS.translation))
        if pref and translated:
            translations.setdefault(pref, {}).update(dict.fromkeys(translated))
        for text, lang in _labels(graph, child, SKOS.hiddenLabel):
            (foreign.get(lang, cues)).setdefault(text, None)
        for kind in (SKOS.prefLabel, SKOS.altLabel):
            for text, lang in _labels(graph, child, kind):
                if lang in foreign and text not in translated:
                    foreign[lang].setdefault(text, None)
        if not pref or (child, FONDS.searchOnly, None) in graph:
            continue
        found = [a for a in alts if a in marked or (not marked and _ACRONYM_LABEL.match(a))]
        rest = [a for a in alts if a not in found]
        if found:
            expansions = (pref, *rest)
            acronyms.extend(Acronym(a, expansions) for a in found)
        elif rest:
            synonyms.append((pref, *rest))
        else:
            narrower.setdefault(pref, None)
    weights = {}
    for node in graph.objects(concept, FONDS.termWeight):
        term, weight = graph.value(node, FONDS["term"]), graph.value(node, FONDS.weight)
        if term is not None and weight is not None:
            weights[str(term)] = float(str(weight))
    known = {
        *terms,
        *cues,
        *narrower,
        *(t for g in synonyms for t in g),
        *(a.acronym for a in acronyms),
        *(e for a in acronyms for e in a.expansions),
        *(t for f in foreign.values() for t in f),
    }
    return Theme(
        related=_related_groups(graph, children),
        translations=tuple((k, tuple(v)) for k, v in translations.items()),
        slug=slug or "thematique",
        label=label,
        scope_note=" ".join(note.split()),
        terms=tuple(terms),
        synonyms=tuple(synonyms),
        narrower=tuple(narrower),
        cues=tuple(cues),
        acronyms=_unique_acronyms(acronyms),
        foreign=tuple((lang, tuple(v)) for lang, v in foreign.items() if v),
        weights=tuple((k, v) for k, v in weights.items() if k in known),
    )


def _related_groups(graph: Graph, children: list[Node]) -> tuple[tuple[str, ...], ...]:
    """Groups of expressions joined by skos:related (either direction) among a thematic's
    concepts, each group in the concepts' order."""
    inside = set(children)
    group_of: dict[Node, int] = {}
    groups: list[list[Node]] = []
    for child in children:
        if child in group_of:
            continue
        members, stack = [], [child]
        while stack:
            node = stack.pop()
            if node in group_of:
                continue
            group_of[node] = len(groups)
            members.append(node)
            linked = set(graph.objects(node, SKOS.related)) | set(
                graph.subjects(SKOS.related, node)
            )
            stack.extend(n for n in linked if n in inside and n not in group_of)
        groups.append(members)
    order = {child: i for i, child in enumerate(children)}
    out = []
    for members in groups:
        labels = [
            _literal(graph, m, SKOS.prefLabel) for m in sorted(members, key=order.__getitem__)
        ]
        labels = [label for label in dict.fromkeys(labels) if label]
        if len(labels) > 1:
            out.append(tuple(labels))
    return tuple(out)


def _unique_acronyms(acronyms: list[Acronym]) -> tuple[Acronym, ...]:
    seen: dict[str, Acronym] = {}
    for acronym in acronyms:
        seen.setdefault(fold(acronym.acronym.replace(".", "")).upper(), acronym)
    return tuple(seen.values())


def _descendants(graph: Graph, concept: Node) -> list[Node]:
    """Narrower concepts at any depth (either direction of the link), in a stable order."""
    found: dict[Node, None] = {}
    stack = [concept]
    while stack:
        node = stack.pop()
        children = set(graph.objects(node, SKOS.narrower)) | set(graph.subjects(SKOS.broader, node))
        for child in sorted(children, key=lambda c: (_position(graph, c), str(c)), reverse=True):
            if child not in found and child != concept:
                found[child] = None
                stack.append(child)
    return sorted(found, key=lambda c: (_position(graph, c), str(c)))


def _labels(graph: Graph, subject: Node, predicate: URIRef) -> list[tuple[str, str]]:
    out = []
    for obj in graph.objects(subject, predicate):
        if isinstance(obj, Literal) and str(obj).strip():
            out.append((" ".join(str(obj).split()), (obj.language or "fr").lower()[:2]))
    return sorted(out, key=lambda item: item[0].casefold()) if predicate != SKOS.prefLabel else out


def _literal(graph: Graph, subject: Node, predicate: URIRef) -> str:
    """The French (or untagged, or any) value of a label property."""
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    for wanted in ("fr", None):
        for value in values:
            if value.language == wanted or (
                wanted == "fr" and (value.language or "").startswith("fr")
            ):
                return " ".join(str(value).split())
    return " ".join(str(values[0]).split()) if values else ""


def _label(graph: Graph, concept: Node) -> str:
    return _literal(graph, concept, SKOS.prefLabel) or _local_name(concept)


def _position(graph: Graph, concept: Node) -> int:
    value = graph.value(concept, FONDS.position)
    try:
        return int(str(value)) if value is not None else 1_000_000
    except ValueError:
        return 1_000_000


def _local_name(node: Node) -> str:
    return re.split(r"[/#]", str(node).rstrip("/#"))[-1]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60].strip("-")


def _fields(theme: Theme) -> dict[str, Any]:
    return {name: getattr(theme, name) for name in Theme.__dataclass_fields__}
