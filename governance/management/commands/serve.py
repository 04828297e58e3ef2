"""Run the whole platform in one terminal: web server, Celery worker and Celery beat.

``manage.py serve [--port N] [--host H]`` is what ``make run`` ends with. It starts three child
processes with this same Python interpreter, prefixes their output with ``web``, ``worker`` or
``beat``, and stops all of them on Ctrl-C or SIGTERM. If one of them dies, it stops the other two
and exits non-zero naming the one that died, so a broken worker is never silently missing.

Production runs the same three programs as separate containers (docker-compose.yml).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.termcolors import colorize

from governance.celery import ensure_queue_folders

DEMO_USERNAMES = (
    "admin",
    "leader",
    "district",
    "street",
    "community",
    "worker",
    "worker2",
    "dept",
    "mediator",
    "petition",
)
COLOURS = {"web": "green", "worker": "cyan", "beat": "magenta"}
# A Celery worker finishes its current task on SIGTERM (warm shutdown); after this long the
# stragglers get SIGKILL.
STOP_GRACE_SECONDS = 10.0
POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    pump: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Command(BaseCommand):
    help = (
        "Run the web server (runserver), a Celery worker and Celery beat together; "
        "Ctrl-C stops all three."
    )
    requires_system_checks = []  # runserver, the worker and beat run their own

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="Port of the web server (default: $PORT, else 8000).",
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default 127.0.0.1; other names must be in ALLOWED_HOSTS).",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Let runserver restart the web process on code changes (the worker and beat "
            "keep the code they started with: restart serve after changing a task).",
        )

    def handle(self, *args, port, host, reload, **options):
        port = port if port is not None else _port_from_env()
        if not 0 < port < 65536:
            raise CommandError(f"The port must be between 1 and 65535, not {port}")
        self._colour = not options.get("no_color") and sys.stdout.isatty()
        self._write_lock = threading.Lock()
        self._stop_signal: int | None = None
        self._force = False

        ensure_queue_folders()
        _refuse_busy_port(host, port)
        children = self._children(host, port, reload)
        self._banner(host, port)

        previous = {
            signum: signal.signal(signum, self._on_signal)
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        died: Child | None = None
        try:
            self._start(children)
            died = self._watch(children)
        finally:
            self._stop(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

        if died is not None:
            raise CommandError(
                f"{died.name} exited unexpectedly ({_how(died.process.returncode)}); "
                "stopped the others."
            )
        self.stdout.write(f"Stopped ({signal.Signals(self._stop_signal).name}).")

    # --- The three programs ----------------------------------------------------------------

    def _children(self, host: str, port: int, reload: bool) -> list[Child]:
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        celery = [sys.executable, "-m", "celery", "-A", "governance"]
        # runserver runs with --noreload by default. Its autoreloader re-executes manage.py in a
        # child process and restarts that child on every code change, so the web server would
        # be a grandchild of this command: a crash at import would leave the reloader waiting
        # instead of exiting (serve could not tell the web server is down), and the worker and
        # beat do not reload anyway, so the three would run different code. --reload opts back
        # in; each child leads its own process group, so stopping still reaches the grandchild.
        web = [sys.executable, manage, "runserver", address]
        if not reload:
            web.append("--noreload")
        worker = [
            *celery,
            "worker",
            # One task at a time, in the worker process itself: SQLite allows a single writer
            # and the kombu file-system broker gains nothing from a process pool.
            "--pool=solo",
            "--loglevel=INFO",
            # A distinct node name, so two `serve`s sharing one Redis do not clash.
            f"--hostname=serve-{port}@%h",
            # Mingle and gossip synchronise a cluster of workers; here there is one.
            "--without-mingle",
            "--without-gossip",
        ]
        beat = [
            *celery,
            "beat",
            "--loglevel=INFO",
            f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}",
            # Exactly one beat per VAR_DIR: a second serve on the same data finds the pid file
            # and its beat exits (so that serve stops) instead of doubling every scheduled job.
            f"--pidfile={Path(settings.VAR_DIR) / 'celerybeat.pid'}",
        ]
        return [Child("web", web), Child("worker", worker), Child("beat", beat)]

    def _start(self, children: list[Child]) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        parent = os.getpid()
        # All three are forked before any output thread starts: the pre-exec hook below must
        # not run while other threads may hold locks.
        for child in children:
            # The argv is built above from sys.executable and settings, never from input.
            child.process = subprocess.Popen(  # noqa: S603
                child.argv,
                cwd=settings.BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                # Its own process group: the terminal's Ctrl-C reaches only this command, which
                # then stops each child (and any process the child started) in order.
                process_group=0,
                preexec_fn=_die_with_parent(parent),
            )
            self._say(f"started {child.name} (pid {child.process.pid}): {_shorten(child.argv)}")
        for child in children:
            child.pump = threading.Thread(
                target=self._pump, args=(child,), name=f"serve-{child.name}", daemon=True
            )
            child.pump.start()

    def _watch(self, children: list[Child]) -> Child | None:
        """Wait for a signal (returns None) or for a child to exit (returns that child)."""
        while self._stop_signal is None:
            for child in children:
                if not child.running:
                    return child
            time.sleep(POLL_SECONDS)
        return None

    def _stop(self, children: list[Child]) -> None:
        started = [c for c in children if c.process is not None]
        if not started:
            return
        self._say("stopping " + ", ".join(c.name for c in started if c.running) + " …")
        for child in started:
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while any(c.running for c in started) and time.monotonic() < deadline and not self._force:
            time.sleep(0.1)
        for child in started:
            if child.running:
                self._say(f"{child.name} did not stop in time: killing it")
            # Also reaches anything the child left behind in its group (runserver's reloader).
            _signal_group(child, signal.SIGKILL)
            child.process.wait()
        for child in started:
            if child.pump is not None:
                child.pump.join(timeout=2)

    # --- Output and signals ----------------------------------------------------------------

    def _on_signal(self, signum, _frame) -> None:
        if self._stop_signal is None:
            self._stop_signal = signum
        else:
            self._force = True  # a second Ctrl-C: do not wait for the warm shutdown

    def _pump(self, child: Child) -> None:
        prefix = f"{child.name:<6}| "
        if self._colour:
            prefix = colorize(prefix, fg=COLOURS[child.name])
        for raw in iter(child.process.stdout.readline, b""):
            self._emit(prefix + raw.decode("utf-8", errors="replace").rstrip("\r\n"))
        child.process.stdout.close()

    def _say(self, message: str) -> None:
        prefix = "serve | "
        self._emit(colorize(prefix, opts=("bold",)) + message if self._colour else prefix + message)

    def _emit(self, line: str) -> None:
        with self._write_lock:
            try:
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
            except (BrokenPipeError, ValueError):
                pass  # nobody is reading any more; keep stopping the children

    def _banner(self, host: str, port: int) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        shown = f"[{shown}]" if ":" in shown else shown
        self.stdout.write(self.style.SUCCESS(f"Grid governance platform: http://{shown}:{port}/"))
        accounts = _demo_accounts()
        if accounts is None:
            self.stdout.write(
                "Demo accounts: the database is not migrated yet (manage.py migrate)."
            )
        elif not accounts:
            self.stdout.write("Demo accounts: none (load them with manage.py seed_demo).")
        else:
            self.stdout.write(
                f"Demo accounts: {', '.join(accounts)}\n"
                f"  password {settings.DEMO_PASSWORD!r} "
                "(only if they were seeded with this DEMO_PASSWORD)"
            )
        self.stdout.write("web, worker and beat start below; Ctrl-C stops all three.")


def _port_from_env() -> int:
    raw = os.environ.get("PORT", "").strip()
    if not raw:
        return 8000
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"PORT must be a port number, not {raw!r}") from None


def _refuse_busy_port(host: str, port: int) -> None:
    """Fail before starting anything when the port is taken (runserver would die alone)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc.strerror}") from exc


def _demo_accounts() -> list[str] | None:
    """The demo usernames that exist, in the order above; None if the tables are missing."""
    try:
        found = set(
            get_user_model()
            .objects.filter(username__in=DEMO_USERNAMES)
            .values_list("username", flat=True)
        )
    except DatabaseError:
        return None
    return [name for name in DEMO_USERNAMES if name in found]


def _die_with_parent(parent: int):
    """A pre-exec hook asking Linux to SIGTERM the child if this command dies (even by SIGKILL).

    Without it, ``kill -9`` on serve would leave the worker and beat running. Other systems
    get no hook: there, only a clean stop (Ctrl-C, SIGTERM) stops the children.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: the hook itself must not import
    pr_set_pdeathsig = 1

    def hook() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return hook


def _signal_group(child: Child, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is empty
        os.killpg(child.process.pid, signum)


def _how(returncode: int) -> str:
    if returncode < 0:
        return f"killed by {signal.Signals(-returncode).name}"
    return f"exit code {returncode}"


def _shorten(argv: list[str]) -> str:
    """The command line without the interpreter's full path, for the start-up log."""
    return " ".join(["python", *argv[1:]])
