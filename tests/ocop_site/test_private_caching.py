"""Signed-in pages and private downloads are never stored by a browser or a proxy: on a
shared office PC the back button must not bring a member's card to the next person."""

from django.urls import reverse


def test_a_signed_in_page_is_not_stored(as_user, cast):
    response = as_user(cast["member1"]).get(
        reverse("evaluation:dossier", args=[cast["dossier"].pk])
    )
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_a_private_download_is_not_stored_and_not_sniffed(as_user, cast):
    document = cast["document"]
    url = reverse("evaluation:document", args=[cast["dossier"].pk, document.pk])
    response = as_user(cast["secretary"]).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_anonymous_public_pages_keep_their_own_caching(client, db):
    response = client.get(reverse("catalogue:catalogue"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
