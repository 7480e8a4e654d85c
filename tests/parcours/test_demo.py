import pytest
from django.core.management import call_command

from parcours.choices import ComponentKind, ComponentState, PathStatus
from parcours.models import CollectiveSession, Duo, Path
from parcours.services import path_missing_components

pytestmark = pytest.mark.django_db


def test_demo_year_opens_paths_with_progress_sessions_and_duos():
    call_command("load_demo", people=80, seed=3, verbosity=0)
    paths = Path.objects.prefetch_related("components")
    assert paths.count() > 20
    assert paths.filter(status=PathStatus.OBLIGED).exists()
    assert CollectiveSession.objects.filter(kind="sidd").exists()
    assert Duo.objects.exists()
    delivered = [p for p in paths if p.attestation_delivered_on]
    assert delivered, "some demo paths are complete"
    for path in delivered:
        assert path_missing_components(path) == []
        assert path.components.get(kind=ComponentKind.EVALUATIONS).state == ComponentState.DONE
