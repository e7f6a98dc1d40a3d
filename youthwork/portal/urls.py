from django.urls import path

from youthwork.portal import dashboard, views

app_name = "portal"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("ledgers/<slug:slug>/", views.ledger_list, name="ledger_list"),
    path("ledgers/<slug:slug>/new/", views.ledger_create, name="ledger_create"),
    path("ledgers/<slug:slug>/<int:pk>/", views.ledger_detail, name="ledger_detail"),
    path("ledgers/<slug:slug>/<int:pk>/edit/", views.ledger_edit, name="ledger_edit"),
    path("ledgers/<slug:slug>/<int:pk>/delete/", views.ledger_delete, name="ledger_delete"),
]
