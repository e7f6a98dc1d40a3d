import pytest

from tests.factories import make_user


@pytest.mark.parametrize("url", ["/", "/ledgers/themeday/", "/ledgers/themeday/new/", "/accounts/password/"])
def test_every_page_sends_anonymous_visitors_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_login_page_is_in_chinese(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page
    assert "用户名" in page and "密码" in page


def test_a_user_logs_in_and_lands_on_the_dashboard(client, cast):
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_in_chinese(client, cast):
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_logout_is_a_post_that_ends_the_session(login, cast):
    client = login(cast.clerk_a)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_every_page_offers_password_change_and_a_logout_form(login, cast):
    page = login(cast.clerk_a).get("/").content.decode()
    assert 'href="/accounts/password/"' in page
    assert 'method="post" action="/accounts/logout/"' in page


def test_a_user_changes_their_password(client, db):
    user = make_user("changer")
    client.force_login(user)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "Hello-world-2023", "new_password2": "Hello-world-2023"},
    )
    assert "旧密码不正确" in wrong.content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": "pw-for-tests-1", "new_password1": "Hello-world-2023", "new_password2": "Hello-world-2023"},
    )
    assert response["Location"] == "/accounts/password/done/"
    user.refresh_from_db()
    assert user.check_password("Hello-world-2023")
    assert "密码已修改" in client.get("/accounts/password/done/").content.decode()
