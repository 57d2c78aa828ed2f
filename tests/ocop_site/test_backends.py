"""Configuration picks the parts (ocop_site/backends.py): one machine by default, Redis and
S3 buckets for several, refused in words when the values cannot work. Also the request
log's JSON line and the health URLs a load balancer asks. The same code on several real
servers: tests/system/cluster."""

import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ocop_site import backends
from ocop_site.request_log import JsonFormatter, request_id
from tests.ocop_site.test_settings import STRONG_KEY, run_manage

S3 = {"bucket": "ocop-media", "private_bucket": "ocop-private", "endpoint_url": "http://s3:9000"}


def test_without_cache_url_the_cache_is_the_file_cache_of_this_machine():
    [default] = backends.caches("", "/var/cache/ocop").values()
    assert default["BACKEND"] == "core.filecache.FileCache"
    assert default["LOCATION"] == "/var/cache/ocop"
    assert backends.caches("file:///srv/c", "/x")["default"]["LOCATION"] == "/srv/c"


@pytest.mark.parametrize("url", ["redis://10.0.0.5:6379/2", "rediss://:pw@cache.vn:6380/0"])
def test_a_redis_cache_url_shares_the_cache_between_app_servers(url):
    default = backends.caches(url, "/unused")["default"]
    assert default["BACKEND"] == "django_redis.cache.RedisCache"
    assert default["LOCATION"] == url
    # A Redis that stops answering costs a second, never a hung request.
    assert default["OPTIONS"]["SOCKET_TIMEOUT"] <= 1


@pytest.mark.parametrize("url", ["memcached://x:11211", "redis:/", "localhost:6379"])
def test_a_cache_url_that_cannot_work_stops_the_start_in_words(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be"):
        backends.caches(url, "/x")


@pytest.mark.parametrize("store", ["cache", "cached_db"])
def test_sessions_live_in_the_database_or_the_shared_cache(store):
    assert backends.session_engine(store) == f"django.contrib.sessions.backends.{store}"


def test_database_sessions_are_djangos_read_in_plain_sql():
    assert backends.session_engine("db") == "ocop_site.sessions"


def test_an_unknown_session_store_stops_the_start():
    with pytest.raises(ImproperlyConfigured, match="SESSION_STORE must be one of db, cache"):
        backends.session_engine("file")


def test_without_a_bucket_files_stay_on_local_disk():
    stores = backends.storages(debug=False, s3={})
    assert stores["default"]["BACKEND"].endswith("FileSystemStorage")
    assert stores["private"]["BACKEND"] == "core.files.PrivateStorage"
    assert stores["staticfiles"]["BACKEND"].endswith("CompressedManifestStaticFilesStorage")


def test_with_buckets_private_papers_go_to_their_own_private_bucket():
    stores = backends.storages(debug=False, s3=S3)
    public, private = stores["default"]["OPTIONS"], stores["private"]["OPTIONS"]
    assert stores["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert stores["private"]["BACKEND"] == "core.s3.S3PrivateStorage"
    assert public["bucket_name"] == "ocop-media" and private["bucket_name"] == "ocop-private"
    assert private["default_acl"] == "private" and private["querystring_auth"] is True
    assert public["querystring_auth"] is False
    assert not public["file_overwrite"] and not private["file_overwrite"]
    assert public["endpoint_url"] == private["endpoint_url"] == "http://s3:9000"


@pytest.mark.parametrize(
    "s3, words",
    [
        ({"bucket": "one"}, "S3_PRIVATE_BUCKET must name a second bucket"),
        ({"bucket": "one", "private_bucket": "one"}, "S3_PRIVATE_BUCKET must name a second"),
        ({"private_bucket": "two"}, "S3_BUCKET is not: set both"),
    ],
)
def test_private_papers_are_never_put_in_the_public_bucket(s3, words):
    with pytest.raises(ImproperlyConfigured, match=words):
        backends.storages(debug=False, s3=s3)


def test_a_private_paper_in_the_bucket_has_no_url():
    from core.s3 import S3PrivateStorage

    storage = S3PrivateStorage(**backends.storages(debug=False, s3=S3)["private"]["OPTIONS"])
    with pytest.raises(ValueError, match="no public URL"):
        storage.url("dossiers/2026/01/bien-ban.pdf")


def test_check_deploy_stays_clean_on_redis_and_buckets():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="ocop.example.vn",
        EMAIL_HOST="smtp.example.vn",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="True",
        SITE_URL="https://ocop.example.vn",
        CACHE_URL="redis://127.0.0.1:6379/6",
        SESSION_STORE="cached_db",
        S3_BUCKET="ocop-media",
        S3_PRIVATE_BUCKET="ocop-private",
        S3_ENDPOINT_URL="http://127.0.0.1:8132",
        LOG_FORMAT="json",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_log_format_that_cannot_be_read_stops_the_start():
    result = run_manage("check", LOG_FORMAT="JSON")
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json" in result.stderr


# ---------------------------------------------------------------- the request log
def test_a_request_is_logged_as_one_json_line_with_its_id_user_status_and_time(
    client, db, caplog, django_user_model
):
    user = django_user_model.objects.create_user("vp.test", password="x-Secret-2026")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="ocop.requests"):
        response = client.get("/ping/?token=secret-reset-token", HTTP_X_REQUEST_ID="lb-42")
    [record] = [r for r in caplog.records if r.name == "ocop.requests"]
    line = json.loads(JsonFormatter().format(record))
    assert response["X-Request-ID"] == "lb-42"
    assert line["id"] == "lb-42" and line["status"] == 200 and line["user"] == user.pk
    assert line["method"] == "GET" and line["path"] == "/ping/" and line["ms"] >= 0
    assert "secret-reset-token" not in json.dumps(line)  # a query string may carry a token
    assert line["level"] == "INFO" and line["logger"] == "ocop.requests"


@pytest.mark.parametrize("name", ["accounts:password_reset_confirm", "accounts:invitation"])
def test_a_one_time_link_is_logged_without_its_secret_parts(client, db, caplog, name):
    path = reverse(name, kwargs={"uidb64": "MTIz", "token": "cxyz12-5f0e1a2b3c4d5e6f7a8b"})
    with caplog.at_level(logging.INFO, logger="ocop.requests"):
        client.get(path)
    [record] = [r for r in caplog.records if r.name == "ocop.requests"]
    logged = JsonFormatter().format(record)
    assert "cxyz12-5f0e1a2b3c4d5e6f7a8b" not in logged and "MTIz" not in logged
    assert json.loads(logged)["path"].count("…") == 2


@pytest.mark.parametrize("sent", ["", "a b", "x" * 65, "<script>", "id\nforged-line"])
def test_a_request_id_that_is_not_sane_is_replaced(rf, sent):
    made = request_id(rf.get("/", HTTP_X_REQUEST_ID=sent))
    assert made != sent and len(made) == 32


def test_an_error_is_one_json_line_with_its_traceback():
    try:
        raise RuntimeError("mất kết nối")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, "", 0, "boom", None, sys.exc_info())
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "boom" and "mất kết nối" in line["error"]


# ---------------------------------------------------------------- health and liveness
def test_liveness_needs_no_database(client):
    response = client.get(reverse("health_live"))
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_readiness_names_a_job_queue_it_cannot_read(client, db, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(self):
        raise RuntimeError("relation django_tasks_database_dbtaskresult does not exist")

    monkeypatch.setattr(type(DBTaskResult.objects.ready()), "exists", broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["jobs"].startswith("failed: RuntimeError: relation")
    assert response.json()["database"] == "ok"
