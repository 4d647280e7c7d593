"""The catalogue connection a server thread keeps between requests never shows a stale or
half-written catalogue: a replaced catalogue file is read at the next request, and a request
that failed inside a transaction leaves none behind."""

from __future__ import annotations

import os
from dataclasses import replace

from library import Catalogue, Record
from webapp import services

from .fund import make_app


def _title(client, record_id: int) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/records/{record_id}")
    assert response.status_code == 200
    return response.get_json()["title"]


def test_a_replaced_catalogue_file_is_read_at_the_next_request(tmp_path) -> None:
    root, other = tmp_path / "instance", tmp_path / "other"
    with Catalogue.in_instance(root) as catalogue:
        record_id = catalogue.add(Record(title="Avant le remplacement", language="fr")).id
    with Catalogue.in_instance(other) as catalogue:
        catalogue.add(Record(title="Après le remplacement", language="fr"))
    client = make_app(root).test_client()
    assert _title(client, record_id) == "Avant le remplacement"
    for suffix in ("-wal", "-shm"):  # what a restore clears before putting its files in place
        (root / f"catalogue.sqlite3{suffix}").unlink(missing_ok=True)
    os.replace(other / "catalogue.sqlite3", root / "catalogue.sqlite3")
    assert _title(client, record_id) == "Après le remplacement"


def test_a_request_failing_inside_a_transaction_leaves_none_behind(tmp_path) -> None:
    root = tmp_path / "instance"
    with Catalogue.in_instance(root) as catalogue:
        record_id = catalogue.add(Record(title="Titre", language="fr")).id
    app = make_app(root)
    with app.app_context():
        catalogue = services.get_catalogue()
        catalogue.conn.execute("BEGIN IMMEDIATE")  # as code failing before its COMMIT leaves it
        catalogue.save(replace(catalogue.get(record_id), title="À moitié écrit"))
    # the app context ended (teardown): the write was rolled back, the connection is free
    with app.app_context():
        kept = services.get_catalogue()
        assert kept is catalogue  # the same connection, kept
        assert not kept.conn.in_transaction
    assert _title(app.test_client(), record_id) == "Titre"
    with Catalogue.in_instance(root) as other:  # another writer is not locked out
        other.save(replace(other.get(record_id), title="Nouveau titre"))
    assert _title(app.test_client(), record_id) == "Nouveau titre"
