"""An upload waiting for its confirmation belongs to its uploader: nobody else, not a city admin, not a superuser,
can confirm it, retry it or spend it, even seeing it in 导入记录."""

import pytest

from activities.models import OnlineLesson
from tests.factories import make_user
from tests.importing.test_admin import PAGE, check, confirm_url, lessons, sheet_check
from youthwork.models import ImportUpload
from youthwork.roles import ADMIN

pytestmark = pytest.mark.django_db

SHEET_ADMIN = "/admin/activities/onlinelesson/"


@pytest.fixture
def other_admins(cast):
    """Another city admin and a superuser, who both see the city admin's imports in 导入记录."""
    return [make_user("city_admin_2", cast.city, ADMIN), cast.superuser]


def test_another_admin_can_neither_confirm_nor_spend_a_sheet_import(cast, login, other_admins):
    url = confirm_url(sheet_check(login(cast.city_admin), SHEET_ADMIN, "甲区.xlsx", lessons(2)))
    assert ImportUpload.objects.get().user == cast.city_admin
    for other in other_admins:
        assert login(other).post(url).status_code == 403
        assert not OnlineLesson.objects.exists()
    response = login(cast.city_admin).post(url, follow=True)
    assert "<td>网上团队课</td><td>2</td>" in response.content.decode()
    assert OnlineLesson.objects.count() == 2


def test_another_admin_cannot_confirm_a_workbook_upload(cast, login, other_admins):
    url = confirm_url(check(login(cast.city_admin), "甲区.xlsx", lessons(1)))
    for other in other_admins:
        client = login(other)
        page = client.get(url.removesuffix("confirm/")).content.decode()
        assert "甲区.xlsx" in page and "/confirm/" not in page  # they see it, without the button
        assert client.post(url).status_code == 403
    assert not OnlineLesson.objects.exists()
    assert ImportUpload.objects.get().stage == "check"  # still the uploader's to confirm


def test_an_upload_has_no_change_history_or_delete_page(cast, login, other_admins):
    check(login(cast.city_admin), "乙区.xlsx", lessons(1))
    stored = ImportUpload.objects.get()
    for user in [cast.city_admin, *other_admins]:
        client = login(user)
        for url in (f"{PAGE}{stored.pk}/change/", f"{PAGE}{stored.pk}/history/", f"{PAGE}{stored.pk}/delete/"):
            assert client.get(url).status_code == 404, (user, url)
        assert stored.token not in client.get(PAGE).content.decode()
