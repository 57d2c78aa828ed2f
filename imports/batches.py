"""What happens to an import batch after its preview (issue 14, points 6 and 8).

- Partial import: the rows that pass are written, the others are held on the batch with
  their messages and download as an XLSX (imports.held) to be fixed and uploaded again.
  The all-or-nothing confirmation stays the default.
- Background writing: a file of more than INLINE_ROWS rows is not written in the request
  (10,000 rows took longer than gunicorn's 30 s): the request records a queued batch with
  the rows as read and a job (imports.tasks.run_import) in the same transaction; the job
  checks the rows again as the official who asked, with that official's scope today, and
  writes them in one transaction. The batch page polls the progress.
- Undo: what a batch created (producers, products, certificates) is removed, the products
  it certified get their standing back, and the producers it changed get back the values
  they had, while nothing else refers to those rows (a dossier, a later certificate…).
"""

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import page_cache
from evaluation.certificates import sync_standing
from evaluation.models import Certificate
from imports.access import import_scope
from imports.apply import AlreadyImported, PlanChanged, previous_import, write_batch
from imports.models import BatchStatus, ImportBatch
from imports.validation import Plan, validate
from registry.models import AdministrativeUnit, Producer, Product

# Files of more rows than this are written by a background job, not in the request.
INLINE_ROWS = 500
# A partial import re-checks the passing rows alone; rows that then fail (a duplicate
# whose twin was held) are held too. This many rounds at most.
ROUNDS = 5


class CannotUndo(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------ partial import
def held_row(row) -> list:
    return [row.line, dict(row.values), [str(e) for e in row.errors]]


def passing_plan(plan: Plan, raw_rows, scope) -> tuple[Plan, list]:
    """The plan of the rows that pass alone, and the held rows [line, values, messages].

    The passing rows are checked again without the others: a producer carried by a held
    row is then carried by the first passing row of that producer, and a row that passed
    only because of a held one fails and is held as well."""
    held = {row.line: held_row(row) for row in plan.rows if row.errors}
    for _round in range(ROUNDS):
        passing = [(line, values) for line, values in raw_rows if line not in held]
        if not passing:
            return Plan(rows=[]), sorted(held.values())
        plan = validate(passing, scope, lock=True)
        newly = [row for row in plan.rows if row.errors]
        if not newly:
            break
        held.update((row.line, held_row(row)) for row in newly)
    return plan, [held[line] for line in sorted(held)]


def record(batch: ImportBatch, plan: Plan, held: list, summary: dict, user):
    """Put what was written and what was held on the batch (inside the writing
    transaction)."""
    counts = plan.counts
    batch.producers_created = counts["producers_created"]
    batch.producers_updated = counts["producers_updated"]
    batch.products_created = counts["products_created"]
    batch.certificates_created = counts["certificates_created"]
    created = summary.pop("created_ids", {})
    batch.summary = {"user": user.get_username(), **counts, **summary}
    batch.created_ids = created
    batch.held_rows = held
    batch.held_count = len(held)
    batch.rows_done = len(plan.rows)
    batch.status = BatchStatus.DONE
    batch.finished_at = timezone.now()
    batch.source_rows = []
    batch.save()


# ------------------------------------------------------------------ background writing
def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def queue(item: dict, *, user, token: str, partial: bool) -> ImportBatch:
    """Record a queued batch and its job, in the caller's transaction: both or neither.
    Raises AlreadyImported (the unique file constraint decides between two at once)."""
    from imports.tasks import run_import

    if (done := previous_import(token)) is not None:
        raise AlreadyImported(done)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                user=user,
                file_name=item["file_name"][:255],
                sha256=token,
                row_count=len(item["rows"]),
                partial=partial,
                status=BatchStatus.QUEUED,
                source_rows=[[line, values] for line, values in item["rows"]],
                expected_fingerprint=item["fingerprint"] or "",
            )
    except IntegrityError:
        raise AlreadyImported(previous_import(token)) from None
    run_import.enqueue(batch.pk)
    return batch


