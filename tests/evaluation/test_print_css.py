"""The stylesheet every PDF paper is made with (evaluation.papers.print_css) is one
WeasyPrint reads whole: a rule it cannot parse is dropped with a warning in the logs and
its layout silently lost on paper."""

import logging

from evaluation.papers import print_css


def test_weasyprint_reads_the_papers_stylesheet_without_a_warning(caplog):
    from weasyprint import HTML

    html = (
        f'<html><head><style>{print_css()}</style></head><body class="paper"><p>x</p></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert [record.getMessage() for record in caplog.records] == []
