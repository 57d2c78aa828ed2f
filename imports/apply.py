"""Confirming an import: check again against the database as it is now, then write it all
in one transaction, or nothing.

The ImportBatch row, whose file SHA-256 is unique, is inserted first: a second
confirmation of the same file (a double click, two tabs, two officials) fails on that
insert, waiting on PostgreSQL for the first to finish, and writes nothing.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import page_cache
from evaluation.certificates import legacy_certificate, standing_fields
from evaluation.models import Certificate, Rulebook
from imports.access import ImportScope
from imports.models import ImportBatch
from imports.validation import OPTIONAL_PRODUCER_FIELDS, PRODUCER_FIELDS, Plan, validate
from registry.models import Producer, Product

BATCH = 500


class AlreadyImported(Exception):
    def __init__(self, batch):
        super().__init__(f"already imported as batch {batch.pk}")
        self.batch = batch


class ImportConflict(Exception):
    """Another change to the registry collided with this import while it was written
    (the same registration number, certificate number or product address)."""


class PlanChanged(Exception):
    """The rows no longer pass, or would now do something else than the preview showed."""

    def __init__(self, plan: Plan):
        super().__init__("the import no longer matches its preview")
        self.plan = plan


def previous_import(sha256: str):
    return ImportBatch.objects.select_related("user").filter(sha256=sha256).first()


def confirm(
    raw_rows,
    *,
    scope: ImportScope,
    user,
    file_name: str,
    sha256: str,
    expected_fingerprint: str | None = None,
) -> ImportBatch:
    """Write the rows; raises AlreadyImported, PlanChanged or ImportConflict and then
    writes nothing."""
    if (batch := previous_import(sha256)) is not None:
        raise AlreadyImported(batch)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                user=user, file_name=file_name[:255], sha256=sha256, row_count=len(raw_rows)
            )
            plan = validate(raw_rows, scope, lock=True)
            if not plan.is_clean or (
                expected_fingerprint is not None and plan.fingerprint != expected_fingerprint
            ):
                raise PlanChanged(plan)
            summary = write(plan, user)
            counts = plan.counts
            batch.producers_created = counts["producers_created"]
            batch.producers_updated = counts["producers_updated"]
            batch.products_created = counts["products_created"]
            batch.certificates_created = counts["certificates_created"]
            batch.summary = {"user": user.get_username(), **counts, **summary}
            batch.save()
    except IntegrityError as exc:
        batch = previous_import(sha256)
        if batch is not None:
            raise AlreadyImported(batch) from None
        raise ImportConflict(str(exc)) from exc
    return batch


def write(plan: Plan, user) -> dict:
    """Create and update what the plan says. Runs inside confirm()'s transaction.

    Products are saved one by one (Product.save gives the slug and the search text);
    new producers, certificates with their history rows, and the products' links to
    their certificates are written in bulk.
    """
    producers: dict[str, Producer] = {}
    new_producers, updated = [], []
    for row in plan.rows:
        if row.producer_action == "create":
            # NULL, not blank, when the list gives no number (the model's constraint).
            producer = Producer(registration_number=row.registration_number or None)
            _set_producer(producer, row.merged_producer)
            new_producers.append(producer)
        elif row.producer_action == "update":
            producer = row.producer
            _set_producer(producer, row.merged_producer)
            if row.registration_number and not producer.registration_number:
                producer.registration_number = row.registration_number
            producer.save()  # the registry's signal re-indexes its products' search text
            updated.append(
                {
                    "registration_number": row.registration_number or producer.name,
                    "changes": {c["field"]: [c["old"], c["new"]] for c in row.changes},
                }
            )
        elif row.producer_action == "unchanged":
            producer = row.producer
        else:  # "same": carried by an earlier row of the file
            continue
        producers[row.producer_key] = producer
    Producer.objects.bulk_create(new_producers, batch_size=BATCH)
    # SQLite (3.35+) and PostgreSQL return the new ids, which a producer without a
    # registration number could not be found again by.

    products, certificates = [], []
    now = timezone.now()
    rulebooks = list(Rulebook.objects.all())
    for row in plan.rows:
        if row.product_action == "unchanged":
            continue
        producer = producers[row.producer_key]
        if row.product_action == "create":
            product = Product(
                producer=producer,
                name=row.product_name,
                product_set=row.product_set,
                stars=row.stars,
            )
            product.save()  # gives the slug and the search text
        else:  # "certify": an existing product without a certificate
            product = row.product
            product.producer, product.stars = producer, row.stars
        product.updated_at = now
        certificate = legacy_certificate(
            product,
            issued_on=row.issued_on,
            number=row.certificate_number,
            level=row.level,
            unit=row.certificate_unit,
            rulebooks=rulebooks,
        )
        _as_written(certificate, row)
        certificate.created_by = user
        products.append(product)
        certificates.append(certificate)
    # With their history rows, "changed by" the importing official.
    certificates = bulk_create_with_history(
        certificates, Certificate, batch_size=BATCH, default_user=user
    )
    for product, certificate in zip(products, certificates, strict=True):
        for field, value in standing_fields(certificate).items():
            setattr(product, field, value)
    Product.objects.bulk_update(
        products, ["stars", "certified_until", "updated_at"], batch_size=BATCH
    )
    page_cache.changed()  # bulk writes send no signals
    return {
        "producers": {
            "created": [p.registration_number or p.name for p in new_producers],
            "updated": updated,
        },
        "product_ids": [p.pk for p in products],
        "certificate_numbers": [c.number for c in certificates],
    }


def _as_written(certificate, row):
    """What the list said and nothing more: a year or month of issue stays one, and the
    recognition decision's number is kept as written."""
    certificate.issued_precision = row.issued_precision
    certificate.decision_reference = row.decision_number


def _set_producer(producer: Producer, values: dict):
    for key in PRODUCER_FIELDS:
        value = values.get(key)
        if key in OPTIONAL_PRODUCER_FIELDS and value in (None, "") and producer.pk:
            continue  # blank in the file keeps what the registry has
        if value is None and key not in ("commune", "district"):
            value = ""  # a text field the list left blank (no representative)
        setattr(producer, key, value)
