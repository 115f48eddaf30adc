"""The house plan, enforced: packages import only downwards along the flow, and no module imports itself back.

The flow is read → validate → score → plan → render (docs/architecture.md). Each top-level module or
package of `toolkit/` sits on one layer of `LAYERS`; an import may go to the same layer or a lower one,
never to a higher one. Lazy imports inside functions count too (they are still dependencies); imports
under `if TYPE_CHECKING:` do not (they never run). A new top-level module must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "toolkit"

#: Lowest first. Same layer: allowed (no cycle, checked below); lower layer: allowed; higher: refused.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "toolkit",
        "text",
        "typography",
        "resources",
        "problems",
        "plausibility",
        "layout",
        "model",
        "pseudonyms",
        "data",
    ),  # `toolkit` itself: __version__, lazy API
    ("catalog",),  # packaged data, user catalogues, INSEE figures and pre-fill
    ("config",),  # weights, limits, the run's Catalogue
    ("results",),  # the Diagnostic and its parts (frozen values)
    ("io",),  # reading spreadsheets, writing the template, safe cells, output paths
    ("validate",),  # raw sheets -> Workbook + located problems
    ("score",),  # indicators, enjeux, governance, actions, robustness, votes
    ("plan",),  # roadmap, vigilance, experiences, similar territories
    ("diagnostic",),  # orchestration: Workbook -> Diagnostic
    ("compare", "suivi"),  # computations over several diagnostics (comparison, follow-up over years)
    ("report",),  # the only place words and numbers are formatted for reading
    ("workshop", "batch", "tables"),  # applications of the whole pipeline (tables: DataFrames for notebooks)
    ("cli", "web", "__main__"),  # the doors
)
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}
#: Upward imports allowed on purpose, each with its reason. A follow-up snapshot stores the report's words at
#: rest (vigilance sentences, the JSON method block) so that a later review shows what was printed then.
AT_REST = {
    ("toolkit.suivi.snapshot", "toolkit.report.records"),
    ("toolkit.suivi.snapshot", "toolkit.report.wording"),
}
ALLOWED_UPWARD = AT_REST


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    rel = Path(*dotted.split("."))
    return (ROOT.parent / rel).with_suffix(".py").is_file() or (ROOT.parent / rel / "__init__.py").is_file()


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def _imports(path: Path) -> set[str]:
    """Dotted toolkit modules `path` imports (a `from pkg import submodule` counts as the submodule)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "toolkit")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "toolkit":
                continue
            subs = [f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}")]
            out.update(subs or [target])
    out.discard(module)
    return out


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(ROOT.rglob("*.py"))}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "toolkit"


def test_every_top_level_module_has_a_layer():
    tops = {_top(m) for m in _graph()}
    missing = sorted(tops - set(LAYER))
    assert not missing, f"give these modules a layer in tests/test_architecture.py LAYERS: {missing}"


def _upward(graph: dict[str, set[str]]) -> list[str]:
    out = []
    for module, targets in graph.items():
        for target in targets:
            a, b = _top(module), _top(target)
            if a in LAYER and b in LAYER and LAYER[b] > LAYER[a] and (module, target) not in ALLOWED_UPWARD:
                out.append(f"{module} -> {target}  ({a}: layer {LAYER[a]}, {b}: layer {LAYER[b]})")
    return sorted(out)


def test_no_upward_import():
    upward = _upward(_graph())
    assert not upward, "upward imports:\n" + "\n".join(upward)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_between_modules():
    graph = _graph()
    # a package's __init__ re-exporting its own submodules is not a cycle of design: keep only the
    # edges from a package to modules outside it
    for module in graph:
        if (ROOT.parent / Path(*module.split(".")) / "__init__.py").is_file():
            graph[module] = {t for t in graph[module] if not t.startswith(module + ".")}
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_report_never_looks_up_a_catalogue():
    offenders = sorted(
        f"{m} -> {t}" for m, ts in _graph().items() if _top(m) == "report" for t in ts if _top(t) == "catalog"
    )
    assert not offenders, "report/ must read catalogue entries from Diagnostic.definitions:\n" + "\n".join(offenders)


