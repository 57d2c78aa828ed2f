"""Faults answer in words with the site's header and a way back, and a health URL says
which part of the system failed."""

import pytest
from django.core.cache import cache
from django.urls import reverse


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return settings


def test_an_unknown_address_is_a_vietnamese_page_with_a_way_back(client, db, production):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert reverse("catalogue:catalogue") in body
    assert 'class="navbar' in body


def test_the_english_side_answers_in_english(client, db, production):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_refusal_is_a_page_in_words(as_user, cast, production):
    # A member may see the dossier but not move it: 403, drawn by templates/403.html.
    response = as_user(cast["member1"]).post(
        reverse("evaluation:transition", args=[cast["dossier"].pk]), {"target": "result"}
    )
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()


def test_a_server_error_page_needs_neither_the_database_nor_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Đã có lỗi trên máy chủ" in html and "Server error" in html


def test_health_says_ok_for_each_part(client, db):
    from django.utils import timezone

    from jobs.models import Worker

    now = timezone.now()
    Worker.objects.create(worker_id="w1", hostname="may-1", pid=1, started_at=now, seen_at=now)
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "media": "ok",
        "private": "ok",
        "jobs": "ok",
        "worker": "ok",
        "failed_jobs": "ok",
    }
    assert "no-store" in response["Cache-Control"]


def test_health_names_the_part_that_failed(client, db, settings, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("cache folder is read-only")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["cache"].startswith("failed: OSError: cache folder is read-only")
    assert body["database"] == "ok"
