"""Two app servers, one system (issue 18): the same code on two gunicorn servers behind no
load balancer but this test, which sends each request to whichever server it names, over
one PostgreSQL, one Redis and one S3 endpoint (conftest.py). What one server did, the
other sees at once: a revocation, a session, a paper, a decision; the daily jobs, run by
both servers' workers, send each mail once; a server told to stop finishes its request.
One test, in steps, because starting the cluster is most of its cost (docs/deploy.md)."""

import concurrent.futures
import json
import re
import signal
import time

from django.utils import timezone

from evaluation.models import Certificate, Decision, Dossier, DossierDocument
from jobs.schedule import daily_key
from tests.factories import (
    ProductFactory,
    district,
    give_result,
    make_dossier,
    office_of,
    pdf_bytes,
)
from tests.system.cluster.conftest import PASSWORD, PORTS, Browser, needs_postgresql, wait_until

pytestmark = needs_postgresql


def with_password(*users):
    for user in users:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def act_form(number, authority, signer_title):
    return {
        "number": number,
        "signed_on": timezone.localdate().isoformat(),
        "authority": authority,
        "signer_name": "Nguyễn Văn An",
        "signer_title": signer_title,
    }


def test_two_app_servers_are_one_system(cluster, cast, settings):
    a, b = PORTS["a"], PORTS["b"]
    second_office = office_of("district_office2", "district", district("274"))
    with_password(cast["owner"], cast["district_office"], second_office, cast["city_office"])

    # Both servers ready: database, Redis, both buckets, the job queue.
    for port in (a, b):
        health = Browser(port).get("/health/")
        assert health.status == 200, health.text
        assert set(json.loads(health.body).values()) == {"ok"}

    # ---- a session started on A works on B (sessions in the shared cache: SESSION_STORE).
    owner = Browser(a).sign_in("owner")
    on_b = owner.on(b).get(f"/ho-so/{cast['dossier'].pk}/")
    assert on_b.status == 200 and "Rau cải an toàn Hoài Đức" in on_b.text

    # ---- a paper uploaded through A downloads through B, from the private bucket.
    draft = make_dossier(
        cast["round"],
        Dossier.Status.DRAFT,
        product=ProductFactory(producer=cast["producer"], name="Mật ong rừng", stars=None),
    )
    paper = pdf_bytes("Phiếu kiểm nghiệm cụm máy chủ")
    upload = owner.post(
        f"/ho-so/{draft.pk}/tai-lieu/",
        {"title": "Phiếu kiểm nghiệm"},
        files={"file": ("kiem-nghiem.pdf", paper, "application/pdf")},
    )
    assert upload.status == 302, upload.text[:500]
    document = DossierDocument.objects.get(dossier=draft)
    download = owner.on(b).get(f"/ho-so/{draft.pk}/tai-lieu/{document.pk}/")
    assert download.status == 200 and download.body == paper
    stored = cluster.s3.list_objects_v2(Bucket="ocop-cluster-private")["Contents"]
    assert [item["Key"] for item in stored] == [document.file.name]
    public = cluster.s3.list_objects_v2(Bucket="ocop-cluster-media")
    assert not public.get("Contents"), "a private paper landed in the public bucket"
    grants = cluster.s3.get_object_acl(Bucket="ocop-cluster-private", Key=document.file.name)
    assert all("AllUsers" not in str(g["Grantee"]) for g in grants["Grants"])
    # Nobody else gets it through B either (the view's scope, not the bucket's).
    stranger = Browser(b).get(f"/ho-so/{draft.pk}/tai-lieu/{document.pk}/")
    assert stranger.status in (302, 404) and stranger.body != paper

    # ---- two officials deciding the same dossier, one on each server: one decision.
    dossier = cast["dossier"]
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.RESULT)
    give_result(dossier, stars=3, mean="65.50", cards=2, spread=2)
    offices = [Browser(a).sign_in("district_office"), Browser(b).sign_in("district_office2")]
    path = f"/ho-so/{dossier.pk}/quyet-dinh/cong-nhan/"
    for office in offices:
        assert office.get(path).status == 200
    forms = [act_form(f"{n}/QĐ-UBND", "UBND huyện Hoài Đức", "Chủ tịch") for n in (101, 202)]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda i: offices[i].post(path, forms[i]), range(2)))
    assert sorted(answer.status for answer in answers)[0] == 302, [a.status for a in answers]
    assert all(answer.status < 500 for answer in answers)
    assert Decision.objects.filter(certificates__dossier=dossier).distinct().count() == 1
    [certificate] = Certificate.objects.filter(dossier=dossier)

    # ---- a revocation through A is never served as valid by B's cache.
    verify = f"/xac-thuc/{certificate.number}/"
    visitor = Browser(b)
    first, kept = visitor.get(verify), visitor.get(verify)
    assert first.status == kept.status == 200
    assert kept.headers.get("x-page-cache") == "hit", "B did not keep the page: nothing proved"
    assert "alert-danger" not in kept.text
    city = Browser(a).sign_in("city_office")
    revoke = f"/giay-chung-nhan/{certificate.pk}/thu-hoi/"
    assert city.get(revoke).status == 200
    revoked = city.post(
        revoke,
        {
            **act_form("7/QĐ-UBND", "UBND thành phố Hà Nội", "Phó Chủ tịch"),
            "ground": "mark_misuse",
            "inspection_reference": "KL 15/KL-TTr",
            "inspection_concluded_on": timezone.localdate().isoformat(),
        },
    )
    assert revoked.status == 302, revoked.text[:800]
    certificate.refresh_from_db()
    assert certificate.revoked_on is not None
    after = visitor.get(verify)
    assert after.status == 200 and "alert-danger" in after.text, "B served the old page"

    # ---- static files: hashed names, kept a year by browsers and proxies.
    page = Browser(b).get("/")
    css = re.search(r'href="(/static/[^"]+\.css)"', page.text)[1]
    assert re.search(r"\.[0-9a-f]{12}\.css$", css), css  # name.<hash>.css
    asset = Browser(a).get(css)
    assert asset.status == 200 and "max-age=315360000" in asset.headers["cache-control"]

    # ---- one JSON line per request, with its id, user, status and time, on stdout.
    lines = [json.loads(line) for line in cluster.log("server-a").splitlines() if '"ms"' in line]
    signed = [line for line in lines if line["path"] == revoke and line["method"] == "POST"]
    assert signed and signed[0]["user"] == cast["city_office"].pk
    assert signed[0]["status"] == 302 and len(signed[0]["id"]) == 32

    # ---- the daily jobs, run by both servers' workers, each once; each mail once.
    day = timezone.localdate().isoformat()
    keys = [daily_key(path, day) for path in settings.DAILY_JOBS]
    keys.append(daily_key("tests.system.cluster.tasks.daily_reminder", day))

    from django_tasks_db.models import DBTaskResult

    def all_done():
        rows = DBTaskResult.objects.filter(task_path__in=[k.split(":")[1] for k in keys])
        return rows.count() >= len(keys) and not rows.exclude(status="SUCCESSFUL").exists()

    wait_until(all_done, 60, "both workers to run the daily jobs")
    # Both schedules have ticked several times by now: nothing more may be queued or sent.
    wait_until(lambda: len(cluster.smtp.messages) >= 1, 20, "the reminder mail")
    time.sleep(3)
    for path in {k.split(":")[1] for k in keys}:
        assert DBTaskResult.objects.filter(task_path=path).count() == 1, path
    sent = [(tuple(m.envelope_to), m["Subject"]) for m in cluster.smtp.messages]
    assert len(sent) == len(set(sent)), f"a mail left twice: {sent}"
    assert (("thuky.hoaiduc@example.vn",), f"Nhắc việc ngày {day}") in sent
    from jobs.models import Worker

    assert Worker.objects.count() == 2, "both servers' workers ran the schedule"

    # ---- graceful shutdown: A told to stop in the middle of an upload finishes it.
    server_a = next(p for p in cluster.processes if p.name == "server-a")
    body, content_type = owner.multipart(
        {"title": "Biên bản gửi lúc dừng máy"},
        {"file": ("bien-ban.pdf", pdf_bytes("Biên bản"), "application/pdf")},
    )
    upload_path = f"/ho-so/{draft.pk}/tai-lieu/"
    slow = owner.open_request("POST", upload_path, len(body), content_type)
    slow.send(body[: len(body) // 2])
    time.sleep(0.5)  # the worker is reading the body
    server_a.send_signal(signal.SIGTERM)
    time.sleep(1.5)
    assert server_a.poll() is None, "gunicorn stopped without finishing the request"
    slow.send(body[len(body) // 2 :])
    finished = slow.getresponse()
    assert finished.status == 302
    server_a.wait(timeout=40)
    assert DossierDocument.objects.filter(dossier=draft, title__startswith="Biên bản").exists()
    assert Browser(b).get("/health/").status == 200  # B goes on serving
