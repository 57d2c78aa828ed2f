"""The daily jobs: each worker, on each heartbeat, enqueues the jobs of settings.DAILY_JOBS
for today once it is DAILY_JOBS_HOUR o'clock (local time) or later. No cron: the workers
are the clock. Each job's key is its path and the day, so however many workers on however
many machines do this, each daily job is queued once a day (`queue.enqueue_once`).

A day on which no worker ran at all is not caught up the next day: a daily job should
look at the state of things on the day it runs (what is due, what is late), not at what
happened "yesterday", so that a missed day costs nothing but the delay.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import JobKey
from jobs.queue import enqueue_once


def daily_key(task_path: str, day: str) -> str:
    return f"daily:{task_path}:{day}"


def enqueue_due(now=None, *, any_hour: bool = False) -> list[str]:
    """Enqueue today's daily jobs not yet enqueued; returns the keys this call enqueued.
    `any_hour` ignores DAILY_JOBS_HOUR (the `daily_scan` command)."""
    local = timezone.localtime(now or timezone.now())
    if not any_hour and local.hour < settings.DAILY_JOBS_HOUR:
        return []
    day = local.date().isoformat()
    enqueued = []
    for path in settings.DAILY_JOBS:
        key = daily_key(path, day)
        if JobKey.objects.filter(key=key).exists():
            continue
        if enqueue_once(import_string(path), key, day=day) is not None:
            enqueued.append(key)
    return enqueued
