"""Deployment tooling: production settings, the compose file, `serve`, `compiletranslations`.

Settings are read once per process, so everything about production settings runs
``manage.py`` in a subprocess with a clean, explicit environment.
"""

import base64
import contextlib
import gettext
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.core.management import CommandError, call_command

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = str(BASE_DIR / "manage.py")
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
COMPOSE_SCHEMA = Path(__file__).parent / "fixtures" / "compose-spec.json"


def _clean_env(**variables: str | None) -> dict[str, str]:
    """Just enough environment to run Python, plus the given variables (None drops one).

    Nothing leaks in from the developer's shell or CI (DATABASE_URL, REDIS_URL, SECRET_KEY…).
    """
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(BASE_DIR)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "governance.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.update({name: value for name, value in variables.items() if value is not None})
    return env


def _production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    variables = {
        "APP_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_hex(32),  # 64 random characters
        "ALLOWED_HOSTS": "gov.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
        "STATIC_MANIFEST": "false",
        "RESIDENTS_ENCRYPTION_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "RESIDENTS_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
    }
    variables.update(overrides)
    return _clean_env(**variables)


def _manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# --- Production settings ----------------------------------------------------------------------


def test_check_deploy_reports_no_issues_with_production_variables(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        pytest.param({"SECRET_KEY": None}, "SECRET_KEY", id="no-secret-key"),
        pytest.param({"SECRET_KEY": "short"}, "SECRET_KEY", id="short-secret-key"),
        pytest.param({"DEBUG": "true"}, "DEBUG", id="debug-on"),
        pytest.param({"DEBUG": "maybe"}, "DEBUG", id="debug-not-a-boolean"),
        pytest.param({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS", id="no-allowed-hosts"),
        pytest.param({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS", id="empty-allowed-hosts"),
        pytest.param({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS", id="wildcard-allowed-hosts"),
        pytest.param({"SESSION_COOKIE_AGE": "abc"}, "SESSION_COOKIE_AGE", id="bad-integer"),
        pytest.param({"MAP_CENTER": "north"}, "MAP_CENTER", id="bad-point"),
        pytest.param({"DATABASE_URL": "mysql://db/gov"}, "DATABASE_URL", id="bad-url-scheme"),
        pytest.param(
            {"RESIDENTS_ENCRYPTION_KEYS": None}, "RESIDENTS_ENCRYPTION_KEYS", id="no-residents-key"
        ),
        pytest.param({"RESIDENTS_INDEX_KEY": None}, "RESIDENTS_INDEX_KEY", id="no-index-key"),
        pytest.param(
            {"RESIDENTS_ENCRYPTION_KEYS": "k1:c2hvcnQ="},
            "RESIDENTS_ENCRYPTION_KEYS",
            id="short-residents-key",
        ),
    ],
)
def test_production_refuses_to_start_with_a_missing_or_bad_variable(tmp_path, overrides, named):
    result = _manage("check", env=_production_env(tmp_path, **overrides))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.strip().splitlines()[-1], result.stderr


# --- docker-compose.yml ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    # The file declares draft 2019-09 (with a trailing '#' jsonschema does not recognise).
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema)


def _errors(validator, document) -> list[str]:
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=str)
    ]


def test_the_compose_file_follows_the_compose_specification(compose, compose_validator):
    assert _errors(compose_validator, compose) == []


def test_the_compose_schema_check_catches_a_mistake(compose, compose_validator):
    broken = json.loads(json.dumps(compose))
    broken["services"]["web"]["healthcheck"]["every"] = "30s"
    broken["services"]["web"]["depends_on"]["migrate"]["condition"] = "service_finished"

    assert len(_errors(compose_validator, broken)) >= 2


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_exactly_one_service_runs_celery_beat_and_it_is_never_scaled(compose):
    beats = [
        name
        for name, service in compose["services"].items()
        if re.search(r"\bcelery\b.*\bbeat\b", _command(service))
    ]

    assert beats == ["beat"]
    beat = compose["services"]["beat"]
    assert beat.get("deploy", {}).get("replicas", 1) <= 1
    assert beat.get("scale", 1) <= 1
    assert "exactly one" in COMPOSE_FILE.read_text(encoding="utf-8").lower()


@pytest.mark.parametrize("name", ["web", "worker", "db", "redis"])
def test_long_running_services_have_a_health_check(compose, name):
    healthcheck = compose["services"][name]["healthcheck"]

    assert not healthcheck.get("disable", False)
    assert healthcheck["test"]


def test_the_web_and_worker_health_checks_probe_the_right_thing(compose):
    web = compose["services"]["web"]["healthcheck"]["test"]
    worker = compose["services"]["worker"]["healthcheck"]["test"]

    assert "/healthz" in " ".join(web)
    assert "inspect ping" in " ".join(worker)
    assert "celery@$$HOSTNAME" in " ".join(worker)  # $$: expanded by the container's shell


def test_web_starts_after_the_migration_completed_successfully(compose):
    services = compose["services"]

    assert "migrate" in _command(services["migrate"])
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}


def test_secrets_are_required_from_the_environment_not_written_in_the_file(compose):
    required = re.compile(r"^\$\{SECRET_KEY:\?[^}]+\}$")
    for name, service in compose["services"].items():
        environment = service.get("environment", {})
        if "SECRET_KEY" in environment:
            assert required.match(environment["SECRET_KEY"]), name
    assert compose["services"]["web"]["environment"]["APP_ENV"] == "production"
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    assert "@" not in compose["services"]["web"]["environment"]["DATABASE_URL"].split("${")[0]


def test_uploads_live_in_a_named_volume(compose):
    assert "media" in compose["volumes"]
    assert "media:/app/var/media" in compose["services"]["web"]["volumes"]


# --- manage.py serve ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_in(environment_marker: bytes) -> set[int]:
    """PIDs whose environment holds the marker (Linux /proc; an empty set elsewhere)."""
    found = set()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if environment_marker in environ.split(b"\0") and int(entry.name) != os.getpid():
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class _Output:
    """Collects a process's output lines in a thread, so its pipe never fills up."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process):
        for line in process.stdout:
            self.lines.append(line.rstrip("\n"))

    def has(self, pattern: str) -> bool:
        return any(re.search(pattern, line) for line in list(self.lines))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _wait_until(condition, *, seconds: float, process, output: _Output, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"serve exited ({process.returncode}) before {what}:\n{output.text}")
        time.sleep(0.25)
    pytest.fail(f"no {what} within {seconds} s:\n{output.text}")


def _healthz(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status
    except (urllib.error.URLError, OSError):
        return None


@pytest.mark.timeout(180)
def test_serve_runs_web_worker_and_beat_and_ctrl_c_stops_every_process(tmp_path):
    # The temporary VAR_DIR marks every process serve starts (they inherit its environment),
    # so /proc finds them all, grandchildren included. No REDIS_URL: the file-system broker
    # keeps this worker away from any other test's queue.
    var_dir = tmp_path / "serve-var"
    env = _clean_env(VAR_DIR=str(var_dir))
    marker = f"VAR_DIR={var_dir}".encode()
    migrated = _manage("migrate", "--no-input", env=env)
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()

    process = subprocess.Popen(
        [sys.executable, MANAGE, "serve", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    output = _Output(process)
    started: set[int] = set()
    try:
        _wait_until(
            lambda: _healthz(port) == 200,
            seconds=60,
            process=process,
            output=output,
            what="/healthz answer",
        )
        _wait_until(
            lambda: output.has(r"^worker\|.* ready\.") and output.has(r"^beat\s*\|.*Starting"),
            seconds=60,
            process=process,
            output=output,
            what="worker and beat start",
        )
        # The worker consumes the queue: a task sent from another process comes back.
        echoed = _manage(
            "shell",
            "-c",
            "from governance.tasks import ping; print(ping.delay('echo-42').get(timeout=30))",
            env=env,
        )
        assert "echo-42" in echoed.stdout, echoed.stdout + echoed.stderr

        started = {int(pid) for pid in re.findall(r"\(pid (\d+)\)", output.text)}
        assert len(started) == 3, output.text
        assert started <= _processes_in(marker) or not Path("/proc/self/environ").exists()
        assert f"http://127.0.0.1:{port}/" in output.text

        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)

        assert process.returncode == 0, output.text
        assert not [pid for pid in started if _alive(pid)]
        deadline = time.monotonic() + 3
        while _processes_in(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_in(marker) == set(), output.text
        assert output.has(r"Stopped \(SIGINT\)")
    finally:
        # Leave nothing behind even when an assertion failed half-way.
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in _processes_in(marker) | {p for p in started if _alive(p)}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_serve_refuses_a_port_that_is_already_taken(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _manage(
            "serve", "--port", str(port), env=_clean_env(VAR_DIR=str(tmp_path / "var"))
        )

    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr


# --- manage.py compiletranslations ----------------------------------------------------------

PO_HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: zh_Hans\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

"""

COMPLETE_PO = (
    PO_HEADER
    + """\
msgid "Event"
msgstr "事件"

msgid "%(count)s event"
msgid_plural "%(count)s events"
msgstr[0] "%(count)s 个事件"

msgctxt "verb"
msgid "Close"
msgstr "关闭"
"""
)


def _write_catalogue(root: Path, text: str, *, locale: str = "zh_Hans") -> Path:
    path = root / locale / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_compiletranslations_writes_a_catalogue_that_gettext_reads_back(settings, tmp_path):
    po = _write_catalogue(tmp_path / "locale", COMPLETE_PO)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    out = StringIO()

    call_command("compiletranslations", stdout=out)

    assert "Compiled 3 messages in 1 catalogue(s)." in out.getvalue()
    with po.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.gettext("Event") == "事件"
    assert catalogue.ngettext("%(count)s event", "%(count)s events", 5) == "%(count)s 个事件"
    assert catalogue.pgettext("verb", "Close") == "关闭"


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param('msgid "Event"\nmsgstr "事件\n', id="unterminated-string"),
        pytest.param('msgid Event\nmsgstr "事件"\n', id="unquoted-string"),
        pytest.param('msgid "Event"\nnot a po line\n', id="stray-line"),
        pytest.param('msgid "Event"\nmsgstr "a"\n\nmsgid "Event"\nmsgstr "b"\n', id="duplicate"),
    ],
)
def test_compiletranslations_fails_on_a_catalogue_it_cannot_parse(settings, tmp_path, broken):
    po = _write_catalogue(tmp_path / "locale", PO_HEADER + broken)
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    with pytest.raises(CommandError, match=re.escape(str(po))):
        call_command("compiletranslations", stdout=StringIO())
    assert not po.with_suffix(".mo").exists()


