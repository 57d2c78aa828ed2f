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
