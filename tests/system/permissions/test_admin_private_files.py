"""Private papers in the admin: linked to the download that checks who is asking.

Evidence and dossier documents live in PrivateStorage, which has no URL. The admin's
product and dossier pages link each one to its checked download instead (evaluation:evidence,
evaluation:document), or name it when there is no such view; changing a file still goes
through the upload checks. Uses the permission matrix's cast (conftest.py): district X's
product and dossier are in the staff account's scope, district Y's are not.
"""

import re

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import DossierDocument
from registry.models import EvidenceDocument, QualityPaper
from tests import pdfs
from tests.factories import pdf_bytes
from tests.system.permissions.conftest import PDF

pytestmark = pytest.mark.django_db

# The admin page of each object with papers, and how each paper is downloaded.
PAGES = {
    "product": ("admin:registry_product_change", "product", EvidenceDocument, "evidence"),
    "dossier": ("admin:evaluation_dossier_change", "dossier", DossierDocument, "document"),
}


def change_page(kind, side):
    name, owner, _, _ = PAGES[kind]
    return lambda cast: reverse(name, args=[cast[f"{owner}_{side}"].pk])


def download(kind, side):
    """The checked download of the paper of that kind and district."""

    def build(cast):
        if kind == "product":
            return reverse("evaluation:evidence", args=[cast[f"evidence_{side}"].pk])
        document = cast[f"document_{side}"]
        return reverse("evaluation:document", args=[document.dossier_id, document.pk])

    return build


def links(response):
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def downloaded(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def paper_viewer(cast, client):
    """District X's staff account, let in to view the papers as well."""
    staff = cast["staff_x"]
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_evidencedocument", "view_dossierdocument"])
    )
    # The permission cache of the cast's user object is not to be trusted: a fresh one.
    return signed_in(client, type(staff).objects.get(pk=staff.pk))


@pytest.mark.parametrize("side", ["x", "y"])
@pytest.mark.parametrize("kind", PAGES)
def test_the_administrator_opens_the_page_and_each_paper_is_a_link_to_its_download(
    cast, client, kind, side
):
    response = signed_in(client, cast["administrator"]).get(change_page(kind, side)(cast))
    assert response.status_code == 200
    assert download(kind, side)(cast) in links(response)


@pytest.mark.parametrize("kind", PAGES)
def test_the_link_downloads_the_paper_for_the_administrator(cast, client, kind):
    client = signed_in(client, cast["administrator"])
    page = client.get(change_page(kind, "x")(cast))
    link = download(kind, "x")(cast)
    assert link in links(page)
    assert downloaded(client.get(link)) == PDF


def test_a_paper_without_a_download_view_is_named_not_linked(cast, client):
    paper = QualityPaper.objects.create(
        product=cast["product_x"],
        kind=QualityPaper.Kind.ISO,
        document=SimpleUploadedFile("iso.pdf", PDF),
    )
    response = signed_in(client, cast["administrator"]).get(change_page("product", "x")(cast))
    assert response.status_code == 200
    body = response.content.decode()
    assert paper.document.name in body
    assert f">{paper.document.name}</a>" not in body


@pytest.mark.parametrize("kind", PAGES)
def test_staff_who_may_only_view_the_papers_see_them_as_links(cast, paper_viewer, kind):
    # Rows the user cannot change are drawn read-only, which Django does by asking the
    # file for its URL: the same crash, for staff instead of the administrator.
    response = paper_viewer.get(change_page(kind, "x")(cast))
    assert response.status_code == 200
    link = download(kind, "x")(cast)
    assert link in links(response)
    assert 'type="file"' not in response.content.decode()
    assert downloaded(paper_viewer.get(link)) == PDF


@pytest.mark.parametrize("kind", PAGES)
def test_staff_outside_the_scope_get_neither_the_page_nor_the_paper(cast, paper_viewer, kind):
    # The admin's "does not exist" (a redirect to its index) and a 404, as before.
    response = paper_viewer.get(change_page(kind, "y")(cast))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert paper_viewer.get(download(kind, "y")(cast)).status_code == 404


def unchanged_post(response):
    """What the change page sends back when nothing on it is touched."""
    data = {}
    every_form = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        every_form += [inline.formset.management_form, *inline.formset.forms]
    for form in every_form:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, forms.FileField) or value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def paper_form(response, model):
    """The inline form of the page's one paper of that model."""
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    ]
    (form,) = formset.forms
    return form


@pytest.mark.parametrize("kind", PAGES)
def test_a_paper_changed_in_the_admin_goes_through_the_upload_checks(cast, client, kind):
    client = signed_in(client, cast["administrator"])
    address = change_page(kind, "x")(cast)
    _, _, model, key = PAGES[kind]
    paper = cast[f"{key}_x"]
    page = client.get(address)
    field = paper_form(page, model).add_prefix("file")

    active = pdfs.packed(pdfs.JAVASCRIPT)
    refused = client.post(
        address, {**unchanged_post(page), field: SimpleUploadedFile("hd.pdf", active)}
    )
    assert refused.status_code == 200  # the page again, with the paper's error
    error = paper_form(refused, model).errors.as_data()["file"][0]
    assert error.code == "pdf_active_content"
    paper.refresh_from_db()
    assert paper.file.read() == PDF
    paper.file.close()

    clean = pdf_bytes(title="A clean copy")
    saved = client.post(
        address, {**unchanged_post(page), field: SimpleUploadedFile("hd-moi.pdf", clean)}
    )
    assert saved.status_code == 302
    assert downloaded(client.get(download(kind, "x")(cast))) == clean
