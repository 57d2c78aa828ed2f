from django.core.management.base import BaseCommand

from registry.reference_data import current_units, former_hanoi_districts, load_units


class Command(BaseCommand):
    help = (
        "Load the 34 provinces and their communes (vietnam-provinces package) and "
        "Hanoi's 30 districts of before July 2025. Safe to run again."
    )

    def handle(self, *args, **options):
        result = load_units(current_units() + former_hanoi_districts())
        self.stdout.write(
            f"Administrative units: {result['total']} in the source, "
            f"{result['created']} created, {result['updated']} updated."
        )
