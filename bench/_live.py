"""A live, production-like registry for the fuzzing and load benchmarks (not a benchmark itself).

``scratch_site(name)`` creates a scratch database next to DATABASE_URL's, migrates it, loads the
demo district (and optionally synthetic assets), gives it a media folder of its own, and drops
both afterwards. ``gunicorn(site)`` serves it on a free loopback port with DEBUG=0, a throw-away
SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and SECURE_SSL_REDIRECT=0 (plain HTTP on loopback: nothing
leaves the machine). Both are context managers so that a failed run still cleans up.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._scratch import admin_sql, log  # noqa: E402

DEFAULT_URL = "postgis://127.0.0.1:5432/registry"
STAFF_PASSWORD = "Bench-" + secrets.token_urlsafe(12)


@dataclass
class Site:
    database_url: str
    media_root: Path
    env: dict = field(default_factory=dict)
    url: str = ""

    def manage(self, *args: str, extra_env=None, capture=False) -> str:
        """Run manage.py against the scratch database and media folder."""
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, text=True,
                                env={**self.env, **(extra_env or {})},
                                stdout=subprocess.PIPE if capture else None)
        return result.stdout if capture else ""

    def shell(self, code: str) -> str:
        """Run Python in manage.py shell; returns its last line of output (shell may print a banner)."""
        return self.manage("shell", "-v", "0", "-c", code, capture=True).strip().splitlines()[-1]


def _recreate(name: str, drop_only=False) -> None:
    import dj_database_url

    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    admin_sql(config, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    if not drop_only:
        admin_sql(config, "CREATE DATABASE {}", name)


@contextlib.contextmanager
def scratch_site(name: str, synthetic_assets: int = 0):
    """A migrated scratch database with the demo district (+ synthetic assets) and its own media folder."""
    url = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_URL))
    media = Path(tempfile.mkdtemp(prefix=f"{name}-media-"))
    env = {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path=f"/{name}")), "MEDIA_ROOT": str(media),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    site = Site(database_url=env["DATABASE_URL"], media_root=media, env=env)
    _recreate(name)
    try:
        log(f"Scratch database {name}: migrate, load_demo" + (f", {synthetic_assets} synthetic" if synthetic_assets else ""))
        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("load_demo", capture=True)
        if synthetic_assets:
            site.manage("generate_synthetic", "--assets", str(synthetic_assets), "--seed", "7", capture=True)
        yield site
    finally:
        _recreate(name, drop_only=True)
        shutil.rmtree(media, ignore_errors=True)


def first_street_code(site: Site) -> str:
    return site.shell("from registry.geography import Street; print(Street.objects.order_by('code')[0].code)")


def create_street_staff(site: Site, username: str, street: str) -> str:
    """A street-staff account for ``street`` (through create_staff); returns its API token."""
    site.manage("create_staff", username, f"{username}@example.org", "street_staff", "--street", street,
                "--password-env", "BENCH_STAFF_PASSWORD", extra_env={"BENCH_STAFF_PASSWORD": STAFF_PASSWORD},
                capture=True)
    return site.shell("from rest_framework.authtoken.models import Token; "
                      f"print(Token.objects.get_or_create(user__username='{username}', "
                      f"defaults={{'user': __import__('django.contrib.auth', fromlist=['x']).get_user_model()"
                      f".objects.get(username='{username}')}})[0].key)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(site: Site) -> dict:
    return {**site.env, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING"}


@contextlib.contextmanager
def gunicorn(site: Site, workers: int = 2, threads: int = 1, log_path: Path | None = None):
    """gunicorn on a free loopback port with the production settings; yields the base URL.

    Keep-alive outlasts the users' pauses, or a client may reuse a connection the server is closing.
    """
    port = free_port()
    env = production_env(site)
    out = open(log_path or os.devnull, "w")
    process = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "config.wsgi:application",
                                "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
                                "--timeout", "30", "--graceful-timeout", "5",
                                "--keep-alive", "10"],
                               cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/api/schema/", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("gunicorn exited at start-up") from None
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer within 30 s")
        site.url = base
        log(f"gunicorn ({workers} workers) on {base}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        out.close()
