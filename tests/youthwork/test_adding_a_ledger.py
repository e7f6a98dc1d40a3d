"""Adding a ledger is one model with its @register line plus a generated migration (README, "Adding a ledger").

tests/extra_ledger is such an app, installed only by tests/settings.py: its 志愿者培训 ledger must reach the
admin, the import and its template, the portal and the roles without any other line written for it.
"""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from openpyxl import load_workbook

from tests.extra_ledger.models import VolunteerTraining
from tests.factories import make_record
from tests.importing.workbooks import run_import, save, xlsx
from youthwork.roles import ADMIN, CLERK, LEADER

pytestmark = pytest.mark.django_db

SHEET = "志愿者培训"
HEADERS = ["填报单位", "日期", "培训主题", "参训人数", "备注"]  # its columns, written out here, not read back


def test_the_new_ledger_has_an_admin_page_listing_only_the_admins_units(cast, login):
    make_record(VolunteerTraining, cast.school_a, topic="甲区志愿者培训", trainees=30)
    make_record(VolunteerTraining, cast.school_b, topic="乙区志愿者培训", trainees=40)
    client = login(cast.admin_a)
    index = client.get("/admin/")
    assert SHEET in index.content.decode()
    page = client.get("/admin/extra_ledger/volunteertraining/")
    assert page.status_code == 200
    assert "甲区志愿者培训" in page.content.decode() and "乙区志愿者培训" not in page.content.decode()


def test_the_blank_template_has_the_new_ledgers_sheet_with_its_columns(db, tmp_path):
    path = tmp_path / "模板.xlsx"
    call_command("export_template", str(path), stdout=StringIO())
    book = load_workbook(path)
    assert book.sheetnames[-1] == SHEET
    assert [cell.value for cell in book[SHEET][1]] == HEADERS


def test_a_workbook_with_the_new_sheet_is_imported_and_a_wrong_count_is_named_by_row_and_column(cast, tmp_path):
    rows = [HEADERS, ["A1S", dt.date(2023, 5, 4), "防溺水志愿者培训", 25, ""]]
    code, out, err = run_import(save(tmp_path, xlsx({SHEET: rows})), "--user", "admin_a")
    assert code == 0, (out, err)
    assert VolunteerTraining.objects.get(topic="防溺水志愿者培训").trainees == 25

    wrong = [HEADERS, ["A1S", dt.date(2023, 5, 5), "安全志愿者培训", "二十", ""]]
    code, out, err = run_import(save(tmp_path, xlsx({SHEET: wrong}), "错.xlsx"), "--user", "admin_a")
    assert code == 1
    assert any(line.startswith(f"工作表 {SHEET} 第2行 参训人数") for line in out + err.splitlines()), (out, err)
    assert not VolunteerTraining.objects.filter(topic="安全志愿者培训").exists()


def test_a_clerk_finds_the_new_ledger_in_the_portal_and_adds_a_record_there(cast, login):
    client = login(cast.clerk_a)
    assert SHEET in client.get("/").content.decode()
    assert client.get("/ledgers/volunteertraining/").status_code == 200
    response = client.post(
        "/ledgers/volunteertraining/new/",
        {"unit": cast.school_a.pk, "date": "2023-05-04", "topic": "心理志愿者培训", "trainees": "12", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert VolunteerTraining.objects.get(topic="心理志愿者培训").created_by == cast.clerk_a


def _granted(role: str) -> set[str]:
    perms = Group.objects.get(name=role).permissions.filter(content_type__app_label="extra_ledger")
    return set(perms.values_list("codename", flat=True))


def test_a_database_migrated_before_the_ledger_existed_gives_the_roles_its_permissions_on_the_next_migrate(db):
    # The database as it was before the ledger: no permissions of it, so no role holds any.
    Permission.objects.filter(content_type__app_label="extra_ledger").delete()
    assert _granted(CLERK) == _granted(ADMIN) == _granted(LEADER) == set()

    call_command("migrate", verbosity=0)

    def codenames(*actions):
        return {f"{action}_volunteertraining" for action in actions}

    assert _granted(CLERK) == codenames("add", "change", "delete_own", "view")
    assert _granted(ADMIN) == codenames("add", "change", "delete", "view", "import", "export")
    assert _granted(LEADER) == codenames("view")


def test_the_roles_and_their_grants_come_back_after_every_flush(transactional_db):
    # flush (between transactional tests, on a scratch database) empties the tables and sends post_migrate
    # like migrate: each time, the roles are made again with their grants.
    for _flush in range(2):
        call_command("flush", interactive=False, verbosity=0)
        assert set(Group.objects.values_list("name", flat=True)) == {CLERK, ADMIN, LEADER}
        assert _granted(LEADER) == {"view_volunteertraining"}
