"""A request reads its user together with the user's unit, and a login made before that still ends cleanly."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_a_page_reads_the_user_and_their_unit_in_one_query(login, cast):
    client = login(cast.clerk_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/password/done/")
    assert response.status_code == 200
    assert cast.clerk_a.unit.name in response.content.decode()  # the user menu names the unit
    sqls = [query["sql"] for query in queries.captured_queries]
    users = [sql for sql in sqls if re.search(r'FROM "youthwork_user"', sql)]
    assert len(users) == 1 and 'JOIN "youthwork_unit"' in users[0]
    assert not [sql for sql in sqls if re.search(r'FROM "youthwork_unit" WHERE "youthwork_unit"\."id" =', sql)]


def test_a_session_from_before_the_unit_reading_backend_asks_to_log_in_again(client, cast):
    client.force_login(cast.clerk_a, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(cast.clerk_a)
    assert client.get("/").status_code == 200
