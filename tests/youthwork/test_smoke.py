def test_admin_index_answers_for_a_city_admin(cast, login):
    response = login(cast.city_admin).get("/admin/")
    assert response.status_code == 200
    for area in ("思想引领", "关心关爱", "权益维护"):
        assert area in response.content.decode()
