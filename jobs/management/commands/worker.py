"""`manage.py worker`: run background jobs (jobs/worker.py says what it adds to the library's
`db_worker`). Takes the library's options: --batch runs what is ready and stops, --reload
restarts on code changes (the default with DEBUG), --interval, --queue-name, …"""

import logging
import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from jobs.worker import JobWorker

logger = logging.getLogger("django_tasks_db")


class Command(db_worker.Command):
    help = (
        "Run background jobs: retried on failure, rescued from dead workers, daily ones enqueued."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule_daily",
            help="Do not enqueue the daily jobs (settings.DAILY_JOBS) from this worker.",
        )

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, batch, **options):
        # The library's handle(), with this project's worker.
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = JobWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            schedule_daily=options["schedule_daily"],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
