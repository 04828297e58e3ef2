"""Compile the gettext catalogues (.po to .mo) in pure Python, so no one needs GNU gettext.

``manage.py compiletranslations`` writes a ``.mo`` next to every
``<LOCALE_PATH>/<locale>/LC_MESSAGES/<domain>.po``. ``--check`` writes nothing and fails when a
catalogue has an untranslated or fuzzy entry; the test suite runs it to keep zh-hans complete.
"""

import os
import re
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# How many offending msgids --check lists per catalogue before summarising the rest.
SHOWN_PER_CATALOGUE = 5


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po under LOCALE_PATHS into .mo with polib."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if any entry is untranslated or fuzzy.",
        )
        parser.add_argument(
            "-l",
            "--locale",
            action="append",
            default=[],
            help="Only this locale directory, e.g. zh_Hans (repeatable). Default: all.",
        )

    def handle(self, *args, check: bool, locale: list[str], verbosity: int, **options):
        catalogues = self._catalogues(set(locale))
        if not catalogues:
            self.stdout.write(
                "No translation catalogues (locale/*/LC_MESSAGES/*.po) under LOCALE_PATHS "
                f"({', '.join(str(p) for p in settings.LOCALE_PATHS) or 'none set'}); "
                "nothing to compile."
            )
            return

        parsed = [(path, self._parse(path)) for path in catalogues]
        if check:
            self._check(parsed)
            return

        messages = 0
        for path, po in parsed:
            count = len(po.translated_entries())
            _write_atomically(path.with_suffix(".mo"), po.to_binary())
            messages += count
            if verbosity >= 2:
                self.stdout.write(f"  {path}: {count} messages")
        self.stdout.write(
            self.style.SUCCESS(f"Compiled {messages} messages in {len(parsed)} catalogue(s).")
        )

    def _catalogues(self, only: set[str]) -> list[Path]:
        found = []
        for root in settings.LOCALE_PATHS:
            for path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                if not only or path.parent.parent.name in only:
                    found.append(path)
        return found

    def _parse(self, path: Path) -> polib.POFile:
        # polib raises OSError on syntax errors, ValueError on duplicate msgids (which GNU
        # msgfmt also refuses) and UnicodeDecodeError on a charset that lies. It silently
        # accepts an unterminated or unquoted string, so each line is checked first.
        try:
            _check_lines(path)
            return polib.pofile(str(path), check_for_duplicates=True)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path} cannot be compiled: {exc}") from exc

    def _check(self, parsed: list[tuple[Path, polib.POFile]]) -> None:
        problems = []
        for path, po in parsed:
            bad = [("untranslated", e) for e in po.untranslated_entries()]
            bad += [("fuzzy", e) for e in po.fuzzy_entries()]
            if not bad:
                continue
            problems.append(f"{path}: {len(bad)} entries need translating")
            for kind, entry in bad[:SHOWN_PER_CATALOGUE]:
                context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
                problems.append(f"  {kind}: {entry.msgid!r}{context}")
            if len(bad) > SHOWN_PER_CATALOGUE:
                problems.append(f"  … and {len(bad) - SHOWN_PER_CATALOGUE} more")
        if problems:
            raise CommandError("Incomplete translations:\n" + "\n".join(problems))
        total = sum(len(po.translated_entries()) for _path, po in parsed)
        self.stdout.write(
            self.style.SUCCESS(
                f"All {total} messages in {len(parsed)} catalogue(s) are translated."
            )
        )


_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(rf"(?:(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+)?{_STRING}\s*")


def _check_lines(path: Path) -> None:
    """Every line is blank, a comment, or a keyword and/or one complete quoted string."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#") and not _PO_LINE.fullmatch(stripped):
                raise ValueError(f"line {number} is not valid PO syntax: {stripped[:60]!r}")


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace the file in one step, so a running server never reads half a catalogue."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
