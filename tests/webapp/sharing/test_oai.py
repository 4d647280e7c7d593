"""OAI-PMH 2.0 as a harvester meets it: every verb, every error, every response valid against
the official schemas; full and incremental harvests through resumption tokens."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from lxml import etree

from library.loans import Loans

from .fund import DOMAIN, NO_NET

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
MARC = "{http://www.loc.gov/MARC21/slim}"


@pytest.fixture(scope="module")
def schema(request):
    schemas_dir = request.getfixturevalue("schemas_dir")
    return etree.XMLSchema(etree.parse(str(schemas_dir / "OAI-PMH-with-formats.xsd"), NO_NET))


@pytest.fixture
def oai(client, schema):
    """Ask the endpoint (GET, or POST with post=True); every answer must be schema-valid."""

    def ask(post: bool = False, **params: str | list[str]):
        response = (
            client.post("/oai", data=params) if post else client.get("/oai", query_string=params)
        )
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        root = etree.fromstring(response.data, NO_NET)
        assert schema.validate(root), (schema.error_log, response.data[:3000])
        return root

    return ask


def error_code(root) -> str | None:
    error = root.find(OAI + "error")
    return None if error is None else error.get("code")


def harvest(oai, verb: str = "ListRecords", **params: str) -> tuple[list, list]:
    """Follow resumption tokens to the end: (records or headers, tokens seen)."""
    items, tokens = [], []
    root = oai(verb=verb, **params)
    while True:
        if error_code(root):
            return items, tokens + [error_code(root)]
        container = root.find(OAI + verb)
        items += list(container.iter(OAI + ("record" if verb == "ListRecords" else "header")))
        token = container.find(OAI + "resumptionToken")
        if token is None or not (token.text or "").strip():
            if token is not None:
                tokens.append(dict(token.attrib))
            return items, tokens
        tokens.append(dict(token.attrib))
        root = oai(verb=verb, resumptionToken=token.text)


def identifier(record_id: int) -> str:
    return f"oai:{DOMAIN}:{record_id}"


def header_id(element) -> int:
    header = element if element.tag == OAI + "header" else element.find(OAI + "header")
    return int(header.findtext(OAI + "identifier").rsplit(":", 1)[1])


# -- Identify, formats, sets ----------------------------------------------------------------


def test_identify_describes_the_repository(oai, shared_fund):
    root = oai(verb="Identify")
    identify = root.find(OAI + "Identify")
    assert identify.findtext(OAI + "baseURL") == "https://fonds.example.org/oai"
    assert identify.findtext(OAI + "protocolVersion") == "2.0"
    assert identify.findtext(OAI + "deletedRecord") == "persistent"
    assert identify.findtext(OAI + "granularity") == "YYYY-MM-DDThh:mm:ssZ"
    earliest = min(r.updated_at for r in shared_fund.records)
    assert identify.findtext(OAI + "earliestDatestamp") == earliest
    description = identify.find(
        f"{OAI}description/{{http://www.openarchives.org/OAI/2.0/oai-identifier}}oai-identifier"
    )
    assert description is not None and DOMAIN in etree.tostring(description).decode()
    assert root.find(OAI + "request").get("verb") == "Identify"


def test_list_metadata_formats_offers_oai_dc_and_marcxml(oai, shared_fund):
    root = oai(verb="ListMetadataFormats")
    prefixes = [e.text for e in root.iter(OAI + "metadataPrefix")]
    assert prefixes == ["oai_dc", "marcxml"]
    root = oai(verb="ListMetadataFormats", identifier=identifier(shared_fund.live[0].id))
    assert [e.text for e in root.iter(OAI + "metadataPrefix")] == ["oai_dc", "marcxml"]


def test_list_sets_lists_thematics_and_document_types(oai):
    root = oai(verb="ListSets")
    specs = [e.text for e in root.iter(OAI + "setSpec")]
    assert {
        "theme",
        "theme:evaluation",
        "theme:reussite-educative",
        "type",
        "type:rapport",
        "type:texte-officiel",
    } <= set(specs)
    names = dict(zip(specs, [e.text for e in root.iter(OAI + "setName")], strict=True))
    assert names["theme:sante"] == "Santé" and names["type:memoire"] == "Mémoire / thèse"


# -- GetRecord --------------------------------------------------------------------------------


def test_get_record_in_oai_dc_and_in_marcxml(oai, shared_fund):
    record = shared_fund.live[0]
    root = oai(verb="GetRecord", identifier=identifier(record.id), metadataPrefix="oai_dc")
    found = root.find(f"{OAI}GetRecord/{OAI}record")
    assert found.findtext(f"{OAI}header/{OAI}datestamp") == record.updated_at
    specs = [e.text for e in found.iter(OAI + "setSpec")]
    assert specs == ["theme:mediation-sociale", "theme:jeunesse", "type:etude"]
    assert found.find(f".//{DC}title").text == f"{record.title} : {record.subtitle}"
    assert [c.text for c in found.iter(DC + "creator")] == [a.name for a in record.authors]
    root = oai(
        post=True, verb="GetRecord", identifier=identifier(record.id), metadataPrefix="marcxml"
    )
    marc = root.find(f".//{MARC}record")
    assert marc.find(f"{MARC}datafield[@tag='245']/{MARC}subfield[@code='a']").text == record.title
    assert marc.find(f"{MARC}leader").text[9] == "a"  # MARC 21 in UTF-8


def test_a_deleted_record_is_a_header_with_status_deleted(oai, shared_fund):
    deleted = next(r for r in shared_fund.records if r.deleted)
    root = oai(verb="GetRecord", identifier=identifier(deleted.id), metadataPrefix="oai_dc")
    record = root.find(f"{OAI}GetRecord/{OAI}record")
    assert record.find(OAI + "header").get("status") == "deleted"
    assert record.find(OAI + "metadata") is None


# -- harvests ---------------------------------------------------------------------------------


def test_a_full_harvest_through_resumption_tokens_returns_each_record_exactly_once(
    oai, shared_fund
):
    records, tokens = harvest(oai, metadataPrefix="oai_dc")
    ids = [header_id(r) for r in records]
    assert sorted(ids) == sorted(r.id for r in shared_fund.records)  # deleted one included, once
    assert len(ids) == len(set(ids)) == 14
    assert [t["cursor"] for t in tokens] == ["0", "3", "6", "9", "12"]
    assert all(t["completeListSize"] == "14" for t in tokens)
    assert "expirationDate" in tokens[0] and "expirationDate" not in tokens[-1]
    deleted = [r for r in records if r.find(OAI + "header").get("status") == "deleted"]
    assert [header_id(r) for r in deleted] == [r.id for r in shared_fund.records if r.deleted]
    datestamps = [r.findtext(f"{OAI}header/{OAI}datestamp") for r in records]
    assert datestamps == sorted(datestamps)


def test_list_identifiers_of_a_set(oai, shared_fund):
    headers, _ = harvest(oai, "ListIdentifiers", metadataPrefix="marcxml", set="theme:logement")
    expected = {r.id for r in shared_fund.records if "logement" in r.theme_slugs}
    assert {header_id(h) for h in headers} == expected and len(expected) == 3
    headers, _ = harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", set="type:revue")
    assert [header_id(h) for h in headers] == [
        r.id for r in shared_fund.records if r.doc_type == "revue"
    ]
    headers, _ = harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", set="theme")
    assert len(headers) == sum(1 for r in shared_fund.records if r.themes)


def test_from_and_until_at_second_and_day_granularity(oai, shared_fund):
    may = {r.id for r in shared_fund.records if r.updated_at.startswith("2013-05")}
    headers, _ = harvest(
        oai,
        "ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": "2013-05-01", "until": "2013-05-31"},
    )
    assert {header_id(h) for h in headers} == may and len(may) >= 5
    headers, _ = harvest(
        oai,
        "ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": "2013-05-12T09:00:00Z", "until": "2013-05-13T09:00:00Z"},
    )
    stamps = sorted(
        r.updated_at
        for r in shared_fund.records
        if "2013-05-12T09:00:00Z" <= r.updated_at <= "2013-05-13T09:00:00Z"
    )
    assert len(headers) == len(stamps) == 2  # both ends are inclusive


def test_an_incremental_harvest_returns_the_edited_and_the_deleted_records(oai, shared_fund):
    """GIVEN a harvester that harvested everything
    WHEN a record is edited, another deleted, and a copy of a third lent
    THEN a harvest from the last harvest's date returns the edited and the deleted, not the lent."""
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    last_harvest = "2024-01-01T00:00:00Z"
    assert first.findtext(OAI + "responseDate") > last_harvest
    edited, gone, lent = shared_fund.live[1], shared_fund.live[2], shared_fund.live[0]
    with shared_fund.catalogue() as catalogue:
        catalogue.save(
            replace(edited, title="Cultura y cohesión social (2ª edición)"),
            now="2024-02-01T10:00:00Z",
        )
        catalogue.delete(gone.id, now="2024-02-02T10:00:00Z")
        loans = Loans(catalogue)
        borrower = loans.add_borrower("Emprunteuse, Test")
        from datetime import date

        loans.check_out(
            lent.copies[0].barcode, borrower.id, today=date(2024, 2, 3), now="2024-02-03T10:00:00Z"
        )
    records, _ = harvest(oai, metadataPrefix="oai_dc", **{"from": last_harvest})
    assert [header_id(r) for r in records] == [edited.id, gone.id]
    assert (
        records[0].find(f".//{DC}title").text
        == "Cultura y cohesión social (2ª edición) : Memorias del seminario regional"
    )
    assert records[1].find(OAI + "header").get("status") == "deleted"
    assert records[0].findtext(f"{OAI}header/{OAI}datestamp") == "2024-02-01T10:00:00Z"


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "set": "theme"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "oai:fonds.example.org:1"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2013-13-45"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2013-01-01",
                "until": "2013-12-31T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2014-01-01",
                "until": "2013-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "theme::x"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "abc.def"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "abc.def"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "identifier": "oai:fonds.example.org:1", "metadataPrefix": "dc"},
            "cannotDisseminateFormat",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:fonds.example.org:99999",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "identifier": "oai:autre.org:1", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "12"}, "idDoesNotExist"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2000-01-01"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "theme:inconnue"},
            "noRecordsMatch",
        ),
    ],
)
def test_every_error_is_reported_inside_a_valid_response(oai, params, code):
    root = oai(**params)
    assert error_code(root) == code
    echoed = root.find(OAI + "request").attrib
    if code in ("badVerb", "badArgument"):
        assert dict(echoed) == {}  # a request not understood is not echoed
    else:
        assert echoed.get("verb") == params["verb"]


