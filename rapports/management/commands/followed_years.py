"""Check or rebuild the people followed per year that PostgreSQL keeps ready for the report
(``rapports.followed``)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min
from django.utils import timezone

from accompagnement.models import Appointment
from rapports import followed, selectors
from rapports.models import FollowedYear


def years_with_activity() -> list[int]:
    """Every year from the first to the last one with an appointment or a ready row, and this year."""
    bounds = FollowedYear.objects.aggregate(first=Min("year"), last=Max("year"))
    moments = Appointment.objects.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    years = {timezone.localdate().year}
    years.update(year for year in bounds.values() if year)
    years.update(timezone.localtime(moment).year for moment in moments.values() if moment)
    return list(range(min(years), max(years) + 1))


class Command(BaseCommand):
    help = (
        "Compare les personnes suivies par année, tenues à jour par PostgreSQL pour le rapport, avec la "
        "définition calculée sur les données (--check), ou les recalcule toutes (--rebuild)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="comparer avec la définition")
        parser.add_argument("--rebuild", action="store_true", help="tout recalculer")
        parser.add_argument("--year", type=int, action="append", help="année à comparer (répétable)")

    def handle(self, *args, check=False, rebuild=False, year=None, **options):
        if not followed.is_maintained():
            self.stdout.write(
                "Base SQLite : le rapport calcule les personnes suivies directement, rien à vérifier."
            )
            return
        if not (check or rebuild):
            raise CommandError("Indiquez --check ou --rebuild.")
        if rebuild:
            followed.rebuild()
            self.stdout.write(f"Recalculé : {FollowedYear.objects.count()} lignes (personne, année).")
        if check:
            years = year or years_with_activity()
            differences = selectors.ready_rows_differences(years)
            for line in differences:
                self.stderr.write(str(line))
            if differences:
                raise CommandError(
                    f"{len(differences)} écart(s) : lancez « manage.py followed_years --rebuild »."
                )
            self.stdout.write(f"Conforme à la définition pour {years[0]}–{years[-1]}.")
