"""The one way the import says no: a sentence saying why and what to do."""


class FileRefused(Exception):
    """The file cannot be read as an import; the message says why and what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
