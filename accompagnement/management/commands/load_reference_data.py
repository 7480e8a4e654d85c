from django.core.management.base import BaseCommand

from accompagnement.reference import load_reference_data


class Command(BaseCommand):
    help = "Charge ou complète les données de référence (communes, bureaux, permanences, types de demande, langues)."

    def handle(self, *args, **options):
        counts = load_reference_data()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
