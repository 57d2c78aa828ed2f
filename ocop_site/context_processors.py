from django.conf import settings
from django.utils.translation import get_language


def agency(request):
    """The agency named in every page's footer (settings AGENCY_*), in the page's
    language: no query, so the kept public pages and the catalogue's query counts are
    untouched."""
    english = get_language() == "en"
    return {
        "agency": {
            "name": (english and settings.AGENCY_NAME_EN) or settings.AGENCY_NAME,
            "address": (english and settings.AGENCY_ADDRESS_EN) or settings.AGENCY_ADDRESS,
            "phone": settings.AGENCY_PHONE,
            "email": settings.AGENCY_EMAIL,
        }
    }
