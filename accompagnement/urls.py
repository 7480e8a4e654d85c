from django.urls import path

from .views import offices

app_name = "accompagnement"

urlpatterns = [
    # offices
    path("bureaux/", offices.OfficeListView.as_view(), name="office_list"),
    path("bureaux/<slug:slug>/", offices.OfficeDetailView.as_view(), name="office_detail"),
    # people
    # appointments
    # agenda (Ma journée, ICS)
]
