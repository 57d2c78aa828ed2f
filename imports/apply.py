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
from evaluation.certificates import legacy_certificate, standing_fields, sync_standing
from evaluation.models import Certificate, Rulebook
from imports.access import ImportScope
from imports.models import BatchStatus, ImportBatch
from imports.validation import OPTIONAL_PRODUCER_FIELDS, PRODUCER_FIELDS, Plan, validate
from registry import search
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
    """The batch that imported (or is importing) this file; a failed or undone one does
    not count: that file may be imported again."""
    return (
        ImportBatch.objects.select_related("user")
        .filter(sha256=sha256)
        .exclude(status__in=[BatchStatus.FAILED, BatchStatus.UNDONE])
        .first()
    )


def confirm(
    raw_rows,
    *,
    scope: ImportScope,
    user,
    file_name: str,
    sha256: str,
    expected_fingerprint: str | None = None,
    partial: bool = False,
) -> ImportBatch:
    """Write the rows; raises AlreadyImported, PlanChanged or ImportConflict and then
    writes nothing. With `partial`, the rows that pass are written and the others held on
    the batch (imports.batches), instead of nothing being written while one row fails."""
    if (batch := previous_import(sha256)) is not None:
        raise AlreadyImported(batch)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                user=user,
                file_name=file_name[:255],
                sha256=sha256,
                row_count=len(raw_rows),
                partial=partial,
            )
            write_batch(batch, raw_rows, scope, user, expected_fingerprint)
    except IntegrityError as exc:
        batch = previous_import(sha256)
        if batch is not None:
            raise AlreadyImported(batch) from None
        raise ImportConflict(str(exc)) from exc
    return batch


def write_batch(batch, raw_rows, scope, user, expected_fingerprint, progress=None):
    """Check the rows again as `scope` and write them on `batch`, inside the caller's
    transaction; raises PlanChanged. The background job (imports.tasks) calls this too."""
    from imports.batches import passing_plan, record

    plan = validate(raw_rows, scope, lock=True)
    if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
        raise PlanChanged(plan)
    if batch.partial:
        plan, held = passing_plan(plan, raw_rows, scope)
    else:
        held = []
    if not plan.is_clean:
        raise PlanChanged(plan)
    summary = write(plan, user, progress=progress)
    record(batch, plan, held, summary, user)


def write(plan: Plan, user, progress=None) -> dict:
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
            if producer.commune is None and row.place is not None:
                # The place as the list wrote it, for the office completing the commune.
                producer.address = row.place.written[:255]
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
    history, with_history = [], {}  # certificates of a product's history; their products
    made = {}  # (registration number, product name) -> the product a row created
    now = timezone.now()
    rulebooks = list(Rulebook.objects.all())
    certified = []  # existing products given a certificate: their standing before
    for done, row in enumerate(plan.rows, 1):
        if progress is not None and done % 100 == 0:
            progress(done)
        if row.product_action == "unchanged":
            continue
        producer = producers[row.producer_key]
        key = (row.producer_key, search.normalise(row.product_name))
        if row.product_action == "history":
            product = row.product or made.get(key)
            if product is not None:
                certificate = legacy_certificate(
                    product,
                    issued_on=row.issued_on,
                    number=row.certificate_number,
                    level=row.level,
                    unit=row.certificate_unit,
                    stars=row.stars,
                    rulebooks=rulebooks,
                )
                _as_written(certificate, row)
                certificate.created_by = user
                history.append(certificate)
                with_history[product.pk] = product
                continue
            # The row that created the product was not imported: this one creates it.
        if row.product_action in ("create", "history"):
            product = Product(
                producer=producer,
                name=row.product_name,
                product_set=row.product_set,
                stars=row.stars,
            )
            product.save()  # gives the slug and the search text
            made[key] = product
        else:  # "certify": an existing product without a certificate
            product = row.product
            certified.append(product.pk)
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
    history = bulk_create_with_history(history, Certificate, batch_size=BATCH, default_user=user)
    record_history(list(with_history.values()), user)
    page_cache.changed()  # bulk writes send no signals
    certified_ids = set(certified)
    return {
        "producers": {
            "created": [p.registration_number or p.name for p in new_producers],
            "updated": updated,
        },
        "product_ids": [p.pk for p in products],
        "certificate_numbers": [c.number for c in certificates + history],
        # What undo (imports.batches.undo) takes away or puts back.
        "created_ids": {
            "producer_ids": [p.pk for p in new_producers],
            "product_ids": [p.pk for p in products if p.pk not in certified_ids],
            # A product given earlier or later certificates as its history (record_history)
            # gets its standing recomputed as a certified one does.
            "certified_product_ids": certified + [p.pk for p in with_history.values()],
            "certificate_ids": [c.pk for c in certificates + history],
            "producer_changes": [
                [row.producer.pk, [c["raw"] for c in row.changes]]
                for row in plan.rows
                if row.producer_action == "update"
            ],
        },
    }


def record_history(products, user) -> None:
    """Each product's certificates, not revoked, in the order they were issued: each is
    superseded by the next, the last stands (the rule `evaluation.certificates.issue`
    follows, applied to certificates that arrive out of order from old lists). Every
    changed link is saved with its history row, by the importing official; the product's
    stars and validity follow its standing certificate (`sync_standing`)."""
    if not products:
        return
    certificates = (
        Certificate.objects.select_for_update()
        .filter(product__in=products, revoked_on__isnull=True)
        .order_by("product_id", "issued_on", "pk")
    )
    chains: dict[int, list] = {}
    for certificate in certificates:
        chains.setdefault(certificate.product_id, []).append(certificate)
    changed = []
    for chain in chains.values():
        for certificate, successor in zip(chain, [*chain[1:], None], strict=True):
            wanted = successor.pk if successor is not None else None
            if certificate.superseded_by_id != wanted:
                certificate.superseded_by_id = wanted
                changed.append(certificate)
    # Cleared first: "superseded by" is one-to-one, and a link moving from one certificate
    # to another would briefly be held by both.
    Certificate.objects.filter(pk__in=[c.pk for c in changed]).update(superseded_by=None)
    for certificate in changed:
        certificate._history_user = user
        certificate.save(update_fields=["superseded_by"])
    for product in products:
        sync_standing(product)


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
        if value is None and key not in ("commune", "province", "district"):
            value = ""  # a text field the list left blank (no representative)
        setattr(producer, key, value)
    if producer.commune_id is not None:
        producer.province = None  # kept only while the commune is to be completed
