"""Site-wide response headers that Django does not set itself."""

from django.conf import settings


def permissions_policy(get_response):
    """Switch off browser features no page of this site uses (camera, location, …),
    so an injected script could not ask for them either."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
