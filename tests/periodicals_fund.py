"""The centre's own quarterly, *Cahiers Ville caraïbe*, with two issues (one received with
two articles, one expected and late) and a copy: shared by the library, web and export tests."""

from __future__ import annotations

from dataclasses import dataclass

from library import Author, AuthorRole, Catalogue, Copy, DocType, Record, Support
from library.models import Host
from library.periodicals import Frequency, Issue, IssueStatus, Periodical

CAHIERS_ISSN = "2107-7207"  # a made-up ISSN with a right check digit


@dataclass(frozen=True)
class CahiersFund:
    periodical: Periodical
    received: Issue  # n° 3, décembre 2010
    late: Issue  # n° 4, expected in March 2011
    article: Record  # p. 12-25 of n° 3
    other_article: Record  # p. 3-11 of n° 3


def cahiers(cat: Catalogue) -> CahiersFund:
    periodical = cat.add_periodical(
        Record(
            title="Cahiers Ville caraïbe",
            issn=CAHIERS_ISSN,
            publisher="Centre de ressources Ville caraïbe",
            place="Fort-de-France",
            support=Support.PAPIER,
        ),
        Frequency.TRIMESTRIEL,
    )
    received = cat.add_issue(Issue(periodical.id, "3", "2010-12", IssueStatus.RECEIVED))
    late = cat.add_issue(Issue(periodical.id, "4", "2011-03"))
    article = cat.add(
        Record(
            title="Habiter les quartiers d'habitat spontané de Fort-de-France",
            authors=(
                Author("Joseph-Angélique, Marie"),
                Author("Leblanc, Paul", role=AuthorRole.EDITOR),
            ),
            year=2010,
            date="2010-12",
            doc_type=DocType.ARTICLE,
            language="fr",
            support=Support.PAPIER,
            keywords=("habitat spontané", "résorption"),
            host=Host("Cahiers Ville caraïbe", pages="12-25", issue_id=received.id),
        )
    )
    other = cat.add(
        Record(
            title="Éditorial : dix ans de politique de la ville",
            year=2010,
            doc_type=DocType.ARTICLE,
            support=Support.PAPIER,
            host=Host("Cahiers Ville caraïbe", pages="3-11", issue_id=received.id),
        )
    )
    assert received.id is not None
    cat.add_issue_copy(received.id, Copy("CVC-0003-1", "REV CAH 3", "Salle de lecture"))
    return CahiersFund(periodical, received, late, article, other)
