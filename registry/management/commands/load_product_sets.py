from django.core.management.base import BaseCommand

from registry.reference_data import load_product_sets


class Command(BaseCommand):
    help = "Load the 6 product groups and 26 product sets of Appendix I. Safe to run again."

    def handle(self, *args, **options):
        result = load_product_sets()
        self.stdout.write(f"Product groups and sets: {result['total']}, {result['created']} new.")
