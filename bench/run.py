"""Run every benchmark in bench/ and rewrite docs/benchmarks.md with the results and the machine.

    .venv/bin/python bench/run.py            # every default benchmark (what `make bench` runs)
    .venv/bin/python bench/run.py synthetic  # only those named; the other sections are kept

A benchmark is a module ``bench/<name>.py`` with a ``run() -> str`` that returns its Markdown
section; this file and modules whose name starts with "_" are not benchmarks. A module with
``IN_MAKE_BENCH = False`` (the API fuzzing and the load test, which have make targets of their
own) runs only when named. A benchmark that fails gets a section saying so, and the exit status
is 1. Each section is stored between ``<!-- bench:NAME -->`` markers so that running some
benchmarks replaces their sections and keeps the rest.
"""

import datetime
import importlib
import os
import platform
import subprocess
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks.md"
DEFAULT_URL = "postgis://127.0.0.1:5432/registry"


def benchmark_names() -> list[str]:
    """The benchmarks `make bench` runs: every module but those that opt out."""
    names = sorted(path.stem for path in (ROOT / "bench").glob("*.py")
                   if path.stem != "run" and not path.stem.startswith("_"))
    return [name for name in names if getattr(importlib.import_module(f"bench.{name}"), "IN_MAKE_BENCH", True)]


def previous_sections() -> dict[str, str]:
    """The sections of the current docs/benchmarks.md, by benchmark name (see the markers)."""
    if not OUTPUT.exists():
        return {}
    sections, text = {}, OUTPUT.read_text()
    for chunk in text.split("<!-- bench:")[1:]:
        name, _sep, rest = chunk.partition(" -->")
        sections[name.strip()] = rest.split("<!-- /bench -->")[0].strip() + "\n"
    return sections


def _first_line(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":" if ":" in line else "=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "unknown"


def database_versions() -> tuple[str, str]:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    connection = psycopg2.connect(dbname=config["NAME"], user=config["USER"] or None,
                                  password=config["PASSWORD"] or None, host=config["HOST"] or None,
                                  port=config["PORT"] or None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), postgis_lib_version(), postgis_geos_version(), postgis_proj_version()")
        postgres, postgis, geos, proj = cursor.fetchone()
    connection.close()
    return postgres.split(" on ")[0], f"PostGIS {postgis} (GEOS {geos.split('-')[0]}, PROJ {proj.split()[0]})"


def machine_facts(load_before: tuple[float, float, float]) -> list[str]:
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count())
    memory_kib = int(_first_line("/proc/meminfo", "MemTotal").split()[0])
    postgres, postgis = database_versions()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    return [
        f"- Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; commit `{commit}`",
        f"- CPU: {_first_line('/proc/cpuinfo', 'model name')} ({platform.machine()}), `nproc` = {nproc}",
        f"- Memory: {memory_kib / 1024 / 1024:.1f} GiB; load average before the run "
        f"{' / '.join(f'{load:.2f}' for load in load_before)} (1 / 5 / 15 min: other work skews timings)",
        f"- OS: {_first_line('/etc/os-release', 'PRETTY_NAME')}; Python {platform.python_version()}",
        f"- Database: {postgres}; {postgis}",
    ]


def run_benchmark(name: str) -> tuple[str, bool]:
    print(f"== {name}", file=sys.stderr, flush=True)
    try:
        return importlib.import_module(f"bench.{name}").run().strip() + "\n", True
    except Exception:  # noqa: BLE001 — report the failure in the document, carry on with the others
        tail = traceback.format_exc().strip().splitlines()[-1]
        return f"## {name}\n\n**Failed**: `{tail}`\n", False


def main(names: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    chosen = names or benchmark_names()
    load_before = os.getloadavg()
    sections = previous_sections()
    results = []
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    for name in chosen:
        section, ok = run_benchmark(name)
        stamp = f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit `{commit}`"
        sections[name] = f"{section}\n_Measured {stamp}._\n"
        results.append(ok)
    document = "\n".join([
        "# Benchmarks",
        "",
        "Written by `bench/run.py` (`make bench`); do not edit by hand. Each section is one module of `bench/`.",
        "",
        "## Machine",
        "",
        *machine_facts(load_before),
        "",
        *(f"<!-- bench:{name} -->\n{section}<!-- /bench -->\n" for name, section in sorted(sections.items())),
    ])
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(document)
    print(f"Wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
