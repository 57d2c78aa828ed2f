from django.http import HttpResponse


def ping(request):
    """The bare Django view: no database, no template. `make bench` measures every page
    against it, as the ceiling of this stack on this machine."""
    return HttpResponse("ok", content_type="text/plain")
