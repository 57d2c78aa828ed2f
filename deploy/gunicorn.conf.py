"""gunicorn's settings for an app server (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be overridden on the command line (the cluster check binds its own ports).
"""

import multiprocessing
import os

wsgi_app = "ocop_site.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
# Pages spend most of their time in Python (measured: docs/deploy.md), so processes, not
# threads: two per core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
# Graceful shutdown: on SIGTERM gunicorn closes its listening socket at once (the load
# balancer's next attempt goes to another server), and each worker finishes the request it
# is serving, for up to graceful_timeout seconds, before it exits. A rolling restart of the
# app servers therefore drops no request. 30 s is more than the slowest page (a certificate
# PDF, a 10 MB upload on a slow line) takes.
graceful_timeout = 30
# A worker silent for this long is stuck and is replaced (its request answered 502).
timeout = 60
# Behind a load balancer that keeps connections open to the app servers.
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once): a slow
# leak cannot grow for ever.
max_requests = 5000
max_requests_jitter = 500
# The access log is the app's own JSON line (LOG_FORMAT=json): gunicorn's is off, its
# error log (starts, stops, worker timeouts) goes to standard error.
accesslog = None
errorlog = "-"
