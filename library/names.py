"""Names of authors: telling organisations from people, whatever system wrote them."""

from __future__ import annotations

import re

from .text import fold

# Words that only organisations have in their names (folded). Particles such as "de" are not
# among them: "Paul de Montrond" is a person.
ORGANISATION_WORDS = frozenset(
    """agence agency academie acse anct anru ars assemblee association asso atelier bailleur
    bureau cabinet caf caisse cacem centre center cerema cget chambre club cnaf collectif
    comite commission commune communaute conseil conseils consultants cooperative corporation
    council cour delegation department departement developpement dgcl direccte direction div
    djscs drjscs ddcs dsden ecole editions entreprise espace etat etudes federation fondation
    foundation gouvernement groupe groupement habitat hlm inc injep insee inspection institut
    institute laboratoire ligue ltd mairie maison ministere ministry ministre mission network
    observatoire observatory office onzus opac partenaires plateforme prefecture prefet presse
    press programme project projet rectorat region republique reseau sa sarl sas secretariat
    sem senat service services simar smhlm societe solidarite syndicat tribunal union
    universite university urbanisme ville""".split()
)
_PARTICLES = frozenset("de du des d la le les van von der da dos del y".split())


def is_organisation(name: str) -> bool:
    """An organisation rather than a person: a word only organisations use, an acronym written
    in capitals ("ACSÉ", "DDCS"), or more words than a person's name has."""
    words = re.findall(r"[^\W\d_]+", fold(name))
    if not words:
        return False
    if any(w in ORGANISATION_WORDS for w in words):
        return True
    if name.strip().isupper() and len(words) == 1 and len(words[0]) <= 8:
        return True
    return len([w for w in words if w not in _PARTICLES]) >= 5


def split_person_name(name: str) -> tuple[str, str]:
    """(family name, given names) of a person's name written in one piece: "Joseph, Marie",
    "JOSEPH Marie" (the family name in capitals), else "Marie Joseph" / "Paul de Montrond"
    (the last word, with its particles, is the family name). A single word is a family name."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    words = name.split(" ")
    if len(words) < 2:
        return name, ""
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if capitals and len(capitals) < len(words):
        family_words = [w for w in words if w in capitals]
        given_words = [w for w in words if w not in capitals]
        return " ".join(family_words), " ".join(given_words)
    start = len(words) - 1
    while start > 1 and fold(words[start - 1]) in _PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def family_name(name: str) -> str:
    return split_person_name(name)[0]


def given_names(name: str) -> str:
    return split_person_name(name)[1]
