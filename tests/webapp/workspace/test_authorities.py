"""The workspace's authorities (/admin/autorites/): a documentalist lists, edits, renames,
merges and deletes persons, organisations, publishers and collections; every record follows,
the public search and its author facet show the preferred form, a variant still finds."""

from __future__ import annotations

from flask import Flask

from library import Author, Catalogue, Series, audit
from library.authorities import Authorities, AuthorityKind

from .actions import csrf, paper_record, post, search_ids, text


def authority_id(app: Flask, kind: AuthorityKind, name: str) -> int:
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        found = [a for a in Authorities(cat.conn).search(kind) if a.name == name]
    assert len(found) == 1, name
    return found[0].id


def author_names(app: Flask, record_id: int) -> list[str]:
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        return [a.name for a in cat.get(record_id).authors]


def audit_actions(app: Flask) -> list[tuple[str, str]]:
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        entries, _ = audit.entries(cat, target_type="authority")
    return [(e.action, e.summary) for e in entries]


def author_facet(app: Flask, q: str) -> list[tuple[str, int]]:
    from indexer.search import SearchRequest
    from webapp import services

    with app.test_request_context():
        page = services.get_finder().search(SearchRequest(q=q, per_page=10))
    return [(f.value, f.count) for f in page.facets.get("author", ())]


