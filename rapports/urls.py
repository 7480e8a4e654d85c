from django.urls import path

from . import views

app_name = "rapports"

urlpatterns = [
    path("rapport/", views.ReportHomeView.as_view(), name="report_home"),
    path("rapport/tableau-de-bord/", views.DashboardView.as_view(), name="dashboard"),
    path("rapport/generations/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("rapport/generations/<int:pk>/pdf/", views.JobFileView.as_view(kind="pdf"), name="job_pdf"),
    path("rapport/generations/<int:pk>/xlsx/", views.JobFileView.as_view(kind="xlsx"), name="job_xlsx"),
    path("rapport/generations/<int:pk>/csv/", views.JobCsvView.as_view(), name="job_csv"),
    path("rapport/textes/", views.NarrativeHomeView.as_view(), name="narrative_home"),
    path("rapport/textes/<int:year>/", views.NarrativeIndexView.as_view(), name="narrative_index"),
    path(
        "rapport/textes/<int:year>/<str:section>/", views.NarrativeEditView.as_view(), name="narrative_edit"
    ),
]