def test_no_metadata_formats_for_a_deleted_record(oai, shared_fund):
    deleted = next(r for r in shared_fund.records if r.deleted)
    assert (
        error_code(oai(verb="ListMetadataFormats", identifier=identifier(deleted.id)))
        == "noMetadataFormats"
    )


def test_no_set_hierarchy_when_sets_are_switched_off(app, client, schema):
    app.config["OAI_SETS"] = False
    for params in (
        {"verb": "ListSets"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "theme"},
    ):
        root = etree.fromstring(client.get("/oai", query_string=params).data, NO_NET)
        assert schema.validate(root) and error_code(root) == "noSetHierarchy"


def test_a_token_expires_and_cannot_be_forged_nor_reused_for_another_verb(oai, monkeypatch):
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    token = root.find(f"{OAI}ListRecords/{OAI}resumptionToken").text
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    payload, signature = token.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    assert error_code(oai(verb="ListRecords", resumptionToken=forged)) == "badResumptionToken"
    assert error_code(oai(verb="ListRecords", resumptionToken=token)) is None
    later = time.time() + 601
    monkeypatch.setattr("webapp.sharing.oai._clock", lambda: later)
    expired = oai(verb="ListRecords", resumptionToken=token)
    assert error_code(expired) == "badResumptionToken" and "expiré" in expired.findtext(
        OAI + "error"
    )


def test_post_is_answered_like_get(oai):
    assert (
        oai(post=True, verb="ListIdentifiers", metadataPrefix="oai_dc").find(
            OAI + "ListIdentifiers"
        )
        is not None
    )
