from django.core.mail import EmailMessage

from jobs.queue import job


@job(attempts=3, backoff_seconds=1)
def daily_reminder(day: str) -> int:
    """A daily reminder as the notifications app's are: one mail per recipient per day."""
    return EmailMessage(
        subject=f"Nhắc việc ngày {day}",
        body="Hồ sơ chờ chấm điểm.",
        to=["thuky.hoaiduc@example.vn"],
    ).send()
