"""A report's preview, Word file and Excel annex share one build of its figures; a final report keeps its own."""

import datetime as dt

from activities.models import ThemeDay
from reports.models import WorkReport
from tests.factories import make_record
from tests.portal.test_figure_cache import captured, reads_a_ledger, reported_league_days
from youthwork.ledgers import all_ledgers


def test_the_preview_word_and_excel_share_one_build_of_the_figures(town, login):
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    client = login(town.city_leader)
    _page, preview = captured(lambda: client.get(f"/reports/{report.pk}/"))
    assert reads_a_ledger(preview)
    _file, download = captured(lambda: client.get(f"/reports/{report.pk}/download/docx/"))
    assert not reads_a_ledger(download)
    # The annex's figures are the cached build too; its 明细 sheets list the records, one plain read a ledger.
    _file, download = captured(lambda: client.get(f"/reports/{report.pk}/download/xlsx/"))
    reads = [sql for sql in download if reads_a_ledger([sql])]
    assert len(reads) == len(all_ledgers())
    assert not any(word in sql.upper() for sql in reads for word in ("COUNT(", "SUM(", "GROUP BY"))


def test_a_final_report_keeps_its_frozen_figures_whatever_the_cache_holds(town, login):
    report = WorkReport.objects.create(unit=town.district_a, period_code="2023Q2")
    client = login(town.city_admin)
    client.get(f"/reports/{report.pk}/")  # the draft's figures are cached
    client.post(f"/reports/{report.pk}/finalise/", {"confirm_unapproved": "1"})
    report.refresh_from_db()
    frozen = report.frozen_figures["activities"]["league_days"]
    client.post(f"/reports/{report.pk}/reopen/")
    make_record(ThemeDay, town.school_a2, dt.date(2023, 6, 2), theme="退回后新增")
    assert reported_league_days(town.district_a) == frozen + 1
    assert report.frozen_figures["activities"]["league_days"] == frozen
