from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from youthwork import job_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("submissions/", include("submissions.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("jobs/<int:pk>/", job_views.file_job, name="file_job"),
    path("jobs/<int:pk>/progress/", job_views.file_job_progress, name="file_job_progress"),
    path("jobs/<int:pk>/retry/", job_views.file_job_retry, name="file_job_retry"),
    path("jobs/<int:pk>/file/", job_views.file_job_download, name="file_job_file"),
    path("", include("youthwork.portal.urls")),
]

handler400 = "youthwork.errors.bad_request"
