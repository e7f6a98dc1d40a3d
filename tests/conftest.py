import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from tests.factories import Cast


class LoginCheckedClient(Client):
    """Django's test client whose login() passes the request, as the login page does.

    The login lockout (django-axes) checks every authenticate() call against the address and user name of its
    request and refuses calls without one; Client.login() sends none unless given.
    """

    def login(self, **credentials):
        credentials.setdefault("request", RequestFactory().post("/accounts/login/"))
        return super().login(**credentials)


@pytest.fixture
def client():
    return LoginCheckedClient()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing with the production hasher costs ~0.3 s a user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_process_cache():
    # What a process keeps in its own memory (settings.CACHES["local"]) starts empty for each test, as after a
    # restart: its keys name the data they were drawn from, but a test should not lean on another's drawing.
    caches["local"].clear()


@pytest.fixture
def cast(db):
    """A city with districts A and B and a user of each role (see tests.factories.Cast)."""
    return Cast()


@pytest.fixture
def login(client):
    """Log the test client in as a user: login(cast.clerk_a) -> client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
