import pytest


@pytest.fixture
def trace(tmp_path):
    """A file a test job writes to, and a reader of its lines."""
    path = tmp_path / "trace.txt"

    class Trace:
        name = str(path)

        @staticmethod
        def lines():
            return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    return Trace()
