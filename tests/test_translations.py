"""The zh-hans catalogues are complete: every string in the source has a translation.

The check runs ``makemessages`` on a copy of the source tree (so the working tree is never
touched), then fails on any entry of the copy's catalogues that is untranslated or fuzzy. A
string added to the code without a translation fails here, not in front of a user.
"""

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)
SOURCE_DIRS = ["governance", "templates", "static/js", *settings.FIRST_PARTY_APPS, "locale"]
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js", ".po"}


def test_the_committed_zh_hans_catalogues_are_complete():
    call_command("compiletranslations", "--check", "--locale", "zh_Hans", stdout=StringIO())


def _copy_sources(target: Path) -> None:
    shutil.copy2(BASE_DIR / "manage.py", target / "manage.py")
    for name in SOURCE_DIRS:
        source = BASE_DIR / name
        if not source.exists():
            continue
        for path in source.rglob("*"):
            wanted = path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts
            if wanted and path.is_file():
                copy = target / path.relative_to(BASE_DIR)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_source_string_has_a_zh_hans_translation(tmp_path):
    _copy_sources(tmp_path)
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var")}
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans", "--domain",
             domain, "--no-obsolete", "--ignore", "var/*"],
            cwd=tmp_path, env=env, check=True, capture_output=True,
        )  # fmt: skip

    missing = []
    for po_path in sorted(tmp_path.rglob("zh_Hans/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        for entry in [*po.untranslated_entries(), *po.fuzzy_entries()]:
            missing.append(f"{po_path.relative_to(tmp_path)}: {entry.msgid!r}")
    assert missing == [], "run `make messages` and translate:\n" + "\n".join(missing)


def test_a_string_means_the_same_in_every_catalogue():
    """The apps' catalogues share one gettext namespace: where two of them translate the same
    string differently, the first in LOCALE_PATHS wins on every page, so a unit's "Head" would
    read 户主 (head of household). Give such strings a context (pgettext) or one translation."""
    translations: dict[tuple, dict[str, str]] = {}
    for path in settings.LOCALE_PATHS:
        po_path = Path(path) / "zh_Hans" / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            continue
        for entry in polib.pofile(str(po_path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            translations.setdefault(key, {})[str(po_path.relative_to(BASE_DIR))] = entry.msgstr

    clashes = [f"{key}: {where}" for key, where in translations.items()
               if len(set(where.values())) > 1]  # fmt: skip
    assert clashes == [], "\n".join(clashes)
