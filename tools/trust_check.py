"""Issue 12's reproductions, run against the real thing: gunicorn with DEBUG=False over
TLS, on PostgreSQL, with the demo data.

    .venv/bin/python tools/trust_check.py            # prints one line per check

It makes a scratch database (`ocop_trustcheck`, dropped and made again), a self-signed
certificate for localhost, a cache folder and media folders in a temporary directory,
starts two gunicorn workers on a spare port, and then acts as the attackers of the issue
did: a council member peeking at others' cards, an office forging certificates through
the import, hostile files, password spraying, a read-only cache, a database restart.
Each check prints what was expected and what was seen. Not a test: it needs root (to
restart PostgreSQL and make the cache folder immutable) and takes a minute or two.
"""

import argparse
import http.client
import http.cookies
import io
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable  # the virtualenv this script was started with
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PASSWORD = "ocop-demo-2026"
DATABASE = "ocop_trustcheck"
RESULTS = []


# ------------------------------------------------------------------ the place
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sh(*args, env=None, check=True, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, text=True, **kwargs)


def scratch_database() -> str:
    url = sh(
        "scripts/postgres-ready.sh",
        capture_output=True,
        env={**os.environ, "PGDATABASE_NAME": "ocop"},
    ).stdout.strip()
    as_postgres = ["su", "postgres", "-c"]
    sh(*as_postgres, f"dropdb --if-exists --force {DATABASE}")
    sh(*as_postgres, f"createdb -O ocop {DATABASE}")
    return url.rsplit("/", 1)[0] + "/" + DATABASE


def tls_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    sh(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost",
        "-keyout",
        str(key),
        "-out",
        str(cert),
        capture_output=True,
    )
    return cert, key


