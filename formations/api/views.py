"""The trainings API: thin viewsets over the selectors (reads) and the services (writes).

Coordinators, the director and administrators read and write; counsellors and commune agents get 403
on every endpoint (whatever the id: the answer reveals nothing); no credentials, 401. Nothing is
deleted: a training leaves the catalogue (``active``), a session is cancelled, a registration too.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from cai.api_auth import ApiViewMixin, service_errors

from .. import selectors, services
from ..filters import RegistrationFilter, TrainingFilter, TrainingSessionFilter
from .serializers import (
    AttendanceSerializer,
    RegistrationSerializer,
    SessionCancelSerializer,
    SessionPostponeSerializer,
    TrainingSerializer,
    TrainingSessionSerializer,
)


class ManagesTrainingsPermission(BasePermission):
    message = _("Les formations sont réservées à la coordination, à la direction et à l'administration.")

    def has_permission(self, request, view):
        return selectors.manages_trainings(request.user)


class TrainingsViewSetMixin(ApiViewMixin):
    permission_classes = [IsAuthenticated, ManagesTrainingsPermission]
    filter_backends = [DjangoFilterBackend]

    def reload(self, pk):
        """The written object read back through the selector (annotations and prefetches included)."""
        return get_object_or_404(self.get_queryset(), pk=pk)


@extend_schema(
    description=_(
        "Catalogue des formations pour les professionnel·le·s, et formations à la demande d'une organisation "
        "(`on_request_for`, opérateur du répertoire, ou `on_request_for_name`). Pas de suppression : "
        "retirez une formation du catalogue avec `active`."
    )
)
class TrainingViewSet(
    TrainingsViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter

    def get_queryset(self):
        return selectors.training_queryset(user=self.request.user).order_by("title", "id")

    def perform_create(self, serializer):
        with service_errors():
            training = services.training_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.reload(training.pk)

    def perform_update(self, serializer):
        with service_errors():
            training = services.training_update(
                actor=self.request.user, training=serializer.instance, **serializer.validated_data
            )
        serializer.instance = self.reload(training.pk)


@extend_schema(
    description=_(
        "Sessions de formation avec leurs formateur·rice·s, places prises, liste d'attente et présences. "
        "L'état change par les actions `hold`, `postpone` et `cancel`. `trainers` donné à la modification "
        "remplace la liste."
    )
)
class TrainingSessionViewSet(
    TrainingsViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TrainingSessionSerializer
    filterset_class = TrainingSessionFilter

    def get_queryset(self):
        return selectors.session_queryset(user=self.request.user).order_by("-starts_at", "-id")

    def perform_create(self, serializer):
        with service_errors():
            session = services.session_create(actor=self.request.user, **serializer.service_kwargs())
        serializer.instance = self.reload(session.pk)

    def perform_update(self, serializer):
        with service_errors():
            session = services.session_update(
                actor=self.request.user, session=serializer.instance, **serializer.service_kwargs()
            )
        serializer.instance = self.reload(session.pk)

    def _respond(self, session):
        return Response(self.get_serializer(self.reload(session.pk)).data)

    @extend_schema(
        summary=_("Noter la session tenue"), request=None, responses=TrainingSessionSerializer, filters=False
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def hold(self, request, pk=None):
        with service_errors():
            session = services.session_hold(actor=request.user, session=self.get_object())
        return self._respond(session)

    @extend_schema(
        summary=_("Reporter la session"),
        request=SessionPostponeSerializer,
        responses=TrainingSessionSerializer,
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def postpone(self, request, pk=None):
        session = self.get_object()
        data = SessionPostponeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            session = services.session_postpone(
                actor=request.user, session=session, new_date=data.validated_data["new_date"]
            )
        return self._respond(session)

    @extend_schema(
        summary=_("Annuler la session (motif obligatoire)"),
        request=SessionCancelSerializer,
        responses=TrainingSessionSerializer,
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        session = self.get_object()
        data = SessionCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            session = services.session_cancel(
                actor=request.user, session=session, reason=data.validated_data.get("reason", "")
            )
        return self._respond(session)


@extend_schema(
    description=_(
        "Inscriptions des professionnel·le·s aux sessions. Une session complète place l'inscription en liste "
        "d'attente (`status` : `attente`) ; une même adresse e-mail ne s'inscrit qu'une fois par session. "
        "Désinscription par l'action `cancel`, présence par l'action `attendance`."
    )
)
class RegistrationViewSet(
    TrainingsViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self):
        return selectors.registration_queryset(user=self.request.user).order_by("session_id", "name", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        session = get_object_or_404(
            selectors.session_queryset(user=self.request.user), pk=data.pop("session").pk
        )
        with service_errors():
            registration = services.registration_add(actor=self.request.user, session=session, **data)
        serializer.instance = self.reload(registration.pk)

    @extend_schema(
        summary=_("Annuler l'inscription"), request=None, responses=RegistrationSerializer, filters=False
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        with service_errors():
            services.registration_cancel(actor=request.user, registration=self.get_object())
        return Response(self.get_serializer(self.reload(pk)).data)

    @extend_schema(
        summary=_("Noter la présence"),
        request=AttendanceSerializer,
        responses=RegistrationSerializer,
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def attendance(self, request, pk=None):
        registration = self.get_object()
        data = AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.registration_set_attendance(
                actor=request.user, registration=registration, attended=data.validated_data["attended"]
            )
        return Response(self.get_serializer(self.reload(registration.pk)).data)
