from django.conf import settings


def agency(request):
    """The agency named in every page's footer (settings AGENCY_*): no query, so the
    kept public pages and the catalogue's query counts are untouched."""
    return {
        "agency": {
            "name": settings.AGENCY_NAME,
            "address": settings.AGENCY_ADDRESS,
            "phone": settings.AGENCY_PHONE,
            "email": settings.AGENCY_EMAIL,
        }
    }
