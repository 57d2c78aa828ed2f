"""Background jobs: work that is long, scheduled or may fail runs in `manage.py worker`.

A job is a django-tasks task (Django 6's tasks framework, backported) declared with
`jobs.queue.job`, which adds how often a failure is retried. The database backend keeps
each job as a row, so jobs survive restarts and any number of workers on any number of
machines share one queue. What the library lacks is here, in one place each: retries with
backoff and the lost-worker rescue (`worker.py`), one job per key (`queue.enqueue_once`),
the daily schedule (`schedule.py`), and the administrators' lists (`admin.py`).
"""
