"""Workers as the site runs them: separate processes sharing one database, on SQLite and,
in a PostgreSQL run, on PostgreSQL. A job queued by one process runs in a worker; a worker
killed in the middle of a job leaves it to the next worker; the daily scan, enqueued by
several processes at the same moment, runs once."""

import concurrent.futures
import http.cookiejar
import re
import signal
import time
import urllib.parse
import urllib.request

from django.conf import settings

from tests.system.jobs.conftest import free_port, wait_for

ENQUEUE_NOTE = """
from tests.jobs import tasks
report(tasks.note.enqueue({path!r}, "từ tiến trình khác").id)
"""


def lines(path):
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_a_job_queued_by_one_process_runs_in_a_worker_process(site, tmp_path):
    trace = tmp_path / "trace.txt"
    site.python(ENQUEUE_NOTE.format(path=str(trace)))
    site.start_worker()
    wait_for(lambda: lines(trace), what="the worker to run the job")
    assert lines(trace) == ["từ tiến trình khác"]
    wait_for(lambda: site.jobs("tests.jobs.tasks.note")[0]["status"] == "SUCCESSFUL")


def test_a_worker_killed_mid_job_leaves_it_to_the_next_worker(site, tmp_path):
    trace = tmp_path / "trace.txt"
    site.python(
        f"""
from tests.jobs import tasks
tasks.slow_first_time.enqueue({str(trace)!r}, 300)
"""
    )
    first = site.start_worker()
    wait_for(lambda: lines(trace), what="the first worker to start the job")
    first.send_signal(signal.SIGKILL)  # no clean-up of any kind
    first.wait()
    [running] = site.jobs("tests.jobs.tasks.slow_first_time")
    assert running["status"] == "RUNNING" and len(running["workers"]) == 1

    site.start_worker()
    wait_for(
        lambda: site.jobs("tests.jobs.tasks.slow_first_time")[0]["status"] == "SUCCESSFUL",
        seconds=90,
        what="the next worker to rescue and finish the job",
    )
    [done] = site.jobs("tests.jobs.tasks.slow_first_time")
    assert len(done["workers"]) == 2 and done["workers"][0] != done["workers"][1]
    started = [line for line in lines(trace) if line.startswith("started")]
    assert len(started) == 2 and started[0] != started[1]  # two processes, in turn
    assert lines(trace)[-1].split()[1] == started[1].split()[1]  # finished by the second


def test_the_daily_scan_enqueued_by_several_processes_at_once_runs_once(site):
    # Four processes wait for the same instant, then each enqueues today's daily jobs,
    # as a worker's schedule does on each machine; two workers' schedules join in too.
    start = time.time() + 4
    racer = f"""
import time
from jobs import schedule
time.sleep(max(0, {start} - time.time()))
report(schedule.enqueue_due(any_hour=True))
"""
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _: site.python(racer), range(4)))
    site.start_worker(DAILY_JOBS_HOUR="0")
    site.start_worker(DAILY_JOBS_HOUR="0")
    # Each daily job (settings.DAILY_JOBS) was enqueued by exactly one process: each has
    # its own once-a-day key, so two processes may each win one of them.
    enqueued = [key for report in reports for key in report]
    assert len(enqueued) == len(set(enqueued)) == len(settings.DAILY_JOBS)
    wait_for(lambda: site.jobs("jobs.tasks.daily_scan")[0]["status"] == "SUCCESSFUL")
    time.sleep(2)  # both workers' schedules have ticked by now
    [scan] = site.jobs("jobs.tasks.daily_scan")
    assert scan["status"] == "SUCCESSFUL" and len(scan["workers"]) == 1
    wait_for(
        lambda: site.jobs("notifications.scan.daily_notifications")[0]["status"] == "SUCCESSFUL"
    )
    assert len(site.jobs("notifications.scan.daily_notifications")) == 1


def test_a_reset_asked_over_http_is_mailed_by_a_worker_process(site, smtp_server):
    site.python(
        """
from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.filter(username="sx.vannoi").delete()
User.objects.create_user("sx.vannoi", "hoa@htxvannoi.vn", "mat-khau-cu-2026")
"""
    )
    mail = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_server.port)}
    base = f"http://127.0.0.1:{free_port()}"
    site.start("runserver", "--noreload", base.removeprefix("http://"), **mail)
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def form_page():
        try:
            return browser.open(f"{base}/tai-khoan/quen-mat-khau/", timeout=5).read().decode()
        except OSError:
            return None

    page = wait_for(form_page, what="the development server")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": "hoa@htxvannoi.vn"})
    answer = browser.open(f"{base}/tai-khoan/quen-mat-khau/", body.encode(), timeout=30)
    assert answer.url == f"{base}/tai-khoan/quen-mat-khau/da-gui/"
    time.sleep(1)
    assert smtp_server.messages == []  # the request only queued the job

    site.start_worker(**mail)
    [received] = wait_for(lambda: smtp_server.messages, what="the worker to send the mail")
    assert received.envelope_to == ["hoa@htxvannoi.vn"]
    assert f"{base}/tai-khoan/dat-lai-mat-khau/" in received.get_content()
    [job] = site.jobs("accounts.mails.send_password_reset")
    assert job["status"] == "SUCCESSFUL"
