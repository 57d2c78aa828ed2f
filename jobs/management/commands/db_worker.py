"""The library's `db_worker` name, kept for habit, runs this project's worker: the
library's own has no heartbeat, so its running jobs would look lost to the others."""

from jobs.management.commands.worker import Command  # noqa: F401
