"""What the API answers a browser: JSON, whatever its Accept header says.

The API speaks JSON (and CSV on the lists, with ?format=csv). People read it through the
documentation page (`/api/docs/`, in the site's look, both languages, Swagger UI served
from this site); DRF's browsable pages are not offered: they fell short of the site's
accessibility (no page language, an unnamed button, low contrast) and needed inline
styles in the Content-Security-Policy. A client that asks for a type the API does not
speak by its Accept header (text/html alone, XML, nothing) gets JSON rather than a 406;
one that names an unknown ?format= still gets DRF's 404.
"""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class JSONUnlessAskedOtherwise(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            if format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE):
                raise
            return renderers[0], renderers[0].media_type
