from django.urls import path

from evaluation.models import Scorecard
from evaluation.views import (
    certificates,
    council_papers,
    decisions,
    dossiers,
    evidence,
    filing,
    reports,
    results,
    scorecards,
    statistics,
    todo,
    verification,
)

app_name = "evaluation"
SELF = {"kind": Scorecard.Kind.SELF}
urlpatterns = [
    path("viec-can-lam/", todo.todo_list, name="todo"),
    path("ho-so/", dossiers.dossier_list, name="dossiers"),
    path("ho-so/moi/", filing.dossier_start, name="start"),
    path("ho-so/<int:pk>/nop/", filing.dossier_file, name="file"),
    path("ho-so/<int:pk>/", dossiers.dossier_detail, name="dossier"),
    path("ho-so/<int:pk>/trang-thai/", dossiers.dossier_transition, name="transition"),
    # A decision's confirmation: cong-nhan, chuyen-len, khong-cong-nhan (views.decisions).
    path("ho-so/<int:pk>/quyet-dinh/<slug:action>/", decisions.decision_confirm, name="decide"),
    path("ho-so/<int:pk>/xung-dot/", dossiers.declare_conflict, name="conflict"),
    path("ho-so/<int:pk>/tai-lieu/", dossiers.upload_document, name="upload"),
    path("ho-so/<int:pk>/tai-lieu/<int:document_pk>/", dossiers.document_download, name="document"),
    path(
        "ho-so/<int:pk>/tai-lieu/<int:document_pk>/xoa/",
        filing.document_remove,
        name="document_remove",
    ),
    path(
        "ho-so/<int:pk>/tai-lieu/<int:document_pk>/thay/",
        filing.document_replace,
        name="document_replace",
    ),
    path("ho-so/<int:pk>/phieu/", scorecards.scorecard_edit, name="scorecard"),
    path("ho-so/<int:pk>/phieu/luu/", scorecards.scorecard_autosave, name="autosave"),
    path("ho-so/<int:pk>/phieu/nop/", scorecards.scorecard_submit, name="submit"),
    path("ho-so/<int:pk>/phieu/<int:card_pk>/", scorecards.scorecard_view, name="card"),
    path("ho-so/<int:pk>/phieu/<int:card_pk>/mo-lai/", scorecards.scorecard_reopen, name="reopen"),
    path("ho-so/<int:pk>/tu-danh-gia/", scorecards.scorecard_edit, SELF, name="self"),
    path(
        "ho-so/<int:pk>/tu-danh-gia/luu/", scorecards.scorecard_autosave, SELF, name="self_autosave"
    ),
    path("ho-so/<int:pk>/tu-danh-gia/nop/", scorecards.scorecard_submit, SELF, name="self_submit"),
    path("ho-so/<int:pk>/ket-qua/", results.result_detail, name="result"),
    path("ho-so/<int:pk>/ket-qua/bien-ban.pdf", council_papers.minutes_pdf, name="minutes_pdf"),
    path("ho-so/<int:pk>/phieu/<int:card_pk>/in.pdf", council_papers.card_pdf, name="card_pdf"),
    path("hoi-dong/<int:pk>/thanh-vien/", council_papers.council_standing, name="council_standing"),
    path("huong-dan/cham-diem/", results.scoring_help, name="help"),
    path("xac-thuc/", verification.verify_form, name="verify_form"),
    # A suspected fake reported by a visitor, and the reports an office reads (views.reports).
    path("bao-cao-gia-mao/", reports.report_form, name="report"),
    path("bao-cao-gia-mao/nhan/", reports.report_list, name="reports"),
    path("bao-cao-gia-mao/nhan/<int:pk>/", reports.report_detail, name="report_detail"),
    # <path:…>, not <str:…>: numbers carried over from paper often hold a slash
    # ("12/QĐ-UBND"), and a str part cannot, so such a certificate had no page and any link
    # to it (the product page, the check form's redirect) was a NoReverseMatch: a 500.
    path("xac-thuc/<path:number>/", verification.verify, name="verify"),
    path("xac-thuc/<path:number>/qr.svg", verification.verify_qr, name="verify_qr"),
    path(
        "xac-thuc/<path:number>/giay-chung-nhan.pdf",
        verification.certificate_pdf,
        name="certificate_pdf",
    ),
    path("thong-ke/", statistics.public_statistics, name="statistics"),
    path("thong-ke/can-bo/", statistics.official_statistics, name="official_statistics"),
    path("thong-ke/<slug:key>.csv", statistics.statistics_csv, name="statistics_csv"),
    path("thong-ke/<slug:key>.xlsx", statistics.statistics_xlsx, name="statistics_xlsx"),
    path("minh-chung/<int:pk>/", evidence.evidence_download, name="evidence"),
    path("giay-chung-nhan/", certificates.certificate_list, name="certificates"),
    path("giay-chung-nhan/in.pdf", certificates.certificates_pdf, name="certificates_pdf"),
    path("giay-chung-nhan/<int:pk>/thu-hoi/", certificates.certificate_revoke, name="revoke"),
    path("giay-chung-nhan/can-danh-gia-lai/", certificates.reevaluation_list, name="reevaluation"),
    path("quyet-dinh/", decisions.decision_list, name="decisions"),
    path("quyet-dinh/<int:pk>/", decisions.decision_detail, name="decision"),
    path("quyet-dinh/<int:pk>/quyet-dinh.pdf", decisions.decision_pdf, name="decision_pdf"),
]
