"""An administrator invites a person by e-mail with a role: the account is made without a
password, the role given, and the mail (sent by a job, through SMTP here) carries the
username, the role in the invitee's language and a one-time link to set the password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import language_of
from evaluation.models import CouncilMembership, OfficialRole
from invitations.forms import username_from
from tests.factories import ProducerFactory, district, make_council, make_user, province

pytestmark = pytest.mark.django_db
URL = "/admin/auth/user/invite/"
User = get_user_model()


@pytest.fixture
def admin_client(as_user):
    return as_user(make_user("quantri", full_name="Phạm Quản Trị", superuser=True))


def invite(client, **fields):
    data = {"email": "hoa@htxvannoi.vn", "full_name": "Nguyễn Thị Hoà", "language": "vi"}
    return client.post(URL, {**data, **fields})


def test_the_user_list_offers_the_invitation_to_superusers(admin_client, as_user):
    page = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert f'href="{URL}"' in page and "Mời người dùng" in page
    staff = make_user("canbo", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_user"))
    assert as_user(staff).get(URL)["Location"] == reverse("admin:index")


def test_a_producers_account_is_invited_and_sets_its_password(
    admin_client, client, send_by_smtp, run_jobs, settings
):
    settings.SITE_URL = "https://ocop.hanoi.gov.vn"
    producer = ProducerFactory(name="HTX Rau an toàn Vân Nội")
    response = invite(admin_client, role="producer", producer=producer.pk, username="sx.vannoi")
    account = User.objects.get(username="sx.vannoi")
    assert response["Location"] == reverse("admin:auth_user_change", args=[account.pk])
    assert not account.has_usable_password() and account.is_active
    assert (account.first_name, account.last_name) == ("Nguyễn Thị", "Hoà")
    assert list(account.producers.all()) == [producer]
    run_jobs()
    [mail] = send_by_smtp.messages
    assert mail["To"] == "hoa@htxvannoi.vn"
    assert mail["Subject"].strip() == "Tài khoản của bạn trên hệ thống OCOP"
    text = mail.get_content()
    assert "Chào Nguyễn Thị Hoà," in text
    assert "Phạm Quản Trị đã mở một tài khoản cho bạn" in text
    assert "tài khoản của HTX Rau an toàn Vân Nội" in text
    assert "Tên đăng nhập của bạn: sx.vannoi" in text
    [link] = re.findall(r"https://ocop\.hanoi\.gov\.vn(/tai-khoan/loi-moi/\S+)", text)

    form_url = client.get(link)["Location"]
    client.post(
        form_url, {"new_password1": "Rau-Van-Noi-2027", "new_password2": "Rau-Van-Noi-2027"}
    )
    signed_in = client.post(
        reverse("login"), {"username": "sx.vannoi", "password": "Rau-Van-Noi-2027"}
    )
    assert signed_in.status_code == 302


def test_an_office_of_a_district_is_invited(admin_client, run_jobs, mailoutbox):
    dong_anh = district("017")
    invite(
        admin_client, email="vp@donganh.gov.vn", role="office", level="district", unit=dong_anh.pk
    )
    account = User.objects.get(email="vp@donganh.gov.vn")
    role = OfficialRole.objects.get(user=account)
    assert (role.kind, role.level, role.unit) == ("office", "district", dong_anh)
    run_jobs()
    assert "Cơ quan quyết định công nhận — Huyện, Huyện Đông Anh" in mailoutbox[0].body


def test_a_council_member_is_invited_in_english(admin_client, run_jobs, mailoutbox):
    council, _people = make_council()
    invite(
        admin_client,
        email="expert@example.com",
        full_name="John Smith",
        language="en",
        role="council",
        council=council.pk,
        council_role="member",
    )
    account = User.objects.get(email="expert@example.com")
    assert CouncilMembership.objects.get(user=account).role == "member"
    assert language_of(account) == "en"
    run_jobs()
    [mail] = mailoutbox
    assert mail.subject == "Your account on the OCOP registry"
    assert f"With it you act as: Member — {council.name}." in mail.body
    assert "/en/tai-khoan/loi-moi/" in mail.body


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"role": "producer"}, "producer", "Cần cho vai trò này."),
        ({"role": "office", "level": "district"}, "unit", "Cần cho cấp này."),
        (
            {"role": "office", "level": "province", "unit": "district:017"},
            "unit",
            "không thuộc cấp",
        ),
        ({"role": "council", "council_role": "member"}, "council", "Cần cho vai trò này."),
    ],
)
def test_a_role_without_what_it_needs_is_refused(admin_client, fields, field, message):
    if fields.get("unit") == "district:017":
        fields = {**fields, "unit": district("017").pk}
    response = invite(admin_client, **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(email="hoa@htxvannoi.vn").exists()
    assert DBTaskResult.objects.count() == 0


def test_an_address_already_used_is_refused_with_its_account(admin_client):
    User.objects.filter(pk=make_user("sx.cu").pk).update(email="Hoa@HTXVanNoi.vn")
    response = invite(admin_client, role="none")
    assert "sx.cu" in " ".join(response.context["form"].errors["email"])


def test_a_username_is_made_from_the_address_when_left_empty(admin_client):
    make_user("hoa")
    invite(admin_client, role="none")
    assert User.objects.get(email="hoa@htxvannoi.vn").username == "hoa2"
    assert username_from("Nguyen.Hoa+ocop@x.vn") == "nguyen.hoa"


def test_the_central_level_takes_no_unit(admin_client):
    response = invite(admin_client, role="inspector", level="central", unit=province("01").pk)
    assert "Cấp trung ương không có đơn vị hành chính." in response.content.decode()
    invite(admin_client, role="inspector", level="central")
    assert OfficialRole.objects.get().unit is None


def test_the_invitation_is_sent_again_only_to_accounts_without_a_password(
    admin_client, run_jobs, mailoutbox
):
    waiting = make_user("cho.moi")
    has_password = make_user("da.co", password="mat-khau-2026")
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "send_invitation_again", "_selected_action": [waiting.pk, has_password.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã xếp hàng gửi 1 thư mời." in page and "Bỏ qua 1 tài khoản" in page
    run_jobs()
    assert [m.to for m in mailoutbox] == [["cho.moi@example.vn"]]