def test_compiletranslations_succeeds_with_a_note_when_there_is_no_catalogue(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    out = StringIO()

    call_command("compiletranslations", stdout=out)

    assert "nothing to compile" in out.getvalue()


def test_check_passes_a_complete_catalogue_and_writes_nothing(settings, tmp_path):
    po = _write_catalogue(tmp_path / "locale", COMPLETE_PO)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    out = StringIO()

    call_command("compiletranslations", "--check", stdout=out)

    assert "All 3 messages" in out.getvalue()
    assert not po.with_suffix(".mo").exists()


@pytest.mark.parametrize(
    ("entry", "kind"),
    [
        pytest.param('msgid "Dispatch"\nmsgstr ""\n', "untranslated", id="untranslated"),
        pytest.param('#, fuzzy\nmsgid "Dispatch"\nmsgstr "派遣"\n', "fuzzy", id="fuzzy"),
        pytest.param(
            'msgid "Dispatch"\nmsgid_plural "Dispatches"\nmsgstr[0] ""\n',
            "untranslated",
            id="untranslated-plural",
        ),
    ],
)
def test_check_fails_on_an_entry_that_needs_translating(settings, tmp_path, entry, kind):
    _write_catalogue(tmp_path / "locale", COMPLETE_PO + "\n" + entry)
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    with pytest.raises(CommandError, match=rf"{kind}: 'Dispatch'"):
        call_command("compiletranslations", "--check", stdout=StringIO())


def test_check_can_be_limited_to_one_locale(settings, tmp_path):
    _write_catalogue(tmp_path / "locale", COMPLETE_PO)
    _write_catalogue(tmp_path / "locale", PO_HEADER + 'msgid "Event"\nmsgstr ""\n', locale="en")
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    call_command("compiletranslations", "--check", "--locale", "zh_Hans", stdout=StringIO())
    with pytest.raises(CommandError, match="untranslated: 'Event'"):
        call_command("compiletranslations", "--check", stdout=StringIO())