def test_logged_out_nobody_sees_or_changes_authorities(app, client):
    record = paper_record(app, "Kaz", authors=(Author("Daniel, Justin"),))
    justin = authority_id(app, AuthorityKind.PERSON, "Daniel, Justin")
    for url in ("/admin/autorites/", f"/admin/autorites/{justin}", "/admin/autorites/suggestions"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/connexion" in response.location
    response = client.post(
        f"/admin/autorites/{justin}",
        data={"name": "Pirate", "csrf_token": csrf(client)},
    )
    assert response.status_code == 403
    assert author_names(app, record) == ["Daniel, Justin"]


def test_a_write_without_its_csrf_token_is_refused(app, logged_in):
    record = paper_record(app, "Kaz", authors=(Author("Daniel, Justin"),))
    justin = authority_id(app, AuthorityKind.PERSON, "Daniel, Justin")
    response = logged_in.post(f"/admin/autorites/{justin}", data={"name": "Pirate"})
    assert response.status_code == 400
    assert author_names(app, record) == ["Daniel, Justin"]


def test_the_list_filters_by_kind_and_finds_a_variant(app, logged_in):
    paper_record(
        app,
        "Kaz",
        authors=(Author("Daniel, Justin"),),
        publisher="Ibis Rouge",
        series=(Series("Espace outre-mer", "3"),),
    )
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        Authorities(cat.conn).create(AuthorityKind.PERSON, "Dupont, Marie", variants=["Maryse"])
    page = text(logged_in.get("/admin/autorites/?type=person"))
    assert "Daniel, Justin" in page and "Dupont, Marie" in page and "Ibis Rouge" not in page
    page = text(logged_in.get("/admin/autorites/?type=collection"))
    assert "Espace outre-mer" in page and "Daniel, Justin" not in page
    page = text(logged_in.get("/admin/autorites/?q=maryse"))
    assert "Dupont, Marie" in page and "Daniel, Justin" not in page


def test_rename_changes_every_record_the_search_and_the_facet(app, logged_in):
    one = paper_record(app, "Kaz créole", authors=(Author("Daniel, Justin"),))
    two = paper_record(app, "Ville créole", authors=(Author("Daniel, Justin"),))
    justin = authority_id(app, AuthorityKind.PERSON, "Daniel, Justin")
    page = text(logged_in.get(f"/admin/autorites/{justin}"))
    assert "Kaz créole" in page and "Ville créole" in page

    response = post(
        logged_in,
        f"/admin/autorites/{justin}",
        {"name": "Daniel-Rosier, Justin", "variants": "", "dates": "1961-", "note": ""},
    )

    assert response.status_code == 302
    assert author_names(app, one) == author_names(app, two) == ["Daniel-Rosier, Justin"]
    assert "2 notice(s) mise(s) à jour" in text(logged_in.get(response.location))
    assert sorted(search_ids(app, "Rosier")) == [one, two]
    assert sorted(search_ids(app, "créole")) == [one, two]
    assert author_facet(app, "créole") == [("Daniel-Rosier, Justin", 2)]
    # the old form stays as a variant: a search on it still finds the records
    assert sorted(search_ids(app, '"Justin Daniel"')) == [one, two]
    assert audit_actions(app)[0][0] == "authority.rename"


def test_merge_moves_the_records_is_audited_and_a_variant_finds_them(app, logged_in):
    one = paper_record(app, "Kaz créole", authors=(Author("Daniel, Justin"),))
    two = paper_record(app, "Ville créole", authors=(Author("DANIEL, J."),))
    assert sorted(f for f, _ in author_facet(app, "créole")) == ["DANIEL, J.", "Daniel, Justin"]
    short = authority_id(app, AuthorityKind.PERSON, "DANIEL, J.")
    justin = authority_id(app, AuthorityKind.PERSON, "Daniel, Justin")

    response = post(logged_in, f"/admin/autorites/{short}/fusionner", {"cible": "Daniel, Justin"})

    assert response.status_code == 302 and response.location.endswith(f"/{justin}")
    assert author_names(app, two) == ["Daniel, Justin"]
    assert author_facet(app, "créole") == [("Daniel, Justin", 2)]
    action, summary = audit_actions(app)[0]
    assert action == "authority.merge" and "DANIEL, J." in summary and "Daniel, Justin" in summary
    page = text(logged_in.get(f"/admin/autorites/{justin}"))
    assert "DANIEL, J." in page  # now a variant
    assert logged_in.get(f"/admin/autorites/{short}").status_code == 404

    # a variant added by hand is searchable at once on every record of the authority
    post(
        logged_in,
        f"/admin/autorites/{justin}",
        {"name": "Daniel, Justin", "variants": "DANIEL, J.\nTijustin", "dates": "", "note": ""},
    )
    assert sorted(search_ids(app, "tijustin")) == [one, two]


def test_refusals_say_why_in_french_and_change_nothing(app, logged_in):
    record = paper_record(app, "Kaz", authors=(Author("Daniel, Justin"), Author("Dupont, Marie")))
    justin = authority_id(app, AuthorityKind.PERSON, "Daniel, Justin")
    marie = authority_id(app, AuthorityKind.PERSON, "Dupont, Marie")

    itself = post(logged_in, f"/admin/autorites/{justin}/fusionner", {"cible": str(justin)})
    assert itself.status_code == 400 and "elle-même" in text(itself)
    unknown = post(logged_in, f"/admin/autorites/{justin}/fusionner", {"cible": "Personne"})
    assert unknown.status_code == 400 and "Aucune autorité « Personne »" in text(unknown)
    used = post(logged_in, f"/admin/autorites/{justin}/supprimer")
    assert used.status_code == 400 and "encore utilisée par 1 notice(s)" in text(used)
    empty = post(logged_in, f"/admin/autorites/{justin}", {"name": " ", "variants": "X"})
    assert empty.status_code == 400 and "La forme retenue est obligatoire" in text(empty)
    taken = post(
        logged_in,
        f"/admin/autorites/{marie}",
        {"name": "Dupont, Marie", "variants": "Dupont, M.\nDANIEL, Justin"},
    )
    assert taken.status_code == 400
    assert "« DANIEL, Justin » désigne déjà" in text(taken) and "fusionnez" in text(taken)

    assert author_names(app, record) == ["Daniel, Justin", "Dupont, Marie"]
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        assert Authorities(cat.conn).get(marie).variants == ()
    assert audit_actions(app) == []


def test_an_unused_authority_is_created_then_deleted(app, logged_in):
    response = post(
        logged_in,
        "/admin/autorites/nouvelle",
        {"type": "publisher", "name": "Presses universitaires des Antilles", "variants": "PUA"},
    )
    assert response.status_code == 302
    pua = authority_id(app, AuthorityKind.PUBLISHER, "Presses universitaires des Antilles")
    assert "PUA" in text(logged_in.get(response.location))
    refused = post(logged_in, "/admin/autorites/nouvelle", {"type": "publisher", "name": "pua"})
    assert refused.status_code == 400 and "désigne déjà" in text(refused)
    assert post(logged_in, f"/admin/autorites/{pua}/supprimer").status_code == 302
    assert logged_in.get(f"/admin/autorites/{pua}").status_code == 404
    assert [a for a, _ in audit_actions(app)] == ["authority.delete", "authority.add"]


def test_suggestions_complete_names_as_json(app, logged_in):
    paper_record(app, "Kaz", authors=(Author("Daniel, Justin"),), publisher="Ibis Rouge")
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        Authorities(cat.conn).create(AuthorityKind.ORGANISATION, "Ville de Fort-de-France")
    found = logged_in.get("/admin/autorites/suggestions?type=auteur&q=dan").get_json()
    assert [s["name"] for s in found["suggestions"]] == ["Daniel, Justin"]
    found = logged_in.get("/admin/autorites/suggestions?type=auteur&q=fort").get_json()
    assert [s["name"] for s in found["suggestions"]] == ["Ville de Fort-de-France"]
    found = logged_in.get("/admin/autorites/suggestions?type=publisher&q=ibis").get_json()
    assert [s["name"] for s in found["suggestions"]] == ["Ibis Rouge"]
    assert logged_in.get("/admin/autorites/suggestions?type=x&q=a").status_code == 400


def test_the_record_form_links_typed_names_and_a_new_name_creates_an_authority(app, logged_in):
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        Authorities(cat.conn).create(
            AuthorityKind.PERSON, "Daniel, Justin", variants=["Daniel, J."]
        )
    form = text(logged_in.get("/admin/notices/nouvelle"))
    assert 'data-autorite="auteur"' in form and "authorities.js" in form
    response = post(
        logged_in,
        "/admin/notices/nouvelle",
        {
            "title": "Les quartiers",
            "support": "electronique",
            "author_name": ["DANIEL, J.", "Nouvelle, Autrice"],
            "author_kind": ["person", "person"],
            "author_role": ["author", "translator"],
            "author_order": ["1", "2"],
            "publisher": "Éditions nouvelles",
            "series_title": ["Collection neuve"],
            "series_number": ["1"],
        },
    )
    assert response.status_code == 302, text(response)
    record_id = int(response.location.rstrip("/").split("/")[-1])
    assert author_names(app, record_id) == ["Daniel, Justin", "Nouvelle, Autrice"]
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        auth = Authorities(cat.conn)
        assert auth.records_using(authority_id(app, AuthorityKind.PERSON, "Nouvelle, Autrice")) == [
            record_id
        ]
        for kind, name in (
            (AuthorityKind.PUBLISHER, "Éditions nouvelles"),
            (AuthorityKind.COLLECTION, "Collection neuve"),
        ):
            assert auth.records_using(authority_id(app, kind, name)) == [record_id]
