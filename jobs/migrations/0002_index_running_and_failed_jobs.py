"""Two partial indexes on django-tasks-db's table, which indexes its status only for ready
jobs. Every heartbeat of every worker looks for running jobs started before a cutoff (the
rescue of a dead worker's job, worker.recover_lost_jobs) and /health/ counts failed jobs:
without these, both read the whole table, which holds every job of JOBS_KEEP_DAYS. Each
index holds only the few rows in that status. SQL, since the table is the library's model
(a migration of this app cannot add an index to it); the same statement suits SQLite and
PostgreSQL."""

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX jobs_running_started_idx ON {TABLE} (started_at) "
            "WHERE status = 'RUNNING'",
            "DROP INDEX jobs_running_started_idx",
        ),
        migrations.RunSQL(
            f"CREATE INDEX jobs_failed_finished_idx ON {TABLE} (finished_at) "
            "WHERE status = 'FAILED'",
            "DROP INDEX jobs_failed_finished_idx",
        ),
    ]
