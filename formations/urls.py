from django.urls import path

from .views import programme, registrations, sessions, trainings

app_name = "formations"

urlpatterns = [
    # The catalogue
    path("formations/", trainings.TrainingListView.as_view(), name="training_list"),
    path("formations/nouvelle/", trainings.TrainingCreateView.as_view(), name="training_create"),
    path("formations/<int:pk>/", trainings.TrainingDetailView.as_view(), name="training_detail"),
    path("formations/<int:pk>/modifier/", trainings.TrainingUpdateView.as_view(), name="training_update"),
    path(
        "formations/<int:pk>/sessions/nouvelle/", sessions.SessionCreateView.as_view(), name="session_create"
    ),
    # Sessions, their trainers and status
    path("formations/sessions/", sessions.SessionListView.as_view(), name="session_list"),
    path("formations/sessions/<int:pk>/", sessions.SessionDetailView.as_view(), name="session_detail"),
    path(
        "formations/sessions/<int:pk>/modifier/", sessions.SessionUpdateView.as_view(), name="session_update"
    ),
    path("formations/sessions/<int:pk>/tenue/", sessions.SessionHoldView.as_view(), name="session_hold"),
    path(
        "formations/sessions/<int:pk>/report/",
        sessions.SessionPostponeView.as_view(),
        name="session_postpone",
    ),
    path(
        "formations/sessions/<int:pk>/annulation/",
        sessions.SessionCancelView.as_view(),
        name="session_cancel",
    ),
    path("formations/sessions/<int:pk>/formateurs/", sessions.TrainerAddView.as_view(), name="trainer_add"),
    path(
        "formations/sessions/<int:pk>/formateurs/<int:trainer_pk>/retirer/",
        sessions.TrainerRemoveView.as_view(),
        name="trainer_remove",
    ),
    # Registrations and attendance
    path(
        "formations/sessions/<int:pk>/inscriptions/",
        registrations.RegistrationAddView.as_view(),
        name="registration_add",
    ),
    path(
        "formations/inscriptions/<int:pk>/annuler/",
        registrations.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
    path(
        "formations/inscriptions/<int:pk>/presence/",
        registrations.RegistrationAttendanceView.as_view(),
        name="registration_attendance",
    ),
    # Next year's programme
    path("formations/programme/", programme.ProgrammeView.as_view(), name="programme"),
    path("formations/programme/pdf/", programme.ProgrammePdfView.as_view(), name="programme_pdf"),
]
