"""factory_boy factories of the partner network, for tests that need many rows (query budgets, lists).
Tests of behaviour build through the services."""

import datetime as dt

import factory
from django.utils import timezone

from plateformes.models import (
    AwarenessAction,
    FollowUpAction,
    GovernanceMeeting,
    Group,
    GroupMember,
    Interpellation,
    Meeting,
    MeetingAttendee,
    Offer,
    Operator,
    OperatorContact,
    StaffMember,
    SupportAction,
)
from tests.factories import UserFactory


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Opérateur {n:03d}")
    kind = "association"
    phone = "081 00 00 00"
    email = factory.Sequence(lambda n: f"operateur{n}@example.org")

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)


class OperatorContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorContact

    operator = factory.SubFactory(OperatorFactory)
    name = factory.Faker("name", locale="fr_BE")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    operator = factory.SubFactory(OperatorFactory)
    kind = "francais"
    title = factory.Sequence(lambda n: f"Cours de français {n:03d}")
    level = "A1"

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)


class SupportActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportAction

    operator = factory.SubFactory(OperatorFactory)
    date = factory.LazyFunction(timezone.localdate)
    kind = "conseil"
    topic = "Dossier de subvention"
    staff = factory.SubFactory(UserFactory, role="coordinator")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    kind = "groupe_travail"
    name = factory.Sequence(lambda n: f"GT de test {n:03d}")


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember

    group = factory.SubFactory(GroupFactory)
    operator = factory.SubFactory(OperatorFactory)
    name = factory.Faker("name", locale="fr_BE")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    place = "Rue de Fer 42, Namur"


class MeetingAttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendee

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Faker("name", locale="fr_BE")
    operator = factory.SubFactory(OperatorFactory)
    is_guest = True


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Action de suivi {n}")


class AwarenessActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwarenessAction

    kind = "conference"
    title = factory.Sequence(lambda n: f"Conférence {n}")
    date = factory.LazyFunction(timezone.localdate)


class InterpellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interpellation

    kind = "carte_blanche"
    level = "region"
    date = factory.LazyFunction(timezone.localdate)
    title = factory.Sequence(lambda n: f"Carte blanche {n}")


class GovernanceMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceMeeting

    kind = "ca"
    date = factory.Sequence(lambda n: dt.date(2024, 1, 1) + dt.timedelta(days=n))


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    name = factory.Faker("name", locale="fr_BE")
    team = "premiere_ligne"
    function = "Accompagnateur·rice interculturel·le"
    user = factory.SubFactory(UserFactory)
