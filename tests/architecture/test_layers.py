"""The house plan is enforced: ``lint-imports`` (run by ``make test``) passes on the tree, and fails,
naming both modules, when a lower layer imports a higher one or two modules import each other.

The failing cases run the linter on a copy of the project's packages with one probe module added,
so the real tree is never touched."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINTER = Path(sys.executable).with_name("lint-imports")
CONFIG = ROOT / ".importlinter"


def root_packages() -> list[str]:
    config = configparser.ConfigParser()
    config.read(CONFIG)
    return config["importlinter"]["root_packages"].split()


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINTER), "--no-cache", "--no-logo", "--config", str(tree / ".importlinter")],
                          cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def copy_of_tree(tmp_path) -> Path:
    for package in root_packages():
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(CONFIG, tmp_path / ".importlinter")
    return tmp_path


def test_the_tree_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and "Contracts: 3 kept, 0 broken." in result.stdout


def test_the_core_importing_a_web_app_fails_naming_both_modules(copy_of_tree):
    (copy_of_tree / "registry" / "probe.py").write_text("from public.tiles.filters import TileFilters  # noqa\n")
    result = lint(copy_of_tree)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert "registry.probe -> public.tiles.filters" in result.stdout


def test_an_upward_import_inside_a_function_fails_too(copy_of_tree):
    (copy_of_tree / "upkeep" / "probe.py").write_text(
        "def sneak():\n    from adoption.queries import current_adoptions  # noqa\n    return current_adoptions\n")
    result = lint(copy_of_tree)
    assert result.returncode == 1
    assert "upkeep.probe -> adoption.queries" in result.stdout


def test_a_domain_importing_another_without_a_written_edge_fails(copy_of_tree):
    (copy_of_tree / "problems" / "probe.py").write_text("import adoption.notices  # noqa\n")
    result = lint(copy_of_tree)
    assert result.returncode == 1
    assert "problems.probe -> adoption.notices" in result.stdout


def test_a_cycle_between_two_modules_of_a_package_fails(copy_of_tree):
    (copy_of_tree / "registry" / "probe.py").write_text("import registry.validators  # noqa\n")
    validators = copy_of_tree / "registry" / "validators.py"
    validators.write_text(validators.read_text() + "\nimport registry.probe  # noqa\n")
    result = lint(copy_of_tree)
    assert result.returncode == 1
    assert "No cycles are allowed in registry" in result.stdout


def test_docs_architecture_describes_every_package_the_contracts_name():
    """docs/architecture.md keeps a paragraph per app: a package added to the layers without one fails."""
    headings = [line for line in (ROOT / "docs" / "architecture.md").read_text().splitlines() if line.startswith("### ")]
    undocumented = [package for package in root_packages() if not any(f"`{package}/`" in h for h in headings)]
    assert undocumented == []
    assert all((ROOT / package / "__init__.py").is_file() for package in root_packages())
