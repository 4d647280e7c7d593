"""Periodicals (issue 10): titles with an ISSN checked by its key, issues received or
expected and late, articles that name their host issue and pages, copies of an issue."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from library import Catalogue, Copy, InvalidRecord, Record, Support
from library.models import Host
from library.periodicals import (
    Frequency,
    Issue,
    IssueStatus,
    PeriodicalRefusal,
    Problem,
    next_issue,
    pages_problem,
    period_end,
)
from tests.periodicals_fund import CAHIERS_ISSN, cahiers


@pytest.fixture
def cat(tmp_path):
    with Catalogue.open(tmp_path / "c.sqlite3") as catalogue:
        yield catalogue


def test_a_periodical_is_a_revue_record_with_its_issn_and_frequency(cat):
    fund = cahiers(cat)
    record = cat.get(fund.periodical.id)
    assert record.doc_type.value == "revue"
    assert record.issn == CAHIERS_ISSN
    assert cat.periodical(fund.periodical.id).frequency is Frequency.TRIMESTRIEL
    assert [p.title for p in cat.periodicals()] == ["Cahiers Ville caraïbe"]


@pytest.mark.parametrize("issn", ["2107-7208", "1234-5678", "21077207X", "abcd"])
def test_an_issn_with_a_wrong_check_digit_is_refused_and_nothing_is_stored(cat, issn):
    with pytest.raises(PeriodicalRefusal) as refused:
        cat.add_periodical(Record(title="Revue douteuse", issn=issn), Frequency.MENSUEL)
    assert (refused.value.field, refused.value.code) == ("issn", "issn-check-digit")
    assert refused.value.facts == {"issn": issn}
    assert cat.periodicals() == [] and cat.count() == 0


def test_the_issn_is_written_one_way(cat):
    found = cat.add_periodical(Record(title="Urbanisme", issn="issn 21077207"))
    assert found.record.issn == "2107-7207"


def test_an_issue_number_cannot_be_given_twice_in_one_periodical(cat):
    fund = cahiers(cat)
    with pytest.raises(PeriodicalRefusal) as refused:
        cat.add_issue(Issue(fund.periodical.id, "3", "2011-01"))
    assert (refused.value.code, refused.value.facts) == ("number-taken", {"number": "3"})
    assert [i.number for i in cat.issues(fund.periodical.id)] == ["4", "3"]
    other = cat.add_periodical(Record(title="Autre revue"))
    assert cat.add_issue(Issue(other.id, "3")).number == "3"  # another title may have a n° 3


def test_an_article_names_its_host_issue_and_pages(cat):
    fund = cahiers(cat)
    host = cat.get(fund.article.id).host
    assert host is not None
    assert (host.title, host.issn, host.number, host.date, host.pages) == (
        "Cahiers Ville caraïbe",
        CAHIERS_ISSN,
        "3",
        "2010-12",
        "12-25",
    )
    assert (host.first_page, host.last_page) == ("12", "25")
    articles = cat.articles([fund.received.id])[fund.received.id]
    assert [a.title for a in articles] == [  # in page order
        "Éditorial : dix ans de politique de la ville",
        "Habiter les quartiers d'habitat spontané de Fort-de-France",
    ]


def test_saving_an_article_keeps_its_host_and_can_change_its_pages(cat):
    fund = cahiers(cat)
    record = cat.get(fund.article.id)
    cat.save(replace(record, title="Habiter l'habitat spontané"))
    assert cat.get(fund.article.id).host.pages == "12-25"
    cat.save(replace(record, host=replace(record.host, pages="p. 12–26")))
    assert cat.get(fund.article.id).host.pages == "12-26"


@pytest.mark.parametrize("pages", ["25-12", "douze", "12-", "1-2-3"])
def test_nonsense_pages_are_refused_and_nothing_is_half_saved(cat, pages):
    fund = cahiers(cat)
    count = cat.count()
    with pytest.raises(InvalidRecord) as refused:
        cat.add(
            Record(
                title="Article aux pages impossibles",
                host=Host("Cahiers Ville caraïbe", pages=pages, issue_id=fund.received.id),
            )
        )
    assert refused.value.field == "host"
    assert refused.value.code in ("pages-unreadable", "pages-reversed")
    assert cat.count() == count


def test_pages_rules():
    assert pages_problem("12-25") is pages_problem("7") is pages_problem("iv-x") is None
    assert pages_problem("25-12") == Problem("pages-reversed", {"pages": "25-12"})


def test_a_host_read_from_a_file_finds_the_periodical_by_issn_then_creates_what_is_missing(cat):
    fund = cahiers(cat)
    article = cat.add(
        Record(title="Article importé", host=Host("Cahiers V. C.", CAHIERS_ISSN, "3", "", "5"))
    )
    assert article.host.issue_id == fund.received.id  # by ISSN, then by number
    other = cat.add(
        Record(
            title="Un article d'ailleurs", host=Host("Revue urbaine", "", "12", "2015-06", "1-9")
        )
    )
    made = cat.periodical(other.host.periodical_id)
    assert made.title == "Revue urbaine"
    issue = cat.issue(other.host.issue_id)
    assert (issue.number, issue.date, issue.status) == ("12", "2015-06", IssueStatus.RECEIVED)
    again = cat.add(Record(title="Deuxième", host=Host("REVUE URBAINE", "", "12", "", "10")))
    assert again.host.issue_id == issue.id  # by title, then by number


def test_a_late_issue_is_expected_with_its_date_past(cat):
    fund = cahiers(cat)
    assert [late.issue.number for late in cat.late_issues(date(2011, 3, 31))] == []
    late = cat.late_issues(date(2011, 4, 1))
    assert [(x.periodical_title, x.issue.number) for x in late] == [("Cahiers Ville caraïbe", "4")]
    cat.receive_issue(fund.late.id, "2011-04-02")
    assert cat.late_issues(date(2012, 1, 1)) == []
    assert cat.issue(fund.late.id).received_on == "2011-04-02"


def test_expected_issues_are_generated_from_the_frequency(cat):
    fund = cahiers(cat)
    made = cat.expect_issues(fund.periodical.id, 3)
    assert [(i.number, i.date, i.status) for i in made] == [
        ("5", "2011-06", IssueStatus.EXPECTED),
        ("6", "2011-09", IssueStatus.EXPECTED),
        ("7", "2011-12", IssueStatus.EXPECTED),
    ]


def test_next_issue_follows_each_frequency():
    assert next_issue(Frequency.MENSUEL, "12", "2010-12") == ("13", "2011-01")
    assert next_issue(Frequency.HEBDOMADAIRE, "n°009", "2010-12-28") == ("n°010", "2011-01-04")
    assert next_issue(Frequency.ANNUEL, "2010", "2010") == ("2011", "2011")
    with pytest.raises(PeriodicalRefusal, match="frequency-irregular"):
        next_issue(Frequency.IRREGULIER, "1", "2010")
    with pytest.raises(PeriodicalRefusal, match="number-not-counted"):
        next_issue(Frequency.MENSUEL, "hors-série", "2010")
    assert period_end("2010-02") == date(2010, 2, 28)


def test_a_periodical_with_issues_cannot_be_deleted(cat):
    fund = cahiers(cat)
    with pytest.raises(PeriodicalRefusal) as refused:
        cat.delete_periodical(fund.periodical.id)
    assert (refused.value.code, refused.value.facts["count"]) == ("title-has-issues", 2)
    assert cat.periodicals() and not cat.get(fund.periodical.id).deleted
    empty = cat.add_periodical(Record(title="Revue sans numéro"))
    cat.delete_periodical(empty.id)
    assert cat.get(empty.id).deleted and len(cat.periodicals()) == 1


def test_an_issue_with_articles_or_copies_is_kept(cat):
    fund = cahiers(cat)
    with pytest.raises(PeriodicalRefusal, match="issue-in-use"):
        cat.delete_issue(fund.received.id)
    cat.delete_issue(fund.late.id)
    assert [i.number for i in cat.issues(fund.periodical.id)] == ["3"]


def test_a_copy_can_belong_to_an_issue(cat):
    fund = cahiers(cat)
    copies = cat.get(fund.periodical.id).copies
    assert [(c.barcode, c.issue_id) for c in copies] == [("CVC-0003-1", fund.received.id)]
    with pytest.raises(InvalidRecord):
        cat.add_issue_copy(fund.received.id, Copy("CVC-0003-1"))  # barcodes stay unique
    electronic = cat.add_periodical(Record(title="Revue en ligne", support=Support.ELECTRONIQUE))
    issue = cat.add_issue(Issue(electronic.id, "1", "2020"))
    with pytest.raises(InvalidRecord):
        cat.add_issue_copy(issue.id, Copy("EL-1"))


def test_two_periodicals_cannot_share_an_issn(cat):
    fund = cahiers(cat)
    with pytest.raises(InvalidRecord, match="issn-taken"):
        cat.add_periodical(Record(title="Autre titre", issn=CAHIERS_ISSN))
    other = cat.add_periodical(Record(title="Autre titre"))
    with pytest.raises(InvalidRecord, match="issn-taken"):
        cat.save_periodical(replace(other.record, issn=CAHIERS_ISSN), Frequency.ANNUEL)
    assert cat.periodical(other.id).record.issn == "" and len(cat.periodicals()) == 2
    assert cat.periodical(fund.periodical.id).record.issn == CAHIERS_ISSN


def test_renaming_a_periodical_renames_its_articles_hosts_and_moves_their_revision(cat):
    fund = cahiers(cat)
    before = cat.get(fund.article.id).rev
    renamed = replace(cat.get(fund.periodical.id), title="Cahiers de la ville caraïbe")
    cat.save_periodical(renamed, Frequency.SEMESTRIEL)
    article = cat.get(fund.article.id)
    assert article.host.title == "Cahiers de la ville caraïbe" and article.rev > before