def run(batch_id: int) -> str:
    """The job's work; safe to run twice (a retry, a worker taken for dead): a batch no
    longer waiting is left alone, and the writing holds the batch's row locked."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING):
            return batch.status
        batch.status = BatchStatus.RUNNING
        batch.save(update_fields=["status"])
    # The trust rules as the official who asked, with what that official holds today.
    scope = import_scope(batch.user) if batch.user is not None else None
    if scope is None:
        return _fail(batch_id, _("The person who asked for this import may no longer import."))
    rows = [(line, values) for line, values in batch.source_rows]

    def progress(done):
        cache.set(progress_key(batch_id), done, 3600)

    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status != BatchStatus.RUNNING:
                return batch.status
            write_batch(
                batch, rows, scope, batch.user, batch.expected_fingerprint or None, progress
            )
    except PlanChanged:
        return _fail(
            batch_id,
            _(
                "The registry changed since the preview, so nothing was written. Upload the "
                "file again to see the rows as they are now."
            ),
        )
    except IntegrityError:
        return _fail(
            batch_id,
            _(
                "Someone changed the registry while the file was being imported, so nothing "
                "was written. Upload the file again to see the rows as they are now."
            ),
        )
    except Exception:
        _fail(batch_id, _("The import stopped on an error, so nothing was written."))
        raise  # kept as a failed job for an administrator
    finally:
        cache.delete(progress_key(batch_id))
    return BatchStatus.DONE


def _fail(batch_id: int, message: str) -> str:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=BatchStatus.FAILED, message=message, finished_at=timezone.now(), source_rows=[]
    )
    return BatchStatus.FAILED


def progress_of(batch: ImportBatch) -> dict:
    """What the batch page polls: the status, and while running the rows written so far
    (from the cache the job writes to; the database has them only at the end)."""
    rows_done = batch.rows_done
    if batch.status == BatchStatus.RUNNING:
        rows_done = cache.get(progress_key(batch.pk), 0)
    percent = batch.percent
    if batch.status == BatchStatus.UNDOING:
        percent = None  # no count kept: the bar shows work under way
    elif batch.status == BatchStatus.RUNNING and batch.row_count:
        percent = min(99, round(100 * rows_done / batch.row_count))
    return {
        "status": batch.status,
        "label": str(batch.get_status_display()),
        "rows_done": rows_done,
        "row_count": batch.row_count,
        "percent": percent,
        "finished": batch.status
        not in (BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.UNDOING),
    }


# ------------------------------------------------------------------ undo
def undo_blockers(batch: ImportBatch, *, waiting: bool = False) -> list[str]:
    """Why the batch cannot be undone now, in words; empty when it can."""
    if batch.status != (BatchStatus.UNDOING if waiting else BatchStatus.DONE):
        return [_("Only a finished import can be undone.")]
    ids = batch.created_ids or {}
    mine = {
        Certificate: set(ids.get("certificate_ids", [])),
        Product: set(ids.get("product_ids", [])),
        Producer: set(ids.get("producer_ids", [])),
    }
    others = []
    for model, pks in mine.items():
        if pks:
            others.extend(_referring(model, pks, mine))
    return _described(others)


def _referring(model, pks, mine) -> list:
    """A few rows outside the batch that point at these rows of `model`: every relation
    Django knows (also ones added later), not a list kept here. History rows, which keep
    no key, do not count."""
    found = []
    for relation in model._meta.related_objects:
        related = relation.related_model._meta.concrete_model
        if relation.many_to_many:
            through = relation.through._meta
            field = next(f for f in through.fields if f.related_model is model)
            rows = relation.through._base_manager.filter(**{f"{field.name}__in": pks})
        else:
            rows = related._base_manager.filter(**{f"{relation.field.name}__in": pks})
            rows = rows.exclude(pk__in=mine.get(related, ()))
        found.extend(rows[:5])
    for field in model._meta.many_to_many:  # e.g. the accounts of a producer
        through = field.remote_field.through
        found.extend(through._base_manager.filter(**{f"{field.m2m_field_name()}__in": pks})[:5])
    return found


def _described(objects) -> list[str]:
    names = {}
    for obj in objects:
        if obj._meta.auto_created:  # a link table's row: name what it links to
            links = [f for f in obj._meta.fields if f.is_relation]
            field = next(
                (f for f in links if f.related_model not in (Certificate, Product, Producer)),
                links[-1],
            )
            obj = getattr(obj, field.name)
        names.setdefault(capfirst(obj._meta.verbose_name), []).append(str(obj))
    return [
        _("%(what)s still refers to rows of this import: %(which)s")
        % {"what": what, "which": ", ".join(items[:5]) + ("…" if len(items) > 5 else "")}
        for what, items in names.items()
    ]


def ask_undo(batch_id: int, user) -> ImportBatch:
    """The undo page's action: undo now, or for a batch that created more than
    INLINE_ROWS certificates (about 10 ms each: the certificate's history row, its
    product's standing) mark it "being undone" and leave the work to a job. Raises
    CannotUndo; two officials at once: the second is refused."""
    from imports.tasks import undo_import

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        created = len((batch.created_ids or {}).get("certificate_ids", []))
        if created <= INLINE_ROWS:
            return undo(batch_id, user)
        if blockers := undo_blockers(batch):
            raise CannotUndo(" ".join(blockers))
        batch.status = BatchStatus.UNDOING
        batch.undone_by = user
        batch.save(update_fields=["status", "undone_by"])
        undo_import.enqueue(batch.pk)
    return batch


def run_undo(batch_id: int) -> str:
    """The undo job: a batch still "being undone" is undone, or goes back to "imported"
    with the reason when something came to refer to its rows meanwhile."""
    batch = ImportBatch.objects.select_related("undone_by").get(pk=batch_id)
    if batch.status != BatchStatus.UNDOING:
        return batch.status
    try:
        return undo(batch_id, batch.undone_by, waiting=True).status
    except CannotUndo as refused:
        ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.UNDOING).update(
            status=BatchStatus.DONE, undone_by=None, message=refused.message
        )
        return BatchStatus.DONE


def undo(batch_id: int, user, *, waiting: bool = False) -> ImportBatch:
    """Remove what the batch created and put back what it changed; raises CannotUndo.
    `waiting`: the batch was marked "being undone" (the job's case)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if waiting and batch.status != BatchStatus.UNDOING:
            raise CannotUndo(_("Only a finished import can be undone."))
        if blockers := undo_blockers(batch, waiting=waiting):
            raise CannotUndo(" ".join(blockers))
        ids = batch.created_ids or {}
        # Each leaves its history row (simple_history's delete signal, sent per row by the
        # deletion, which still deletes in batches).
        Certificate.objects.filter(pk__in=ids.get("certificate_ids", [])).delete()
        Product.objects.filter(pk__in=ids.get("product_ids", [])).delete()
        for product in Product.objects.filter(pk__in=ids.get("certified_product_ids", [])):
            sync_standing(product)
        _put_back_producers(ids.get("producer_changes", []))
        Producer.objects.filter(pk__in=ids.get("producer_ids", [])).delete()
        batch.status = BatchStatus.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = user
        batch.save(update_fields=["status", "undone_at", "undone_by"])
    page_cache.changed()
    return batch


def _put_back_producers(changes):
    """A field the import changed gets its old value back unless it was changed since."""
    producers = Producer.objects.in_bulk([pk for pk, _fields in changes])
    for pk, fields in changes:
        producer = producers.get(pk)
        if producer is None:
            continue
        changed = False
        for key, old, new in fields:
            attname = producer._meta.get_field(key).attname
            current = getattr(producer, attname)
            if isinstance(current, AdministrativeUnit):
                current = current.pk
            if current == new:
                setattr(producer, attname, old)
                changed = True
        if changed:
            producer.save()
