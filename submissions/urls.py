from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("", views.submission_list, name="list"),
    path("<int:unit_id>/<str:code>/", views.submission_detail, name="detail"),
    path("<int:unit_id>/<str:code>/flags/", views.flag_check, name="flag_check"),
    path("<int:unit_id>/<str:code>/<str:action>/", views.submission_move, name="move"),
]
