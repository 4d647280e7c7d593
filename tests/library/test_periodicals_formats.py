"""An article's host in every exchange format (issue 10): UNIMARC 461/463, MARC 21 773,
CSL-JSON container-title/issue/page, RIS T2/IS/SP/EP, BibTeX @article journal/number/pages;
the periodical's ISSN in 011/022; read back by third-party parsers and by ours."""

from __future__ import annotations

import json

import bibtexparser
import pymarc
import pytest
import rispy

from library import Catalogue
from library.exporting import export
from library.formats import bibtex, csl, ris
from library.formats.common import ExportContext
from library.formats.hosts import date_words, host_g, parse_host_g
from library.formats.marc import MarcRecord
from library.formats.marc21 import from_marc as marc21_from_marc
from library.formats.unimarc import from_marc as unimarc_from_marc
from library.models import Host
from tests.periodicals_fund import CAHIERS_ISSN, cahiers


@pytest.fixture
def fund(tmp_path):
    with Catalogue.open(tmp_path / "c.sqlite3") as catalogue:
        yield cahiers(catalogue), catalogue


@pytest.fixture
def ctx():
    return ExportContext(repository="crpv-martinique.fr", base_url="https://fonds.example.org")


def article_of(fund):
    found, catalogue = fund
    return catalogue.get(found.article.id)


def test_773_g_is_written_and_read_the_way_catalogues_write_it():
    host = Host("Cahiers Ville caraïbe", CAHIERS_ISSN, "3", "2010-12", "12-25")
    assert host_g(host) == "n° 3 (déc. 2010), p. 12-25"
    assert parse_host_g("n° 3 (déc. 2010), p. 12-25") == ("3", "2010-12", "12-25")
    assert parse_host_g("no. 3 (Dec. 2010), p. 12-25.") == ("3", "2010-12", "12-25")
    assert parse_host_g("Vol. 9, no. 3 (2010)") == ("Vol. 9, no. 3", "2010", "")
    assert (
        date_words("2010-12") == "décembre 2010" and date_words("2010-12-05") == "5 décembre 2010"
    )


def test_unimarc_has_461_and_463_for_an_article_and_011_for_the_periodical(fund, ctx):
    found, catalogue = fund
    records = [catalogue.get(found.periodical.id), article_of(fund)]
    data = export("iso2709", records, ctx)
    read = list(pymarc.MARCReader(data, to_unicode=True, force_utf8=True))
    periodical, article = read
    assert periodical["011"]["a"] == CAHIERS_ISSN and periodical.leader[7] == "s"
    assert article["461"]["t"] == "Cahiers Ville caraïbe"
    assert article["461"]["x"] == CAHIERS_ISSN
    assert article["463"]["v"] == "n° 3"
    assert article["463"]["d"] == "2010-12"
    assert article["463"]["p"] == "p. 12-25"
    assert periodical.get("461") is None


def test_marc21_has_773_for_an_article_and_022_for_the_periodical(fund, ctx):
    found, catalogue = fund
    records = [catalogue.get(found.periodical.id), article_of(fund)]
    periodical, article = pymarc.MARCReader(export("marc21", records, ctx), to_unicode=True)
    assert periodical["022"]["a"] == CAHIERS_ISSN
    host = article["773"]
    assert (host["t"], host["g"], host["x"]) == (
        "Cahiers Ville caraïbe",
        "n° 3 (déc. 2010), p. 12-25",
        CAHIERS_ISSN,
    )


def test_csl_ris_and_bibtex_carry_the_host_in_their_own_fields(fund, ctx):
    record = article_of(fund)
    (item,) = json.loads(export("csl-json", [record], ctx))
    assert item["type"] == "article-journal"
    assert (item["container-title"], item["issue"], item["page"], item["ISSN"]) == (
        "Cahiers Ville caraïbe",
        "3",
        "12-25",
        CAHIERS_ISSN,
    )
    (entry,) = rispy.loads(export("ris", [record], ctx).decode("utf-8-sig"))
    assert entry["type_of_reference"] == "JOUR"
    assert entry["secondary_title"] == "Cahiers Ville caraïbe"
    assert (entry["number"], entry["start_page"], entry["end_page"]) == ("3", "12", "25")
    library = bibtexparser.parse_string(export("bibtex", [record], ctx).decode())
    (bib,) = library.entries
    assert bib.entry_type == "article"
    assert bib["journal"] == "Cahiers Ville caraïbe"
    assert (bib["number"], bib["pages"], bib["issn"]) == ("3", "12--25", CAHIERS_ISSN)


@pytest.mark.parametrize("name", ["iso2709", "marc21", "marcxml", "marc21xml"])
def test_our_marc_is_read_back_with_its_host(fund, ctx, name):
    from library.formats.readers import READERS

    data = export(name, [article_of(fund)], ctx)
    parsed = READERS[{"marc21xml": "marcxml"}.get(name, name)](data)
    ((_, record),) = parsed.rows
    assert record.host == Host("Cahiers Ville caraïbe", CAHIERS_ISSN, "3", "2010-12", "12-25")


@pytest.mark.parametrize("module", [csl, ris, bibtex], ids=["csl", "ris", "bibtex"])
def test_our_citation_formats_are_read_back_with_their_host(fund, ctx, module):
    name = {"csl": "csl-json", "ris": "ris", "bibtex": "bibtex"}[module.__name__.rsplit(".")[-1]]
    parsed = module.read(export(name, [article_of(fund)], ctx))
    ((_, record),) = parsed.rows
    assert record.host == Host("Cahiers Ville caraïbe", CAHIERS_ISSN, "3", "2010-12", "12-25")
    assert record.issn == "" and "Dans :" not in record.notes


def test_a_partners_unimarc_article_names_its_host_as_pmb_writes_it():
    marc = MarcRecord(leader="00000naa0 2200000   450 ")
    marc.add("200", "1 ", ("a", "La mangrove en ville"))
    marc.add("461", " 0", ("t", "Revue urbaine"), ("x", "0035-1025"))
    marc.add("463", " 0", ("v", "n° 12, p. 5-9"), ("d", "juin 2015"))
    host = unimarc_from_marc(marc).host
    assert host == Host("Revue urbaine", "", "12", "2015-06", "5-9")  # a wrong ISSN is left out


def test_a_773_without_pages_or_issue_is_a_note_not_a_host():
    marc = MarcRecord(leader="00000nab a22000007c 4500")
    marc.add("245", "10", ("a", "Un article"))
    marc.add("773", "0 ", ("t", "Revue urbaine"))
    assert marc21_from_marc(marc).host is None


def test_dublin_core_says_where_an_article_was_published_and_reads_it_back_as_a_note(fund, ctx):
    from library.formats import dublin_core

    data = export("dc", [article_of(fund)], ctx)
    relation = "Dans : Cahiers Ville caraïbe, n° 3, décembre 2010, p. 12-25"
    assert f"<dc:relation>{relation}</dc:relation>".encode() in data
    ((_, record),) = dublin_core.read(data).rows
    assert relation in record.notes.splitlines()
