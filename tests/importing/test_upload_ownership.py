"""An uploaded workbook waiting for its confirmation belongs to its uploader: nobody else, not a city
admin, not a superuser, can see it, confirm it or spend it, even holding its token."""

import re

import pytest

from activities.models import OnlineLesson
from tests.factories import make_user
from tests.importing.test_admin import PAGE, lessons, token_of, upload
from youthwork.models import ImportUpload
from youthwork.roles import ADMIN

pytestmark = pytest.mark.django_db

SHEET_ADMIN = "/admin/activities/onlinelesson/"


@pytest.fixture
def other_admins(cast):
    """Another city admin and a superuser, each of whom might have learnt the token."""
    return [make_user("city_admin_2", cast.city, ADMIN), cast.superuser]


def sheet_confirmation(client) -> dict:
    page = client.post(
        f"{SHEET_ADMIN}import/", {"import_file": upload("甲区.xlsx", lessons(2)), "format": "0"}
    ).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))


def test_another_admin_holding_a_sheet_import_token_can_neither_import_nor_spend_it(cast, login, other_admins):
    confirm = sheet_confirmation(login(cast.city_admin))
    assert ImportUpload.objects.get(token=confirm["import_file_name"]).user == cast.city_admin
    for other in other_admins:
        response = login(other).post(f"{SHEET_ADMIN}process_import/", confirm, follow=True)
        assert "上传的文件已过期,请重新上传" in response.content.decode()
        assert not OnlineLesson.objects.exists()
    response = login(cast.city_admin).post(f"{SHEET_ADMIN}process_import/", confirm, follow=True)
    assert "导入完成。网上团队课: 新增 2" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_another_admin_holding_a_workbook_token_cannot_confirm_it(cast, login, other_admins):
    token = token_of(login(cast.city_admin).post(PAGE, {"workbook": upload("甲区.xlsx", lessons(1))}))
    for other in other_admins:
        response = login(other).post(PAGE, {"token": token}, follow=True)
        assert "上传的工作簿已导入或已过期,请重新上传" in response.content.decode()
    assert not OnlineLesson.objects.exists()
    assert ImportUpload.objects.filter(token=token).exists()  # still the uploader's to confirm


def test_an_upload_has_no_admin_page_that_shows_it_to_its_uploader_or_anyone_else(cast, login, other_admins):
    sheet_confirmation(login(cast.city_admin))
    token_of(login(cast.city_admin).post(PAGE, {"workbook": upload("乙区.xlsx", lessons(1))}))
    assert ImportUpload.objects.count() == 2  # one per-sheet upload, one workbook upload
    for stored in ImportUpload.objects.all():
        for user in [cast.city_admin, *other_admins]:
            client = login(user)
            for page in ("change", "history", "delete"):
                response = client.get(f"{PAGE}{stored.pk}/{page}/")
                assert response.status_code == 404, (user, page)
            listing = client.get(PAGE).content.decode()
            assert stored.token not in listing and "乙区.xlsx" not in listing
