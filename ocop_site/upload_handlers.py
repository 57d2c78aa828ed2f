"""The bound on a request's uploaded bytes while they are read (settings.MAX_REQUEST_BYTES).

ocop_site.middleware.limit_request_size refuses a request whose Content-Length is over the
limit before a byte is read. Under WSGI, Django reads no more than Content-Length and reads
nothing of a body sent without one (chunked), so that is the whole bound there; this
handler, first in FILE_UPLOAD_HANDLERS, is the bound that does not depend on it (an ASGI
server, a proxy that rewrites the header): it counts the file bytes as the multipart parser
hands them on and stops the request once they pass the limit, before the next handler
writes more of them to a temporary file.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestTooLarge(RequestDataTooBig):
    """More bytes than MAX_REQUEST_BYTES. The middleware answers 413; anywhere else it is
    Django's RequestDataTooBig, a 400."""


class RequestSizeLimit(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_REQUEST_BYTES:
            raise RequestTooLarge(f"More than {settings.MAX_REQUEST_BYTES} bytes of files.")
        return raw_data

    def file_complete(self, file_size):
        return None
