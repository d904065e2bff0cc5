"""API fuzzing (`make fuzz`): schemathesis against /api/schema/ on a live, production-like server.

    .venv/bin/python bench/run.py fuzz                    # what `make fuzz` runs
    FUZZ_MAX_EXAMPLES=30 .venv/bin/python bench/fuzz.py   # a quicker pass, prints the section

The server is gunicorn with DEBUG=0 on a free loopback port, over a scratch database with the demo
district (dropped afterwards; see bench/_live.py). Two passes over every operation of the schema:
anonymous, and with the API token of a street-staff account (created with create_staff) so that
the authenticated writes (adoptions, upkeep logs, problems, photos) run too. Checks:
not_a_server_error, response_schema_conformance and status_code_conformance (every status the
API answers is declared in the schema). CI runs a smaller, in-process pass: tests/fuzz/.
"""

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _live  # noqa: E402

IN_MAKE_BENCH = False
SCRATCH_DB = "registry_bench_fuzz"
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "200"))
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
SEED = 20261126


def schemathesis(base: str, report: Path, token: str | None) -> int:
    """One schemathesis pass; returns its exit status (failures are read from the report)."""
    command = [str(Path(sys.executable).with_name("schemathesis")), "run", f"{base}/api/schema/",
               "--checks", CHECKS, "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
               "--phases", "examples,coverage,fuzzing", "--workers", "2", "--request-timeout", "30",
               "--continue-on-failure", "--generation-database", "none", "--no-color",
               "--report", "ndjson", "--report-ndjson-path", str(report)]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    result = subprocess.run(command, cwd=_live.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _live.log("\n".join(result.stdout.splitlines()[-40:]))
    return result.returncode


def tally(report: Path) -> dict[str, dict]:
    """Per operation: test cases sent and distinct failures, from schemathesis's ndjson events."""
    stats = defaultdict(lambda: {"examples": 0, "failures": set()})
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "ScenarioFinished" not in event:
            continue
        data = event["ScenarioFinished"]
        label = data.get("label") or data.get("recorder", {}).get("label")
        recorder = data.get("recorder", {})
        stats[label]["examples"] += len(recorder.get("cases", {}))
        for checks in recorder.get("checks", {}).values():
            for check in checks:
                if str(check.get("status")).lower() == "failure":
                    failure = (check.get("failure_info") or {}).get("failure") or {}
                    summary = (failure.get("message") or "").splitlines()[:1]
                    stats[label]["failures"].add(f"{failure.get('code', check.get('name'))} "
                                                 f"{failure.get('title', '')}: {' '.join(summary)[:160]}")
    return stats


def counted(entry: dict) -> int:
    return sum(not failure.endswith("Received: 414") for failure in entry["failures"])


def table(results: dict[str, dict[str, dict]]) -> list[str]:
    lines = ["| Operation | Anonymous: cases | Failures | Staff token: cases | Failures |", "|---|--:|--:|--:|--:|"]
    labels = sorted(set().union(*(stats.keys() for stats in results.values())) - {None})
    for label in labels:
        anon, staff = results["anonymous"][label], results["staff"][label]
        lines.append(f"| `{label}` | {anon['examples']} | {counted(anon)} | {staff['examples']} | {counted(staff)} |")
    return lines


def run() -> str:
    results, statuses = {}, {}
    with _live.scratch_site(SCRATCH_DB) as site, tempfile.TemporaryDirectory() as scratch:
        token = _live.create_street_staff(site, "fuzz_staff", _live.first_street_code(site))
        with _live.gunicorn(site, workers=2, log_path=Path(scratch) / "gunicorn.log") as base:
            for name, auth in (("anonymous", None), ("staff", token)):
                report = Path(scratch) / f"{name}.ndjson"
                _live.log(f"schemathesis, {name}, up to {MAX_EXAMPLES} examples per operation")
                statuses[name] = schemathesis(base, report, auth)
                results[name] = tally(report)
    every = {f"`{label}` — {failure}" for stats in results.values()
             for label, entry in stats.items() for failure in entry["failures"]}
    # gunicorn answers 414 itself for a request line over 4094 bytes, before Django: not an API answer.
    too_long = sorted(failure for failure in every if failure.endswith("Received: 414"))
    failures = sorted(every - set(too_long))
    total = sum(entry["examples"] for stats in results.values() for entry in stats.values())
    lines = [
        "## fuzz",
        "",
        f"schemathesis against `/api/schema/` on gunicorn (DEBUG=0, loopback) over a scratch copy of the demo "
        f"district: up to {MAX_EXAMPLES} generated cases per operation and pass (phases examples, coverage, "
        f"fuzzing; seed {SEED}), once anonymous and once with a street-staff API token. Checks: "
        f"{', '.join(f'`{check}`' for check in CHECKS.split(','))}. {total} cases in all.",
        "",
        *table(results),
        "",
        f"**Result: {'no failures' if not failures else f'{len(failures)} distinct failures'}** "
        f"(schemathesis exit status: anonymous {statuses['anonymous']}, staff {statuses['staff']}).",
    ]
    if failures:
        lines += ["", *(f"- {failure}" for failure in failures)]
    if too_long:
        lines += ["", f"Not counted: {len(too_long)} operations got gunicorn's own 414 (request line over its "
                  "4094-byte `limit_request_line`, refused before Django; nginx in front refuses such URLs too): "
                  + ", ".join(failure.split(" — ")[0] for failure in too_long) + "."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
