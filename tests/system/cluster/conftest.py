"""Two app servers, one system: the parts of a cluster, started on this machine.

Two gunicorn servers (ports 8102 and 8112) with DEBUG=False, each with a job worker, both
started from the ExecStart lines of the guide's systemd units (deploy/systemd, docs/deploy.md),
over one PostgreSQL (this run's test database), one Redis (a redis-server started here on
port 8122, Debian's package: `make cluster-check` installs it where missing) and one
S3-compatible endpoint (moto's standalone server on port 8132, two buckets), with their
job workers sending mail to a real SMTP server (aiosmtpd). Everything started here is
stopped when the test ends, before pytest-django empties the tables. The test process
makes the data (factories, committed: a transactional test) and reads what is left.
"""

import http.client
import http.cookies
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
PORTS = {"a": 8102, "b": 8112, "redis": 8122, "s3": 8132}
KEY = "cluster-check-" + "k9$Qv!2pLr7#xZ0wTn4&bYh8@dF6jMs1^cE5uGa3*oI"
BUCKETS = ("ocop-cluster-media", "ocop-cluster-private")
PASSWORD = "Cluster-check-2026"

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: several app servers share one database server, which a SQLite "
    "file on one machine is not (the CI's PostgreSQL run and `make cluster-check` run it)",
)


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def unit_command(unit: str, instance) -> list[str]:
    """The ExecStart of one of deploy/systemd's units, for instance `instance` (%i), with the
    installation's /srv/ocop/.venv/bin/ read as this virtualenv's."""
    text = (ROOT / "deploy" / "systemd" / unit).read_text(encoding="utf-8")
    [line] = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    command = line.removeprefix("ExecStart=").replace("%i", str(instance)).split()
    return [part.replace("/srv/ocop/.venv/bin/", f"{BIN}/") for part in command]


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Browser:
    """Plain HTTP to one server of the cluster, cookies kept as a browser keeps them. A
    cookie jar can be handed to another server's Browser: the load balancer sent the next
    request elsewhere."""

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = cookies if cookies is not None else {}

    def on(self, port):
        return Browser(port, self.cookies)

    def request(self, method, path, body=None, content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "localhost", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Referer"] = f"https://localhost{path}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for raw in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(raw).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)

    def get(self, path):
        return self.request("GET", path)

    def multipart(self, fields, files):
        """(body, content type) of a form with files, as a browser encodes it."""
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        ]
        for name, (filename, content, mime) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return b"".join(parts), f"multipart/form-data; boundary={boundary}"

    def post(self, path, fields=None, files=None):
        if files:
            return self.request("POST", path, *self.multipart(fields or {}, files))
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
        return self.request(
            "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )

    def open_request(self, method, path, length, content_type):
        """A request whose headers are sent and whose body the caller sends (`.send`), then
        reads (`.getresponse()`): a slow upload, to stop a server in the middle of."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.putrequest(method, path, skip_host=True)
        for name, value in {
            "Host": "localhost",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"https://localhost{path}",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Content-Type": content_type,
            "Content-Length": str(length),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        return connection

    def sign_in(self, username):
        self.get("/tai-khoan/dang-nhap/")
        answer = self.post("/tai-khoan/dang-nhap/", {"username": username, "password": PASSWORD})
        assert answer.status == 302, f"{username} could not sign in: {answer.text[-3000:]}"
        return self


class Cluster:
    def __init__(self, folder: Path, smtp_port: int):
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        db = connection.settings_dict
        self.database_url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
            **{**db, "HOST": db["HOST"] or "127.0.0.1", "PORT": db["PORT"] or 5432}
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.system.cluster.settings",
            "DATABASE_URL": self.database_url,
            "CONN_MAX_AGE": "0",
            "DEBUG": "False",
            "SECRET_KEY": KEY,
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "CACHE_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
            "SESSION_STORE": "cache",
            "S3_BUCKET": BUCKETS[0],
            "S3_PRIVATE_BUCKET": BUCKETS[1],
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{PORTS['s3']}",
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "cluster",
            "S3_SECRET_ACCESS_KEY": "cluster-secret",
            "STATIC_ROOT": str(folder / "static"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SITE_URL": "https://localhost",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
            "DAILY_JOBS_HOUR": "0",
            "JOBS_WORKER_TIMEOUT": "6",
            # deploy/gunicorn.conf.py: two workers a server, enough for the test.
            "GUNICORN_WORKERS": "2",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def start(self, name, args):
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        process.name, process.log_path = name, log.name
        self.processes.append(process)
        return process

    def log(self, name) -> str:
        return (self.folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def start_services(self):
        redis = shutil.which("redis-server")
        assert redis, (
            "redis-server is not installed: `make cluster-check` installs Debian's package "
            "(sudo apt-get install redis-server)"
        )
        for port in (PORTS["redis"], PORTS["s3"], PORTS["a"], PORTS["b"]):
            assert not answers(port), f"port {port} is taken: stop what listens there first"
        self.start(
            "redis",
            [
                redis,
                "--port",
                str(PORTS["redis"]),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        self.start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(PORTS["s3"])])
        wait_until(lambda: answers(PORTS["redis"]) and answers(PORTS["s3"]), 30, "Redis and S3")
        import boto3

        self.s3 = boto3.client(
            "s3",
            endpoint_url=self.env["S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster-secret",
        )
        for bucket in BUCKETS:
            self.s3.create_bucket(Bucket=bucket)

    def collect_static(self) -> subprocess.Popen:
        """collectstatic, in the background while the services start (wait before serving)."""
        return subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
        )

    def start_servers(self):
        """Two app servers as the guide's systemd unit starts them (its ExecStart)."""
        for name in ("a", "b"):
            self.start(f"server-{name}", unit_command("ocop-web@.service", PORTS[name]))
        wait_until(lambda: answers(PORTS["a"]) and answers(PORTS["b"]), 60, "both servers")

    def start_workers(self):
        """A worker beside each server, as the guide's unit starts it; polling faster and
        without the start-up pause, so that the test does not wait."""
        for name in ("a", "b"):
            command = unit_command("ocop-worker@.service", name)
            self.start(f"worker-{name}", [*command, "--no-startup-delay", "--interval", "0.2"])

    def stop(self, process, timeout=20):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self):
        """SIGTERM to all at once (each stops gracefully: a worker finishes its job, gunicorn
        its requests), then wait for each."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            self.stop(process)
        self.processes.clear()


@pytest.fixture
def cluster(transactional_db, reference_data, smtp_server, tmp_path):
    """The cluster, up; stopped before the tables are emptied."""
    running = Cluster(tmp_path, smtp_server.port)
    running.smtp = smtp_server
    try:
        static = running.collect_static()
        running.start_services()
        assert static.wait(timeout=300) == 0, "collectstatic failed"
        running.start_servers()
        # The workers start now: their start-up overlaps the checks before theirs.
        running.start_workers()
        yield running
    finally:
        running.stop_all()
