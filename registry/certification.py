"""Certificates for products that come with a star already: demo and test data.

Real certificates are issued by evaluation.decisions; products loaded from before the
system (or generated for demos) get a certificate row here so that every public
product rests on one.
"""

from datetime import date

from evaluation.certificates import expiry_date


def legacy_certificate(product, *, issued_on: date, number: str, level=None, unit=None):
    from evaluation.models import Certificate

    level = level or ("district" if product.stars == 3 else "province")
    return Certificate(
        number=number,
        product=product,
        level=level,
        unit=unit,
        stars=product.stars,
        issued_on=issued_on,
        expires_on=expiry_date(issued_on),
    )
