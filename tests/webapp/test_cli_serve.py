"""`fonds serve`: a real server process answering searches, its heap settled at start."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from library import Catalogue, Record

REPO = Path(__file__).resolve().parents[2]
FONDS = str(Path(sys.executable).with_name("fonds"))  # the command the project installs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_searches_from_the_first_request(tmp_path) -> None:
    root = tmp_path / "instance"
    with Catalogue.in_instance(root) as catalogue:
        catalogue.add(Record(title="Le décrochage scolaire en Martinique", language="fr"))
        catalogue.add(Record(title="Les jardins partagés", language="fr"))
    port = _free_port()
    with subprocess.Popen(
        [FONDS, "--instance", str(root), "serve", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            greeting = server.stdout.readline()  # written once the index is open and warmed
            assert greeting.startswith(f"Fonds est servi sur http://localhost:{port}/"), (
                greeting + server.stderr.read()
            )
            url = f"http://127.0.0.1:{port}/api/search?q=d%C3%A9crochage"
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        data = json.load(response)
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the server never answered"
                    time.sleep(0.1)
            assert data["total"] == 1
            assert data["hits"][0]["title"] == "Le décrochage scolaire en Martinique"
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_the_heap_loaded_at_start_is_kept_out_of_full_collections() -> None:
    code = (
        "import gc; from webapp.cli.serve import settle_heap, YOUNG_COLLECTION_EVERY;"
        "kept = [[i] for i in range(1000)]; settle_heap();"
        "print(gc.get_freeze_count() >= 1000, gc.get_threshold()[0] == YOUNG_COLLECTION_EVERY)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"]
