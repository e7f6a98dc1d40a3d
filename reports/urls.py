from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("draft/", views.report_draft, name="draft"),
    path("draft/download/<str:fmt>/", views.report_draft_download, name="draft_download"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/finalise/", views.report_finalise, name="finalise"),
    path("<int:pk>/reopen/", views.report_reopen, name="reopen"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="download"),
]
