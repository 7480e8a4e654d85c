"""factory_boy factories for every model the tests build. Reference data (offices, communes,
request types…) comes from the data migration; factories pick from it."""

import datetime as dt

import factory
from django.utils import timezone
from faker import Faker

from accompagnement.models import Appointment, Commune, Office, Person, RequestType
from accompagnement.text import person_search_text
from cai.choices import Role
from cai.models import User

fake = Faker("fr_BE")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_BE")
    last_name = factory.Faker("last_name", locale="fr_BE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.COUNSELLOR
    password = factory.django.Password("motdepasse-de-test-solide")

    @factory.post_generation
    def offices(self, create, extracted, **kwargs):
        if create and extracted:
            for office in extracted:
                office.staff.add(self)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            for commune in extracted:
                commune.agents.add(self)


def office(slug: str) -> Office:
    return Office.objects.get(slug=slug)


def commune(name: str) -> Commune:
    return Commune.objects.get(name=name)


class PersonFactory(factory.django.DjangoModelFactory):
    """A person file. Built directly (tests of services build through the services)."""

    class Meta:
        model = Person

    last_name = factory.Faker("last_name", locale="fr_BE")
    first_name = factory.Faker("first_name", locale="fr_BE")
    birth_date = factory.LazyFunction(lambda: fake.date_of_birth(minimum_age=18, maximum_age=64))
    sex = "F"
    nationality = "SY"
    office = factory.LazyFunction(lambda: office("namur"))
    commune = factory.LazyAttribute(lambda p: p.office.communes.first())
    file_opened_on = factory.LazyFunction(timezone.localdate)
    search_text = factory.LazyAttribute(lambda p: person_search_text(p.first_name, p.last_name))


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(second=0, microsecond=0))
    duration_minutes = 30
    office = factory.LazyAttribute(lambda a: a.person.office)
    counsellor = factory.SubFactory(UserFactory)

    @factory.post_generation
    def request_types(self, create, extracted, **kwargs):
        if create:
            self.request_types.set(extracted or [RequestType.objects.get(code="parcours")])


def aware(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())
