"""A paper record and its electronic version linked as one work: each page points to the other,
so a reader finds the PDF when the paper copy is out."""

from __future__ import annotations

from datetime import date

from library import Catalogue, Copy, Record, Support
from library.loans import Loans
from library.store import FileStore
from webapp import create_app


def test_the_paper_record_on_loan_points_to_the_pdf_available_now(instance, tmp_path):
    # GIVEN a paper report whose only copy is on loan, and its PDF, linked as one work
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(b"%PDF-1.4 rapport")
    with Catalogue.in_instance(instance) as catalogue:
        paper = catalogue.add(
            Record(
                title="Diagnostic du quartier Dillon",
                support=Support.PAPIER,
                year=2010,
                copies=(Copy("CRPV0901", "307 DIA", "Salle de lecture"),),
            )  # fmt: skip
        )
        source = FileStore(instance / "files").put(
            pdf, "a" * 64, original_name="rapport.pdf", media_type="application/pdf"
        )
        catalogue.add_file(source)
        online = catalogue.add(
            Record(title="Diagnostic du quartier Dillon", year=2010, file=source)
        )
        catalogue.link_work([paper.id, online.id])
        desk = Loans(catalogue)
        desk.check_out("CRPV0901", desk.add_borrower("Paul Lafontaine").id, today=date.today())
    client = create_app({"TESTING": True}, instance_path=instance).test_client()

    # WHEN a reader opens the paper record
    page = client.get(f"/notice/{paper.id}").get_data(as_text=True)
    # THEN it says the copy is out and the electronic version can be read now
    assert "En prêt" in page
    assert "Autres versions de ce document" in page
    assert f'href="/notice/{online.id}">Version électronique</a>' in page
    assert "disponible en ligne maintenant" in page

    # AND the electronic record tells when the paper copy comes back
    page = client.get(f"/notice/{online.id}").get_data(as_text=True)
    assert f'href="/notice/{paper.id}">Version papier</a>' in page
    assert "en prêt" in page and "retour prévu le" in page


def test_a_record_alone_shows_no_other_version(instance):
    with Catalogue.in_instance(instance) as catalogue:
        record = catalogue.add(Record(title="Guide de la médiation sociale", year=2007))
    client = create_app({"TESTING": True}, instance_path=instance).test_client()
    assert "Autres versions" not in client.get(f"/notice/{record.id}").get_data(as_text=True)


def test_the_site_has_an_icon(instance):
    client = create_app({"TESTING": True}, instance_path=instance).test_client()
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
