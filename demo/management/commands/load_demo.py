import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from core import maintenance
from demo import registry_data as demo

DEMO_PASSWORD = "ocop-demo-2026"  # printed by `make run`; demo databases only


class Command(BaseCommand):
    help = (
        "Build the demo Hanoi: reference data, named OCOP producers and products, "
        "generated products and demo logins. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products", type=int, default=300, help="How many generated products (default 300)."
        )

    def handle(self, *args, products, **options):
        started = time.monotonic()
        call_command("load_product_sets", stdout=self.stdout)
        call_command("load_units", stdout=self.stdout)
        # Certificates of the demo products take their term from the rulebook of their day.
        call_command("load_rulebooks", stdout=self.stdout)
        data = demo.demo_data()
        named = demo.build_named(data)
        generated = demo.build_generated(data, products, progress=self._progress)
        demo.build_sales_points(data)
        maintenance.analyze()
        self._users()
        self.stdout.write(
            f"Demo data: {named.producers_created + generated.producers_created} producers and "
            f"{named.products_created + generated.products_created} products created "
            f"in {time.monotonic() - started:.1f}s."
        )

    def _progress(self, done, total):
        self.stdout.write(f"  generated products: {done:,}/{total:,}")

    def _users(self):
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.com"},
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
