"""Activity by period: loans, returns, new records, consultations and downloads, per month
and per thematic; the counts of consultations keep nothing but numbers."""

from __future__ import annotations

from datetime import date

from library import Catalogue, Copy, Record, Support, ThemeSource
from library.loans import Loans
from library.models import ThemeAssignment
from library.statistics import activity, count_view


def test_activity_counts_each_measure_per_month_and_per_thematic(instance):
    with Catalogue.in_instance(instance) as cat:
        record = cat.add(
            Record(
                title="Guide",
                support=Support.PAPIER,
                copies=(Copy("CRPV0001"),),
                themes=(ThemeAssignment("habitat", ThemeSource.MANUAL),),
            )
        )
        other = cat.add(Record(title="Rapport", support=Support.PAPIER))
        desk = Loans(cat)
        marie = desk.add_borrower("Marie Joseph")
        desk.check_out("CRPV0001", marie.id, today=date(2013, 1, 10))
        desk.check_in("CRPV0001", today=date(2013, 2, 3))
        desk.check_out("CRPV0001", marie.id, today=date(2013, 3, 1))
        for day in (date(2013, 1, 5), date(2013, 1, 5), date(2013, 3, 2)):
            assert count_view(cat.conn, record.id, "consultation", day)
        count_view(cat.conn, other.id, "telechargement", date(2013, 2, 20))
        count_view(cat.conn, record.id, "consultation", date(2012, 12, 31))  # outside

        seen = activity(cat.conn, date(2013, 1, 1), date(2013, 3, 4))
        assert seen.months == ["2013-01", "2013-02", "2013-03"]
        assert seen.per_month["prets"] == {"2013-01": 1, "2013-03": 1}
        assert seen.per_month["retours"] == {"2013-02": 1}
        assert seen.per_month["consultations"] == {"2013-01": 2, "2013-03": 1}
        assert seen.total("telechargements") == 1 and seen.total("consultations") == 3
        assert seen.per_theme["prets"] == {"habitat": 2}
        assert seen.per_theme["consultations"] == {"habitat": 3}
        assert seen.per_theme["telechargements"] == {}  # the other record has no thematic
        columns = {row[1] for row in cat.conn.execute("PRAGMA table_info(record_views)")}
        assert columns == {"day", "record_id", "kind", "n"}  # numbers only, nobody's trace
