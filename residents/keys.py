"""Keys that protect ID numbers and phones, read from the environment when settings load.

``RESIDENTS_ENCRYPTION_KEYS`` lists AES-256 keys as ``id:base64key,id2:base64key`` (each key 32
random bytes); ``RESIDENTS_ENCRYPTION_KEY_ID`` names the one new values are encrypted with
(default: the first). Older keys stay listed so old rows stay readable after a rotation.
``RESIDENTS_INDEX_KEY`` (base64, 32+ bytes) keys the HMAC blind index used for exact lookups;
it is separate so the lookup column never helps decrypt anything. Every variable may come from
a ``*_FILE``. In development a key set is generated once under ``VAR_DIR`` (mode 600, never
committed); production refuses to start without both variables.

This module is imported by the settings, so it must not import Django models.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from governance.env import env_str, is_set

KEY_BYTES = 32
KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,16}$")
DEV_KEY_FILE = "residents_keys.json"


def _decode(name: str, text: str, *, exact: bool) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} holds a key that is not valid base64") from exc
    if (exact and len(raw) != KEY_BYTES) or len(raw) < KEY_BYTES:
        raise ImproperlyConfigured(
            f"{name} keys must be {KEY_BYTES} random bytes (base64), not {len(raw)} bytes"
        )
    return raw


def parse_key_list(text: str) -> dict[str, bytes]:
    """``id:base64,id:base64`` → {id: key}, in the order given."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                "RESIDENTS_ENCRYPTION_KEYS must read 'id:base64key,...' with ids of letters, "
                "digits, '.', '_' or '-'"
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"RESIDENTS_ENCRYPTION_KEYS names key {key_id!r} twice")
        keys[key_id] = _decode("RESIDENTS_ENCRYPTION_KEYS", encoded, exact=True)
    if not keys:
        raise ImproperlyConfigured("RESIDENTS_ENCRYPTION_KEYS lists no key")
    return keys


def _dev_keys(var_dir: Path) -> tuple[str, str]:
    """The development key set under VAR_DIR, generated on first use."""
    path = var_dir / DEV_KEY_FILE
    if not path.exists():
        data = {
            "keys": f"dev1:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}",
            "index": base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode(),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
    path.chmod(0o600)
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["keys"], data["index"]


def load_residents_keys(var_dir: Path, production: bool) -> tuple[dict[str, bytes], str, bytes]:
    """(keys by id, current key id, index key) from the environment or the dev key file."""
    configured = is_set("RESIDENTS_ENCRYPTION_KEYS"), is_set("RESIDENTS_INDEX_KEY")
    if all(configured):
        key_text, index_text = env_str("RESIDENTS_ENCRYPTION_KEYS"), env_str("RESIDENTS_INDEX_KEY")
    elif production:
        missing = [
            name
            for name, present in zip(
                ("RESIDENTS_ENCRYPTION_KEYS", "RESIDENTS_INDEX_KEY"), configured, strict=True
            )
            if not present
        ]
        raise ImproperlyConfigured(
            f"{' and '.join(missing)} must be set in production (ID numbers and phones are "
            "encrypted with them)"
        )
    elif any(configured):
        raise ImproperlyConfigured(
            "Set both RESIDENTS_ENCRYPTION_KEYS and RESIDENTS_INDEX_KEY, or neither"
        )
    else:
        key_text, index_text = _dev_keys(var_dir)
    keys = parse_key_list(key_text)
    current = env_str("RESIDENTS_ENCRYPTION_KEY_ID", next(iter(keys)))
    if current not in keys:
        raise ImproperlyConfigured(
            f"RESIDENTS_ENCRYPTION_KEY_ID {current!r} is not among RESIDENTS_ENCRYPTION_KEYS"
        )
    index_key = _decode("RESIDENTS_INDEX_KEY", index_text, exact=False)
    if index_key in keys.values():
        raise ImproperlyConfigured("RESIDENTS_INDEX_KEY must differ from the encryption keys")
    return keys, current, index_key
