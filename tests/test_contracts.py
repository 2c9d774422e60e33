"""The import-linter contracts bite: a copy of the tree with one forbidden import planted fails the lint, naming the
contract it breaks; the copy as it is passes."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("plugin", "worker", "descriptor", "jirasim", "demo")  # the contracts' root packages
LINT = Path(sys.executable).with_name("lint-imports")

PURE = "The engine's core is pure"
WORKERS = "Workers never import the web layer or Flask"
LAYERS = "plugin layers (exhaustive)"
ENGINE = "engine layers (exhaustive)"
FLASK = "Only the web layer knows Flask"
RQ = "Only the queue knows RQ"
DEMO = "Nothing imports the demo launcher"


def _only_python(folder, names):
    return [name for name in names if name == "__pycache__"
            or (not name.endswith(".py") and not (Path(folder) / name).is_dir())]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """One import cache for all the copies: a module's imports are read again only where its file changed."""
    return tmp_path_factory.mktemp("import-cache")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    tree = tmp_path_factory.mktemp("pristine")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=_only_python)
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


@pytest.fixture
def tree(pristine, tmp_path):
    copy = tmp_path / "tree"
    shutil.copytree(pristine, copy)
    return copy


def _lint(tree, cache):
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "1000"}  # one contract a line
    command = [str(LINT), "--cache-dir", str(cache), "--no-logo", str(tree / "pyproject.toml")]
    return subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=300)


def _plant(tree, path, line):
    target = tree / path
    target.parent.mkdir(parents=True, exist_ok=True)
    for parent in target.relative_to(tree).parents:
        if parent.parts and not (tree / parent / "__init__.py").exists():
            (tree / parent / "__init__.py").write_text('"""Planted."""\n')
    with target.open("a") as handle:
        handle.write(f"\n{line}  # planted by tests/test_contracts.py\n")


def _broken(output):
    return [line.removesuffix(" BROKEN").strip() for line in output.splitlines() if line.rstrip().endswith("BROKEN")]


def test_the_tree_as_it_is_keeps_every_contract(pristine, cache):
    result = _lint(pristine, cache)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _broken(result.stdout) == []


@pytest.mark.parametrize("path, line, contract", [
    ("plugin/engine/core/values.py", "import sqlalchemy", PURE),
    ("plugin/engine/core/merge.py", "import requests", PURE),
    ("plugin/engine/core/comments.py", "from plugin import db", PURE),
    ("plugin/engine/core/mapping.py", "import plugin.jira.client", PURE),
    ("worker/jobs.py", "import flask", WORKERS),
    ("worker/jobs.py", "import plugin.web", WORKERS),
    ("plugin/newthing/__init__.py", "import plugin.models", LAYERS),
    ("plugin/models/__init__.py", "import plugin.engine", LAYERS),
    ("plugin/engine/newpass.py", "import plugin.engine.core", ENGINE),
    ("plugin/engine/core/plan.py", "import plugin.engine.runner", ENGINE),
    ("plugin/engine/carry.py", "import flask", FLASK),
    ("plugin/syncs/__init__.py", "import rq", RQ),
    ("jirasim/sample.py", "import demo", DEMO),
    ("plugin/app.py", "from demo import __main__", DEMO),
], ids=lambda value: value if isinstance(value, str) and "/" in value else None)
def test_a_forbidden_import_breaks_the_contract_that_forbids_it(tree, cache, path, line, contract):
    _plant(tree, path, line)
    result = _lint(tree, cache)
    assert result.returncode != 0
    assert any(name.startswith(contract) for name in _broken(result.stdout)), result.stdout + result.stderr
