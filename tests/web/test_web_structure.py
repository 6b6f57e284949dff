"""The web layer's modules import each other in one direction (no cycle, not even a late
import), and errors are rendered by one path that needs no page module."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

WEB = Path(__file__).resolve().parents[2] / "src" / "allies" / "web"


def imports(path: Path) -> set[str]:
    """The sibling web modules `path` imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
    return out & {p.stem for p in WEB.glob("*.py")}


def test_no_import_cycles_in_web() -> None:
    graph = {p.stem: imports(p) for p in WEB.glob("*.py") if p.stem != "__init__"}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != 1, f"import cycle: {' -> '.join([*path, node, nxt])}"
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [])
    assert "pages" not in graph["errors"] and "api" not in graph["pages"]


def test_error_path_needs_no_page_module(ledger: Any) -> None:
    """An app with no page or API route at all still renders the error page and the JSON
    error, through errors.py and the site alone."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException

    from allies.errors import AlliesError
    from allies.web.errors import allies_error, http_exception
    from allies.web.site import Site

    assert not imports(WEB / "errors.py") & {"pages", "api", "app"}
    app = Starlette(routes=[], exception_handlers={HTTPException: http_exception,
                                                   AlliesError: allies_error})
    app.state.site = Site(ledger)
    with TestClient(app) as c:
        r = c.get("/nowhere")
        assert r.status_code == 404 and "<h1>404 · Not found</h1>" in r.text
        assert c.get("/api/nowhere").json()["status"] == 404


def test_error_page_is_rendered_by_the_site(client: Any) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "<h1>404 · Not found</h1>" in r.text
    assert '<form class="search"' in r.text  # the full page: the site's base template
