from django.urls import path

from .views import groups, operators, records, support

app_name = "plateformes"

urlpatterns = [
    # operators and their offer
    path("reseau/operateurs/", operators.OperatorListView.as_view(), name="operator_list"),
    path("reseau/operateurs/nouveau/", operators.OperatorCreateView.as_view(), name="operator_create"),
    path("reseau/operateurs/<int:pk>/", operators.OperatorDetailView.as_view(), name="operator_detail"),
    path(
        "reseau/operateurs/<int:pk>/modifier/", operators.OperatorUpdateView.as_view(), name="operator_update"
    ),
    path(
        "reseau/operateurs/<int:pk>/desactiver/",
        operators.OperatorActiveView.as_view(active=False),
        name="operator_deactivate",
    ),
    path(
        "reseau/operateurs/<int:pk>/reactiver/",
        operators.OperatorActiveView.as_view(active=True),
        name="operator_reactivate",
    ),
    path(
        "reseau/operateurs/<int:pk>/offres/nouvelle/",
        operators.OfferCreateView.as_view(),
        name="offer_create",
    ),
    path("reseau/offres/<int:pk>/modifier/", operators.OfferUpdateView.as_view(), name="offer_update"),
    path("reseau/offre/", operators.OfferSearchView.as_view(), name="offer_search"),
    path("reseau/offre/export/<str:fmt>/", operators.OfferExportView.as_view(), name="offer_export"),
    # support actions
    path("reseau/soutien/", support.SupportActionListView.as_view(), name="support_action_list"),
    path("reseau/soutien/nouvelle/", support.SupportActionCreateView.as_view(), name="support_action_create"),
    path(
        "reseau/soutien/<int:pk>/modifier/",
        support.SupportActionUpdateView.as_view(),
        name="support_action_update",
    ),
    # groups, members, meetings
    path("reseau/groupes/", groups.GroupListView.as_view(), name="group_list"),
    path("reseau/groupes/nouveau/", groups.GroupCreateView.as_view(), name="group_create"),
    path("reseau/groupes/<int:pk>/", groups.GroupDetailView.as_view(), name="group_detail"),
    path("reseau/groupes/<int:pk>/modifier/", groups.GroupUpdateView.as_view(), name="group_update"),
    path("reseau/groupes/<int:pk>/membres/", groups.GroupMemberAddView.as_view(), name="group_member_add"),
    path(
        "reseau/groupes/<int:pk>/membres/<int:member_pk>/retirer/",
        groups.GroupMemberRemoveView.as_view(),
        name="group_member_remove",
    ),
    path(
        "reseau/groupes/<int:pk>/reunions/nouvelle/",
        groups.MeetingCreateView.as_view(),
        name="meeting_create",
    ),
    path("reseau/reunions/", groups.MeetingCalendarView.as_view(), name="meeting_calendar"),
    path("reseau/reunions/<int:pk>/", groups.MeetingDetailView.as_view(), name="meeting_detail"),
    path("reseau/reunions/<int:pk>/modifier/", groups.MeetingUpdateView.as_view(), name="meeting_update"),
    path("reseau/suivis/<int:pk>/fait/", groups.FollowUpToggleView.as_view(), name="follow_up_toggle"),
    # awareness actions, interpellations, governance
    path("reseau/sensibilisation/", records.AwarenessActionListView.as_view(), name="awareness_action_list"),
    path(
        "reseau/sensibilisation/nouvelle/",
        records.AwarenessActionFormView.as_view(),
        name="awareness_action_create",
    ),
    path(
        "reseau/sensibilisation/<int:pk>/modifier/",
        records.AwarenessActionFormView.as_view(),
        name="awareness_action_update",
    ),
    path("reseau/interpellations/", records.InterpellationListView.as_view(), name="interpellation_list"),
    path(
        "reseau/interpellations/nouvelle/",
        records.InterpellationFormView.as_view(),
        name="interpellation_create",
    ),
    path(
        "reseau/interpellations/<int:pk>/modifier/",
        records.InterpellationFormView.as_view(),
        name="interpellation_update",
    ),
    path("reseau/instances/", records.GovernanceMeetingListView.as_view(), name="governance_meeting_list"),
    path(
        "reseau/instances/nouvelle/",
        records.GovernanceMeetingFormView.as_view(),
        name="governance_meeting_create",
    ),
    path(
        "reseau/instances/<int:pk>/modifier/",
        records.GovernanceMeetingFormView.as_view(),
        name="governance_meeting_update",
    ),
    # team and glossary
    path("reseau/equipe/", records.StaffMemberListView.as_view(), name="staff_member_list"),
    path("reseau/equipe/nouveau/", records.StaffMemberFormView.as_view(), name="staff_member_create"),
    path(
        "reseau/equipe/<int:pk>/modifier/", records.StaffMemberFormView.as_view(), name="staff_member_update"
    ),
    path("reseau/sigles/", records.AcronymListView.as_view(), name="acronym_list"),
    path("reseau/sigles/nouveau/", records.AcronymFormView.as_view(), name="acronym_create"),
    path("reseau/sigles/<int:pk>/modifier/", records.AcronymFormView.as_view(), name="acronym_update"),
]
