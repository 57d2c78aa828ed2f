"""What a worker keeps for itself between requests is bounded (issue 17: a worker's
memory stays under 150 MiB after `make bench`, any per-worker store bounded).

A function cache without a size (functools.cache, lru_cache(maxsize=None)) on a function
that takes arguments grows with every new argument for the life of the worker: a QR code
per certificate address, a page per query string. Read from the source, so a new one
fails here rather than in a server's memory weeks later.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "tests", "node_modules", "var", "static", "staticfiles", "media"}


def project_files():
    for path in ROOT.rglob("*.py"):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def _name(node) -> str:
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _unsized(keyword) -> bool:
    value = keyword.value
    return keyword.arg == "maxsize" and isinstance(value, ast.Constant) and value.value is None


def unbounded_caches(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        takes = [a.arg for a in node.args.args + node.args.kwonlyargs if a.arg not in ("self",)]
        if not takes and not node.args.vararg and not node.args.kwarg:
            continue  # one entry at most
        for decorator in node.decorator_list:
            name = _name(decorator)
            if name == "cache" or (
                name == "lru_cache"
                and isinstance(decorator, ast.Call)
                and any(_unsized(k) for k in decorator.keywords)
            ):
                found.append(f"{node.name} (line {node.lineno})")
    return found


def test_the_check_finds_an_unbounded_cache():
    source = (
        "import functools\n"
        "@functools.cache\ndef a(x): ...\n"
        "@functools.lru_cache(maxsize=None)\ndef b(x): ...\n"
        "@functools.lru_cache(maxsize=64)\ndef c(x): ...\n"
        "@functools.cache\ndef d(): ...\n"
    )
    assert [f.split()[0] for f in unbounded_caches(source)] == ["a", "b"]


def test_no_worker_keeps_an_unbounded_cache():
    found = {
        str(path.relative_to(ROOT)): hits
        for path in project_files()
        if (hits := unbounded_caches(path.read_text(encoding="utf-8")))
    }
    assert found == {}