def prepare(env: dict):
    for step in (
        ["migrate", "--noinput", "-v0"],
        ["load_demo", "--products", "60"],
        ["load_evaluation_demo"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        sh(PY, "manage.py", *step, env=env, capture_output=True)


def serve(env: dict, port: int, cert: Path, key: Path, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            GUNICORN,
            "ocop_site.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--certfile",
            str(cert),
            "--keyfile",
            str(key),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            Browser(port, cert).get("/ping/")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


# ------------------------------------------------------------------ a browser of sorts
class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower(), "")


class Browser:
    """HTTPS with the certificate checked, cookies kept, CSRF sent as a browser does;
    `source` is the client address (any 127.x.y.z reaches the loopback server)."""

    def __init__(self, port, cafile, source="127.0.0.1", headers=None):
        self.port, self.source, self.extra = port, source, headers or {}
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.cookies = {}

    def request(self, method, path, body=None, content_type=None, headers=None):
        connection = http.client.HTTPSConnection(
            "localhost",
            self.port,
            context=self.context,
            source_address=(self.source, 0),
            timeout=60,
        )
        sent = {"Host": f"localhost:{self.port}", **self.extra, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            sent["Referer"] = f"https://localhost:{self.port}{path}"
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if content_type:
            sent["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        for raw in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        return Answer(response.status, headers, data)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, fields=None, files=None, **kw):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
        if not files:
            return self.request(
                "POST",
                path,
                urlencode(fields, doseq=True).encode(),
                "application/x-www-form-urlencoded",
                **kw,
            )
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content, mime) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
            )
            out.write(content + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, out.getvalue(), f"multipart/form-data; boundary={boundary}", **kw
        )

    def declare_body(self, path, size) -> int:
        """Send the headers of a `size`-byte upload and its first 64 KB, then read the
        answer: a server that reads the whole body first would wait for the rest."""
        connection = http.client.HTTPSConnection(
            "localhost",
            self.port,
            context=self.context,
            source_address=(self.source, 0),
            timeout=10,
        )
        connection.putrequest("POST", path, skip_host=True)
        for name, value in {
            "Host": f"localhost:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"https://localhost:{self.port}{path}",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(size),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        connection.send(b"--x\r\n" + b"x" * 65536)
        status = connection.getresponse().status
        connection.close()
        return status

    def sign_in(self, username, password=PASSWORD):
        self.get("/tai-khoan/dang-nhap/")
        return self.post("/tai-khoan/dang-nhap/", {"username": username, "password": password})


def check(point, what, expected, seen, ok):
    RESULTS.append((point, what, expected, seen, ok))
    print(f"{'PASS' if ok else 'FAIL'}  [{point}] {what}: expected {expected}; saw {seen}")


# ------------------------------------------------------------------ the data, by name
def orm(env, code: str) -> str:
    """Run Django ORM code in the scratch database and return what it prints."""
    done = sh(PY, "manage.py", "shell", "-v0", "-c", code, env=env, capture_output=True)
    return done.stdout.strip()


def dossier_id(env, product: str, status: str) -> int:
    return int(
        orm(
            env,
            "from evaluation.models import Dossier;"
            f"print(Dossier.objects.filter(product__name={product!r}, status={status!r})"
            ".latest('pk').pk)",
        )
    )


# ------------------------------------------------------------------ the checks
def point_1_independent_scoring(env, web):
    """A member whose card is a draft sees nothing of the others' cards."""
    dossier = dossier_id(env, "Gốm men lam Quang Vinh", "scoring")
    other_card, other_name, other_total = orm(
        env,
        "from evaluation.models import Scorecard;"
        f"c = Scorecard.objects.get(dossier_id={dossier}, author__username='chutich.hanoi');"
        "print(c.pk, '|', c.author.get_full_name(), '|', c.total, sep='')",
    ).split("|")
    member = web("uv1.hanoi")
    page = member.get(f"/ho-so/{dossier}/")
    card = member.get(f"/ho-so/{dossier}/phieu/{other_card}/")
    result = member.get(f"/ho-so/{dossier}/ket-qua/")
    check(1, "draft member opens another member's card", 404, card.status, card.status == 404)
    check(
        1,
        "draft member's dossier page and change log name no other member",
        "no name",
        "named" if other_name in page.text else "no name",
        page.status == 200 and other_name not in page.text,
    )
    check(1, "draft member opens the result page", "404", result.status, result.status == 404)
    producer = web("sx.minhduong")
    undecided = dossier_id(env, "Bún khô Minh Dương", "result")
    answer = producer.get(f"/ho-so/{undecided}/ket-qua/")
    check(1, "producer opens an undecided result", 404, answer.status, answer.status == 404)
    del other_total


def point_2_drafts(env, web):
    draft = dossier_id(env, "Ngô ngọt Đông Anh", "draft")
    for username in ("vp.donganh", "uv1.donganh", "thanhtra.hanoi"):
        seen = [
            web(username).get(path).status
            for path in (f"/ho-so/{draft}/", f"/ho-so/{draft}/tu-danh-gia/")
        ]
        check(
            2,
            f"{username} opens an unfiled dossier and its self-assessment",
            "404, 404",
            seen,
            seen == [404, 404],
        )
    filed = dossier_id(env, "Cà chua bi Vân Nội", "checked")
    producer = web("sx.vannoi")
    tick = producer.post(f"/ho-so/{filed}/tu-danh-gia/luu/", {"criterion": "1", "option": "1"})
    paper = producer.post(
        f"/ho-so/{filed}/tai-lieu/",
        {"title": "Thêm"},
        files={"file": ("them.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )
    check(
        2,
        "producer changes the self-assessment of a filed dossier",
        409,
        tick.status,
        tick.status == 409,
    )
    check(2, "producer adds a paper to a filed dossier", 409, paper.status, paper.status == 409)


IMPORT_HEADER = [
    "Số đăng ký kinh doanh",
    "Tên chủ thể",
    "Loại hình chủ thể",
    "Mã xã/phường",
    "Mã huyện (trước 7/2025)",
    "Người đại diện",
    "Điện thoại",
    "Email",
    "Tên sản phẩm",
    "Bộ sản phẩm (1–26)",
    "Số sao",
    "Số giấy chứng nhận",
    "Ngày cấp (dd/mm/yyyy)",
    "Cấp công nhận",
]


def import_file(*rows) -> bytes:
    lines = [IMPORT_HEADER, *rows]
    text = "\r\n".join(",".join(f'"{v}"' for v in line) for line in lines)
    return b"\xef\xbb\xbf" + text.encode("utf-8")  # as Excel's "CSV UTF-8" saves it


def try_import(office, name, *rows):
    """Upload as the office does, and confirm if the preview offers it."""
    preview = office.post("/nhap-du-lieu/", files={"file": (name, import_file(*rows), "text/csv")})
    token = re.search(r'name="token" value="([0-9a-f]+)"', preview.text)
    if token:
        office.post("/nhap-du-lieu/xac-nhan/", {"token": token[1]})
    return preview, bool(token)


def point_3_import_trust(env, web):
    office = web("vp.donganh")  # a district office: it recognises 3 stars
    vannoi = orm(
        env,
        "from registry.models import Producer;"
        "p = Producer.objects.get(name='Hợp tác xã Rau an toàn Vân Nội');"
        "print(p.registration_number, p.commune.code, sep='|')",
    ).split("|")
    forged = [
        vannoi[0],
        "Hợp tác xã Rau an toàn Vân Nội",
        "Hợp tác xã",
        vannoi[1],
        "017",
        "Nguyễn Văn A",
        "",
        "",
        "Dưa lưới Thư Lâm",
        "1",
        "5",
        "OCOP-TW-GIA-1",
        "01/06/2023",
        "Trung ương",
    ]
    preview, offered = try_import(office, "gia-mao.csv", forged)
    verdict = web("vp.hanoi").get("/xac-thuc/OCOP-TW-GIA-1/")
    check(
        3,
        "district office imports a central 5★ certificate for a product being scored",
        "refused; the check says unknown",
        (offered, verdict.status),
        not offered and verdict.status == 404,
    )

    far = orm(
        env,
        "from registry.models import Producer;"
        "p = Producer.objects.get(name='Công ty TNHH Gốm sứ Quang Vinh');"
        "print(p.registration_number, p.commune.code, p.representative_name, p.phone,"
        " p.email, sep='|')",
    ).split("|")
    overwrite = [
        far[0],
        "Công ty TNHH Gốm sứ Quang Vinh",
        "Doanh nghiệp",
        "00454",
        "017",
        "Kẻ Mạo Danh",
        "0999 999 999",
        "mao.danh@example.vn",
        "Bình gốm mới",
        "17",
        "3",
        "OCOP-DA-GIA-2",
        "01/06/2023",
        "Cấp huyện",
    ]
    preview, offered = try_import(office, "ghi-de.csv", overwrite)
    after = orm(
        env,
        "from registry.models import Producer;"
        "p = Producer.objects.get(name='Công ty TNHH Gốm sứ Quang Vinh');"
        "print(p.registration_number, p.commune.code, p.representative_name, p.phone,"
        " p.email, sep='|')",
    ).split("|")
    check(
        3,
        "district office rewrites a producer of another district",
        "refused, unchanged",
        (offered, "unchanged" if after == far else after),
        not offered and after == far,
    )

    legacy = [
        "0109988776",
        "Hợp tác xã Mật ong Đông Anh",
        "Hợp tác xã",
        "00454",
        "017",
        "Lê Văn Bình",
        "0912 000 111",
        "",
        "Mật ong hoa nhãn Đông Anh",
        "1",
        "3",
        "ocop da lower 1",
        "15/12/2023",
        "Cấp huyện",
    ]
    preview, offered = try_import(office, "danh-sach-cu.csv", legacy)
    stored = orm(
        env,
        "from evaluation.models import Certificate;"
        "print(Certificate.objects.get(product__name='Mật ong hoa nhãn Đông Anh').number)",
    )
    verdict = web("vp.hanoi").get("/xac-thuc/ocop%20da%20lower%201/")
    check(
        3,
        "a district's own old 3★ certificate typed 'ocop da lower 1'",
        "imported, stored normalised, genuine at the check",
        (offered, stored, verdict.status),
        offered and verdict.status == 200 and "alert-success" in verdict.text,
    )


def hostile_files():
    """The files of the issue, built by the same code the tests use."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_site.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from PIL import Image

    from tests import pdfs
    from tests.imports.test_xlsx_bounds import inline, sheet, workbook

    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {2: (21.0, 2.0, 3.0), 1: "N"}  # GPS: where the photo was taken
    Image.new("RGB", (64, 48), (200, 120, 40)).save(photo, "JPEG", exif=exif.tobytes())
    bomb = workbook(
        sheet(
            f'<row r="1">{inline("A1", "Tên sản phẩm")}</row>'
            f'<row r="1048576">{inline("A1048576", "x")}</row>',
            dimension='<dimension ref="A1:XFD1048576"/>',
        )
    )
    return {
        "html": b"<html><body><script>alert(document.cookie)</script></body></html>",
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "hta": b'<HTA:APPLICATION ID="x"><script language="VBScript">CreateObject</script>',
        "pdf_js": pdfs.packed(pdfs.JAVASCRIPT),
        "polyglot": b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
        "jpeg": photo.getvalue() + b"<script>alert(1)</script>",
        "bomb": bomb,
    }


def worker_peak_kib(server) -> int:
    """The largest peak resident size (VmHWM) among gunicorn's workers."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status)[1]))
    return max(peaks)


def point_4_files(env, web, port, cert, server):
    files = hostile_files()
    producer = web("sx.vannoi")
    draft = dossier_id(env, "Ngô ngọt Đông Anh", "draft")
    count = (
        "from evaluation.models import DossierDocument;"
        f"print(DossierDocument.objects.filter(dossier_id={draft}).count())"
    )
    before = orm(env, count)
    for label, name, key, mime in (
        ("an HTML page named .pdf", "bao-cao.pdf", "html", "application/pdf"),
        ("an SVG with a script", "logo.svg", "svg", "image/svg+xml"),
        ("an HTA named .jpg", "anh.jpg", "hta", "image/jpeg"),
        (
            "a PDF whose JavaScript hides in a compressed object stream",
            "giay.pdf",
            "pdf_js",
            "application/pdf",
        ),
        ("a PDF/HTML polyglot", "ket-qua.pdf", "polyglot", "application/pdf"),
        ("a JPEG named .pdf", "phieu.pdf", "jpeg", "application/pdf"),
    ):
        producer.post(
            f"/ho-so/{draft}/tai-lieu/", {"title": label}, files={"file": (name, files[key], mime)}
        )
        after = orm(env, count)
        check(
            4,
            f"the producer uploads {label}",
            "refused, nothing stored",
            f"{int(after) - int(before)} stored",
            after == before,
        )
    producer.post(
        f"/ho-so/{draft}/tai-lieu/",
        {"title": "Ảnh sản phẩm có GPS"},
        files={"file": ("anh.jpg", files["jpeg"], "image/jpeg")},
    )
    document = orm(
        env,
        "from evaluation.models import DossierDocument;"
        f"print(DossierDocument.objects.filter(dossier_id={draft}).latest('pk').pk)",
    )
    download = producer.get(f"/ho-so/{draft}/tai-lieu/{document}/")
    check(
        4,
        "a JPEG with GPS data and a script appended, stored and downloaded",
        "re-encoded: no EXIF, no script; attachment, nosniff, private no-store",
        (
            download.status,
            b"Exif" in download.body,
            b"<script" in download.body,
            download.header("content-type"),
            download.header("content-disposition")[:10],
            download.header("x-content-type-options"),
            download.header("cache-control"),
        ),
        download.status == 200
        and b"Exif" not in download.body
        and b"<script" not in download.body
        and download.header("content-disposition").startswith("attachment")
        and download.header("x-content-type-options") == "nosniff"
        and "no-store" in download.header("cache-control")
        and "private" in download.header("cache-control"),
    )

    office = web("vp.donganh")
    peak_before = worker_peak_kib(server)
    started = time.monotonic()
    answer = office.post(
        "/nhap-du-lieu/", files={"file": ("danh-sach.xlsx", files["bomb"], "application/zip")}
    )
    seconds = time.monotonic() - started
    peak_after = worker_peak_kib(server)
    check(
        4,
        f"a {len(files['bomb'])}-byte XLSX declaring A1:XFD1048576",
        "refused in words, fast, workers' peak memory unchanged",
        f"{answer.status}, {seconds:.2f} s, peak {peak_before // 1024} → {peak_after // 1024} MiB",
        answer.status == 400  # the form, with the refusal in words
        and "XFD1048576" in answer.text
        and seconds < 2
        and peak_after - peak_before < 20 * 1024,
    )
    started = time.monotonic()
    status = producer.declare_body(f"/ho-so/{draft}/tai-lieu/", 13 * 1024 * 1024)
    check(
        4,
        "a request declaring a 13 MB body (64 KB of it sent)",
        "413 before the rest is read",
        f"{status} in {time.monotonic() - started:.2f} s",
        status == 413,
    )


def signed_in(answer) -> bool:
    return answer.status == 302 and "dang-nhap" not in answer.header("location")


def point_5_sign_in(port, cert):
    spray = Browser(port, cert, source="127.0.0.3")
    for n in range(20):
        spray.sign_in(f"khong-co-{n}", "sai-mat-khau")
    sprayed = Browser(port, cert, source="127.0.0.3").sign_in("vp.hanoi")
    check(
        5,
        "20 wrong names from one address, then a right one from it",
        "refused",
        "signed in" if signed_in(sprayed) else sprayed.status,
        not signed_in(sprayed),
    )
    for n in range(6):
        Browser(port, cert, source="127.0.0.4").sign_in("vp.hanoi", f"sai-{n}")
    elsewhere = Browser(port, cert, source="127.0.0.2").sign_in("vp.hanoi")
    check(
        5,
        "6 wrong passwords for vp.hanoi from outside; vp.hanoi from the office",
        "signed in",
        "signed in" if signed_in(elsewhere) else elsewhere.status,
        signed_in(elsewhere),
    )
    for n in range(6):
        spoof = {"X-Forwarded-For": f"10.9.{n}.1"}
        Browser(port, cert, source="127.0.0.5", headers=spoof).sign_in("thuky.hanoi", "sai")
    spoofed = Browser(port, cert, source="127.0.0.5", headers={"X-Forwarded-For": "10.9.99.1"})
    answer = spoofed.sign_in("thuky.hanoi")
    check(
        5,
        "a forged X-Forwarded-For does not reset the lock (no proxy trusted)",
        "refused",
        "signed in" if signed_in(answer) else answer.status,
        not signed_in(answer),
    )


def point_6_faults(env, web, anonymous, cache_dir, port, cert):
    missing = anonymous.get("/khong-co-trang-nay/")
    check(
        6,
        "a missing page",
        "404 in Vietnamese with the site's header and a way home",
        (missing.status, "Không tìm thấy" in missing.text, 'href="/"' in missing.text),
        missing.status == 404 and "Không tìm thấy" in missing.text and 'href="/"' in missing.text,
    )
    health = anonymous.get("/health/")
    check(6, "health URL", "200, all ok", (health.status, health.text), health.status == 200)
    official = web("vp.hanoi")
    official.get("/ho-so/")
    cluster = sh("pg_lsclusters", "--no-header", capture_output=True).stdout.split()
    sh("pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], cluster[1], "restart")
    after = official.get("/ho-so/")
    check(6, "first request after PostgreSQL restarted", 200, after.status, after.status == 200)

    number, pk = orm(
        env,
        "from evaluation.models import Certificate; from django.utils import timezone;"
        "c = Certificate.objects.current(timezone.localdate())"
        ".filter(level='province', unit__code='01')"
        ".select_related('product').first(); print(c.number, c.pk, sep='|')",
    ).split("|")
    name = orm(
        env,
        "from evaluation.models import Certificate;"
        f"print(Certificate.objects.get(pk={pk}).product.name)",
    )
    for _ in range(2):
        kept = anonymous.get(f"/xac-thuc/{number}/")
    sh("chattr", "+i", str(cache_dir))
    try:
        revoked = official.post(
            f"/giay-chung-nhan/{pk}/thu-hoi/",
            {"ground": "mark_misuse", "inspection_reference": "KL-12/2026 (trust check)"},
        )
        verdict = anonymous.get(f"/xac-thuc/{number}/")
        health = anonymous.get("/health/")
        recorded = orm(
            env,
            "from evaluation.models import Certificate;"
            f"print(Certificate.objects.get(pk={pk}).revoked_on)",
        )
    finally:
        sh("chattr", "-i", str(cache_dir))
    check(
        6,
        "health URL while the cache folder is read-only",
        "503 naming the cache",
        (health.status, health.text[:70]),
        health.status == 503 and '"cache": "failed' in health.text,
    )
    check(
        6,
        f"revoking {number} ({name}) while the cache folder is read-only",
        "recorded, and the check says revoked at once",
        (
            revoked.status,
            recorded,
            kept.header("x-page-cache"),
            verdict.header("x-page-cache"),
            "alert-danger" in verdict.text,
        ),
        revoked.status == 302 and recorded != "None" and "alert-danger" in verdict.text,
    )


def point_7_smaller_holes(env, web, anonymous, port, cert):
    number = orm(
        env,
        "from evaluation.models import Certificate; from django.utils import timezone;"
        "print(Certificate.objects.current(timezone.localdate()).last().number)",
    )
    visitor = Browser(port, cert, source="127.0.0.6")
    statuses = [visitor.get(f"/xac-thuc/{number}/giay-chung-nhan.pdf").status for _ in range(21)]
    check(
        7,
        "21 certificate PDFs a minute from one anonymous address",
        "20 × 200 then 429",
        f"{statuses.count(200)} × 200, last {statuses[-1]}",
        statuses[:20] == [200] * 20 and statuses[-1] == 429,
    )
    page = web("vp.hanoi").get("/ho-so/")
    control = page.header("cache-control")
    check(
        7,
        "a signed-in page's Cache-Control",
        "private, no-store",
        control,
        "no-store" in control and "private" in control,
    )


# ------------------------------------------------------------------ the run
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", metavar="DATABASE_URL", help="skip preparing the data")
    reused = parser.parse_args().reuse
    if os.geteuid() != 0:
        raise SystemExit("Run as root: it restarts PostgreSQL and makes a folder immutable.")
    work = Path(tempfile.mkdtemp(prefix="ocop-trust-"))
    port = free_port()
    cert, key = tls_certificate(work)
    env = {
        **os.environ,
        "DATABASE_URL": reused or scratch_database(),
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://localhost:{port}",
        "CACHE_DIR": str(work / "cache"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "STATIC_ROOT": str(work / "static"),
        "SECURE_HSTS_SECONDS": "0",
        "TRUSTED_PROXY_COUNT": "0",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "ERROR",
    }
    if not reused:  # --reuse URL while writing a check: the data as the last run left it
        print(f"Preparing {env['DATABASE_URL']} with the demo data…", flush=True)
        prepare(env)
    else:
        for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            sh(PY, "manage.py", *step, env=env, capture_output=True)
    (work / "cache").mkdir(exist_ok=True)
    server = serve(env, port, cert, key, work / "gunicorn.log")
    print(f"gunicorn (DEBUG=False, TLS) on https://localhost:{port}; log in {work}", flush=True)

    def web(username):
        browser = Browser(port, cert, source="127.0.0.2")
        answer = browser.sign_in(username)
        if not signed_in(answer):
            raise SystemExit(f"{username} could not sign in ({answer.status})")
        return browser

    anonymous = Browser(port, cert, source="127.0.0.7")
    try:
        point_1_independent_scoring(env, web)
        point_2_drafts(env, web)
        point_3_import_trust(env, web)
        point_4_files(env, web, port, cert, server)
        point_5_sign_in(port, cert)
        point_6_faults(env, web, anonymous, work / "cache", port, cert)
        point_7_smaller_holes(env, web, anonymous, port, cert)
    finally:
        server.terminate()
        server.wait(10)
    failed = [r for r in RESULTS if not r[-1]]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} checks held.")
    if failed:
        print(f"gunicorn's log: {work / 'gunicorn.log'}")
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
