from django.core.management.base import BaseCommand

from registry.reference_data import all_units, load_units


class Command(BaseCommand):
    help = (
        "Load the 34 provinces and their communes (vietnam-provinces package) and "
        "the 696 districts and 10,035 communes of the 63 provinces of before July 2025 "
        "(registry/data/units_before_2025.json). Safe to run again."
    )

    def handle(self, *args, **options):
        result = load_units(all_units())
        self.stdout.write(
            f"Administrative units: {result['total']} in the source, "
            f"{result['created']} created, {result['updated']} updated."
        )
