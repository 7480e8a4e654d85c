from django.urls import path

from .views import agenda, appointments, offices, people

app_name = "accompagnement"

urlpatterns = [
    # offices
    path("bureaux/", offices.OfficeListView.as_view(), name="office_list"),
    path("bureaux/<slug:slug>/", offices.OfficeDetailView.as_view(), name="office_detail"),
    # people
    path("personnes/", people.PersonListView.as_view(), name="person_list"),
    path("personnes/recherche/", people.PersonSearchView.as_view(), name="person_search"),
    path("personnes/nouvelle/", people.PersonCreateView.as_view(), name="person_create"),
    path("personnes/<int:pk>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("personnes/<int:pk>/modifier/", people.PersonUpdateView.as_view(), name="person_update"),
    path(
        "personnes/acces-exceptionnel/",
        people.AccessOverrideCreateView.as_view(),
        name="access_override_create",
    ),
    # appointments
    path("rendez-vous/", appointments.AppointmentListView.as_view(), name="appointment_list"),
    path("rendez-vous/nouveau/", appointments.AppointmentCreateView.as_view(), name="appointment_create"),
    path("rendez-vous/<int:pk>/", appointments.AppointmentDetailView.as_view(), name="appointment_detail"),
    path(
        "rendez-vous/<int:pk>/modifier/",
        appointments.AppointmentUpdateView.as_view(),
        name="appointment_update",
    ),
    path(
        "rendez-vous/<int:pk>/supprimer/",
        appointments.AppointmentDeleteView.as_view(),
        name="appointment_delete",
    ),
    # agenda (Ma journée, ICS)
    path("ma-journee/", agenda.MyDayView.as_view(), name="my_day"),
    path("agenda/nouveau-lien/", agenda.CalendarTokenRotateView.as_view(), name="calendar_token_rotate"),
    path("agenda/<str:token>.ics", agenda.calendar_feed, name="calendar_feed"),
]
