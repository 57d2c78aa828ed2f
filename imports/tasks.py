"""The import's background job (imports.batches explains when it is used)."""

from django.conf import settings
from django.utils import translation

from jobs.queue import job


# Two runs: a worker taken for dead leaves the batch "running" with nothing written (the
# writing is one transaction), and the next run picks it up; a failing file fails twice.
@job(attempts=2, backoff_seconds=30)
def run_import(batch_id: int) -> str:
    from imports.batches import run

    # Messages kept on the batch (held rows) are in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        return run(batch_id)


@job(attempts=2, backoff_seconds=30)
def undo_import(batch_id: int) -> str:
    """The undo of a big batch (imports.batches.ask_undo)."""
    from imports.batches import run_undo

    with translation.override(settings.LANGUAGE_CODE):
        return run_undo(batch_id)


# Two runs: a run that stops half-way keeps nothing (the rows are kept in one
# transaction), and the next run checks again; a second run of a finished check does
# nothing (imports.checked.run).
@job(attempts=2, backoff_seconds=30)
def check_preview(pending_id: int, stamp: str) -> str:
    """The check of a big file's rows for its preview (imports.checked)."""
    from imports.checked import run

    with translation.override(settings.LANGUAGE_CODE):
        return run(pending_id, stamp)
