"""The dashboard's activity by period: consultations counted by the record page, a date
range, summaries first and tables folded, the missing desk contact flagged."""

from __future__ import annotations

import html

from lxml import html as lxml_html

from .actions import paper_record, text


def test_record_pages_are_counted_and_the_period_is_chosen_on_the_dashboard(app, logged_in):
    record_id = paper_record(app, "Guide de la médiation", "CRPV0001")
    public = app.test_client()
    for _ in range(3):
        assert public.get(f"/notice/{record_id}").status_code == 200
    page = html.unescape(text(logged_in.get("/admin/statistiques/")))
    assert "Activité du 01/04/2012 au 04/03/2013" in page
    tree = lxml_html.fromstring(page)
    figures = [li.text_content().strip() for li in tree.cssselect("#h-periode ~ ul li")]
    assert "3 consultations de notices" in figures and "0 prêt" in figures
    assert tree.cssselect("details summary") and not tree.cssselect("details[open]")
    assert "LOAN_DESK_CONTACT" in page  # not configured in the tests
    earlier = html.unescape(
        text(
            logged_in.get(
                "/admin/statistiques/", query_string={"du": "2012-01-01", "au": "2012-12-31"}
            )
        )
    )
    assert (
        "Activité du 01/01/2012 au 31/12/2012" in earlier
        and '<span class="big-number">0</span> consultation de notice' in earlier
    )
    wrong = html.unescape(text(logged_in.get("/admin/statistiques/?du=hier")))
    assert "Dates au format AAAA-MM-JJ" in wrong
