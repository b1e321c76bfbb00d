"""The import layering of STYLE.md: a module imports only from layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

# Lowest first. A module may import modules of its own layer or of layers before it.
LAYERS: list[set[str]] = [
    {"errors", "output", "platforms", "slugs", "dates", "digests", "parallel", "options",
     "counting", "recall", "colours", "png", "fontcmap", "glyphs", "locales", "qrsymbol",
     "qrencode", "records"},
    {"yamlread", "model", "urls", "snippets", "cards", "qrcodes", "live", "liveheading", "ics",
     "campaign"},
    {"config"},
    {"content", "sanitize"},
    {"frontmatter", "markup", "shortcuts", "typography", "converting"},
    {"cache", "freshness"},
    {"reading", "bodies", "assemble", "livefile", "campaignfile", "campaignsite"},
    {"views", "feeds", "theme", "listing", "relays", "visuals", "liveviews", "liverender",
     "siteinfo", "campaignviews", "campaignrender", "postdigests"},
    {"render"},
    {"write", "outputcheck"},
    {"pipeline"},
    {"build", "scaffold", "liveedit"},
    {"serve", "livereload", "watch"},
    {"preview"},
    {"cli", "__main__"},
]
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def sitegen_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and \
                node.module.startswith("sitegen."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("sitegen."))
    return found


def test_every_module_has_a_layer():
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules <= set(LEVEL), f"add to LAYERS: {sorted(modules - set(LEVEL))}"


def test_modules_import_only_lower_layers():
    wrong = []
    for path in PACKAGE.glob("*.py"):
        if path.stem == "__init__":
            continue
        for imported in sitegen_imports(path):
            if LEVEL[imported] > LEVEL[path.stem]:
                wrong.append(f"{path.stem} imports {imported}")
    assert not wrong


def test_nothing_imports_the_cli():
    importers = [p.stem for p in PACKAGE.glob("*.py")
                 if "cli" in sitegen_imports(p) and p.stem != "__main__"]
    assert importers == []


def test_modules_open_with_a_docstring_and_stay_small():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.name} needs a docstring saying what it owns"
        assert len(path.read_text().splitlines()) <= 450, f"{path.name} is too long: split it"


def test_the_preview_server_knows_nothing_about_the_build():
    """STYLE.md: the server receives a rebuild callable; it reads no site and builds nothing."""
    server_side = {"serve", "livereload", "watch"}
    for name in server_side:
        imported = sitegen_imports(PACKAGE / f"{name}.py")
        assert imported <= server_side, f"{name} imports {sorted(imported - server_side)}"


def _is_dataclass_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return (isinstance(target, ast.Name) and target.id == "dataclass") or \
        (isinstance(target, ast.Attribute) and target.attr == "dataclass")


def test_dataclasses_have_a_docstring():
    """Without one, `dataclasses` builds it from inspect.signature at every import (~50 µs)."""
    missing = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        missing += [f"{path.name}:{node.lineno} {node.name}" for node in ast.walk(tree)
                    if isinstance(node, ast.ClassDef) and not ast.get_docstring(node)
                    and any(_is_dataclass_decorator(d) for d in node.decorator_list)]
    assert not missing, f"give these dataclasses a docstring: {missing}"