#: What loads the packaged catalogue (or the user's files) by itself. Below the doors a catalogue is an
#: argument: it comes from `load_config` (`cfg.catalogue`) and rides in the Diagnostic (docs/architecture.md).
CATALOGUE_LOADERS = frozenset(
    {"packaged_catalogue", "packaged_actions", "packaged_experiences", "prerequis_durations", "load_catalogue"}
)
#: Where loading one is the job: the catalogue itself, the configuration that builds `cfg.catalogue`, and the
#: doors (the CLI, the web page, the lazy public API of `toolkit/__init__.py`).
MAY_LOAD_A_CATALOGUE = ("catalog", "config", "cli", "web", "__main__")


#: The packaged parts' own look-ups (`enjeux()`, `indicator(code)`…): below the doors, `catalogue.enjeux`,
#: `catalogue.indicator(code)`… of the Catalogue passed in.
PACKAGED_LOOKUPS = frozenset({"enjeux", "enjeu_by_key", "indicators", "indicator", "questions", "question"})


def _catalogue_loads(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of each import or call of a catalogue loader in one module's AST."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [(node.lineno, a.name) for a in node.names if a.name in CATALOGUE_LOADERS]
            module = (node.module or "").removeprefix("toolkit.")
            if module == "catalog" or module.startswith("catalog."):
                found += [(node.lineno, a.name) for a in node.names if a.name in PACKAGED_LOOKUPS]
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in CATALOGUE_LOADERS:
                found.append((node.lineno, name))
    return found


def _catalogue_offenders() -> list[str]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        module = _module_name(path)
        if module == "toolkit" or _top(module) in MAY_LOAD_A_CATALOGUE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out += [f"{path.relative_to(ROOT.parent)}:{line} {name}" for line, name in _catalogue_loads(tree)]
    return out


def test_nothing_below_the_doors_loads_a_catalogue_by_itself():
    """Issue 26: a silent fallback to the packaged catalogue made the synthesis print the packaged
    duration of a prerequisite a user catalogue had changed."""
    offenders = _catalogue_offenders()
    assert not offenders, "take the catalogue as an argument (cfg.catalogue), do not load it:\n" + "\n".join(offenders)


def test_the_catalogue_rule_bites():
    code = "from ..catalog.catalogue import packaged_catalogue\ncat = catalogue or packaged_catalogue()\n"
    assert _catalogue_loads(ast.parse(code)) == [(1, "packaged_catalogue"), (2, "packaged_catalogue")]
    assert _catalogue_loads(ast.parse("cat = config.catalogue\n")) == []
    assert _catalogue_loads(ast.parse("from ..catalog import enjeu_by_key, IndicatorDef\n")) == [(1, "enjeu_by_key")]
    assert _catalogue_loads(ast.parse("from ..catalog.governance import questions\n")) == [(1, "questions")]
    assert _top("toolkit.plan.roadmap") not in MAY_LOAD_A_CATALOGUE and _top("toolkit.cli.app") in MAY_LOAD_A_CATALOGUE


def test_the_checker_refuses_an_upward_import():
    """The checks above would pass on an empty graph: prove the rules bite on real module names."""
    assert _upward({"toolkit.score.enjeux": {"toolkit.report.view"}, "toolkit.config": {"toolkit.catalog.qpv"}}) == [
        "toolkit.score.enjeux -> toolkit.report.view  (score: layer 6, report: layer 10)"
    ]
    graph = _graph()
    assert "toolkit.report.view.assemble" in graph and "toolkit.results" in graph["toolkit.report.view.assemble"]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_architecture_document_indexes_every_module_as_its_docstring_says():
    """Issue 26: docs/architecture.md names every module (a newcomer opens a file it names and finds what it
    says): the index is generated from the code by scripts/module_index.py, and must be the one it gives."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("module_index", ROOT.parent / "scripts" / "module_index.py")
    assert spec is not None and spec.loader is not None
    module_index = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module_index)
    doc = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = module_index.index(ROOT)
    assert module_index.with_index(doc, table) == doc, "lancez python scripts/module_index.py et relisez le diff"
    listed = {line.split("`")[1] for line in table.splitlines()[2:]}
    on_disk = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts}
    assert listed == on_disk and "report/view/synthesis.py" in listed
    assert all(line.split("|")[2].strip() for line in table.splitlines()[2:]), "un module sans docstring"
