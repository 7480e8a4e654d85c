"""``manage.py load_demo``: the demo year and one account per role (see ``accompagnement.demo``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accompagnement.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = _(
        "Charge une année de démonstration (personnes, rendez-vous, comptes par rôle) et affiche les comptes. "
        "Idempotent : si les données de démonstration existent déjà, seuls les comptes sont réaffichés."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=1000, help=_("Nombre de personnes (défaut : 1000).")
        )
        parser.add_argument("--seed", type=int, default=2026, help=_("Graine du hasard (défaut : 2026)."))
        parser.add_argument(
            "--year", type=int, default=None, help=_("Année des rendez-vous (défaut : l'année en cours).")
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Supprime les personnes et rendez-vous de démonstration, puis recharge."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Autorise le chargement avec les réglages de production (comptes au mot de passe connu)."),
        )

    def handle(self, *args, people, seed, year, reset, force, **options):
        current_year = timezone.localdate().year
        if not 1 <= people <= 100_000:
            raise CommandError(_("--people : indiquez un nombre de personnes entre 1 et 100 000."))
        if year is not None and not 2000 <= year <= current_year:
            raise CommandError(
                _("--year : indiquez une année entre 2000 et %(year)s.") % {"year": current_year}
            )
        if settings.SETTINGS_MODULE.endswith(".production") and not force:
            raise CommandError(
                _(
                    "Refusé : ces réglages sont ceux de la production, et la démonstration crée des comptes au mot "
                    "de passe connu. Ajoutez --force si cette instance ne sert qu'à la démonstration."
                )
            )
        try:
            report = load_demo(people=people, seed=seed, year=year, reset=reset)
        except ProtectedError as error:
            raise CommandError(
                _(
                    "Impossible de supprimer les données de démonstration : d'autres enregistrements y sont liés (%(n)s)."
                )
                % {"n": len(error.protected_objects)}
            ) from error

        if report.created:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Année de démonstration %(year)s : %(people)s personnes (%(countries)s nationalités), "
                        "%(appointments)s rendez-vous, en %(seconds)s s."
                    )
                    % {
                        "year": year or current_year,
                        "people": report.people,
                        "countries": report.nationalities,
                        "appointments": report.appointments,
                        "seconds": f"{report.seconds:.1f}".replace(".", ","),
                    }
                )
            )
            for line in report.extensions:
                self.stdout.write(self.style.SUCCESS(line))
        else:
            self.stdout.write(
                _(
                    "Les données de démonstration sont déjà chargées : rien n'a été ajouté "
                    "(--reset pour les reconstruire). Comptes :"
                )
            )
        self.print_accounts(report.accounts)

    def print_accounts(self, accounts):
        header = [_("Identifiant"), _("Mot de passe"), _("Rôle"), _("Bureau / commune"), _("Code de secours")]
        rows = [[a.username, DEMO_PASSWORD, str(a.role), a.scope, a.recovery_code] for a in accounts]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

        def line(cells):
            return "  ".join(
                str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("")
        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(
            _(
                "Connexion : identifiant et mot de passe, puis le code de secours comme second facteur. Chaque code "
                "de secours est à usage unique ; relancez « manage.py load_demo » pour en obtenir un nouveau."
            )
        )
        self.stdout.write(
            self.style.WARNING(
                _(
                    "ATTENTION : identifiants de démonstration, connus de tous. Ne les utilisez jamais pour de vraies "
                    "données ni en production."
                )
            )
        )
