"""The layout rules of docs/architecture.md, read from the source with ast, so the next change
that breaks one fails here instead of in a reviewer's head."""

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("works", "notices", "profiles", "graph")
# Which other apps each app may import (bzpeer, the project package, is open to all).
MAY_IMPORT = {
    "works": set(),
    "notices": set(),
    "profiles": {"works", "notices"},
    "graph": {"works", "profiles"},
}
# The read API (bzpeer/api/) sits on top of every app; the rest of the project package is
# plumbing the apps import (actions, errors, htmx, mail, compiled, ...) and imports no app.
TOP = "bzpeer.api"
# Layers inside an app: a module of the left kind never imports one of the right kinds.
NEVER_UPWARD = {
    "models": ("selectors", "services", "views", "tasks", "panels"),
    "selectors": ("services", "views", "tasks", "panels"),
    "services": ("views",),
    "tasks": ("views", "panels"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    modules = {}
    for app in (*APPS, "bzpeer"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[_module_name(path)] = path
    return modules


SOURCES = _sources()


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import, nested ones included;
    relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [alias.name for alias in node.names]
            # "from profiles.views import claims" imports the module profiles.views.claims.
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in SOURCES]
            found.append((base, [n for n in names if f"{base}.{n}" not in SOURCES], node.lineno))
            found += [(sub, [], node.lineno) for sub in submodules]
    return found


IMPORTS = {module: _imports(module, path) for module, path in SOURCES.items()}


def _app(module: str) -> str:
    return module.split(".")[0]


def _kind(module: str) -> str | None:
    """The layer of a module: "selectors" for graph.selectors and profiles.selectors.claims
    alike; None for the rest (forms, urls, admin, importer, ...)."""
    for part in module.split(".")[1:]:
        if part in (*NEVER_UPWARD, "views", "panels"):
            return part
    return None


def test_the_rules_read_every_app():
    for app in APPS:
        assert any(_app(m) == app for m in SOURCES), app
    assert "profiles.selectors.claims" in SOURCES and "profiles.views.researcher" in SOURCES
    # The parser sees both absolute and package-relative imports.
    assert ("bzpeer.admin", ["StaffReadOnlyAdmin"]) in [
        (target, names) for target, names, _ in IMPORTS["profiles.admin"]
    ]
    assert any(target == "works.models" for target, _, _ in IMPORTS["works.admin"])


Imports = dict[str, list[tuple[str, list[str], int]]]


def _on_top(module: str) -> bool:
    return module == TOP or module.startswith(f"{TOP}.")


def upward_app_imports(imports: Imports) -> list[str]:
    return [
        f"{module}:{line} imports {target}"
        for module, found in imports.items()
        for target, _, line in found
        if (
            _app(target) in APPS
            and _app(target) != _app(module)
            and _app(target) not in MAY_IMPORT.get(_app(module), set())
            and not _on_top(module)
        )
        or (_on_top(target) and not _on_top(module))
    ]


def graph_reads_of_profiles_beyond_selectors(imports: Imports) -> list[str]:
    return [
        f"{module}:{line} imports {target}"
        for module, found in imports.items()
        if _app(module) == "graph"
        for target, _, line in found
        if _app(target) == "profiles"
        and not (target == "profiles.models" or target.startswith("profiles.selectors"))
    ]


def upward_layer_imports(imports: Imports) -> list[str]:
    return [
        f"{module}:{line} ({kind}) imports {target}"
        for module, found in imports.items()
        if (kind := _kind(module)) in NEVER_UPWARD
        for target, _, line in found
        if _app(target) in APPS and _kind(target) in NEVER_UPWARD[kind]
    ]


def private_names_taken(imports: Imports) -> list[str]:
    return [
        f"{module}:{line} takes {name} from {target}"
        for module, found in imports.items()
        for target, names, line in found
        if _app(target) in (*APPS, "bzpeer")
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]


def import_cycles(imports: Imports) -> list[list[str]]:
    graph = nx.DiGraph()
    for module, found in imports.items():
        for target, _, _ in found:
            # Edges between modules; a package's __init__ is only a folder here.
            if target in SOURCES and target != module and SOURCES[target].name != "__init__.py":
                graph.add_edge(module, target)
    return sorted(nx.simple_cycles(graph))


RULES = [
    upward_app_imports,
    graph_reads_of_profiles_beyond_selectors,
    upward_layer_imports,
    private_names_taken,
    import_cycles,
]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_the_code_keeps_the_rule(rule):
    assert rule(IMPORTS) == []


@pytest.mark.parametrize(
    ("rule", "imports"),
    [
        (upward_app_imports, {"works.selectors": [("profiles.models", ["Claim"], 3)]}),
        (upward_app_imports, {"notices.services": [("works.models", ["Author"], 3)]}),
        (upward_app_imports, {"profiles.selectors.claims": [("graph.models", [], 3)]}),
        # Only the read API sits on top; plumbing imports no app, and no app imports the API.
        (upward_app_imports, {"bzpeer.compiled": [("works.models", ["Author"], 3)]}),
        (upward_app_imports, {"profiles.views.search": [("bzpeer.api.lists", [], 3)]}),
        (
            graph_reads_of_profiles_beyond_selectors,
            {"graph.views": [("profiles.services.claims", ["claim_request"], 3)]},
        ),
        (upward_layer_imports, {"profiles.selectors.owner": [("profiles.services.owner", [], 3)]}),
        (upward_layer_imports, {"graph.selectors": [("graph.panels", [], 3)]}),
        (private_names_taken, {"graph.views": [("profiles.views.researcher", ["_page"], 3)]}),
        (
            import_cycles,
            {
                "graph.services": [("graph.tasks", [], 1)],
                "graph.tasks": [("graph.services", [], 1)],
            },
        ),
    ],
)
def test_each_rule_catches_what_it_forbids(rule, imports):
    assert rule(imports) != []


def test_no_profiles_module_grows_past_400_lines():
    long = {
        module: n
        for module, path in SOURCES.items()
        if _app(module) == "profiles" and (n := len(path.read_text().splitlines())) > 400
    }
    assert long == {}
