"""Encryption at rest, blind indexes and masks for ID numbers and phones.

A protected value is stored three ways, never in plain text:

- ``<field>_enc``: ``<key id>$<base64(nonce | AES-256-GCM ciphertext and tag)>``. The key id
  travels with the ciphertext, so a rotated key set still opens old rows. The associated data
  names the field, so a ciphertext copied into another column does not decrypt.
- ``<field>_hash``: HMAC-SHA256 of the normalised value under a separate key, hex; indexed for
  exact lookups (and uniqueness) without decrypting anything.
- ``<field>_masked``: what lists, exports and the API show (``4205**********1234``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value could not be decrypted (unknown key id, or tampered ciphertext)."""


def _keys() -> dict[str, bytes]:
    return settings.RESIDENTS_ENCRYPTION_KEYS


def encrypt(plain: str, *, purpose: str) -> str:
    """Encrypt ``plain`` with the current key; ``purpose`` (e.g. "resident.id_number") binds
    the ciphertext to its column. Empty stays empty."""
    if not plain:
        return ""
    key_id = settings.RESIDENTS_ENCRYPTION_KEY_ID
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_keys()[key_id]).encrypt(nonce, plain.encode("utf-8"), purpose.encode())
    return f"{key_id}${base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(stored: str, *, purpose: str) -> str:
    if not stored:
        return ""
    key_id, sep, payload = stored.partition("$")
    key = _keys().get(key_id)
    if not sep or key is None:
        raise DecryptionError(f"no key with id {key_id!r}")
    try:
        raw = base64.b64decode(payload)
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("the stored value does not decrypt") from exc
    return plain.decode("utf-8")


def key_id_of(stored: str) -> str:
    return stored.partition("$")[0] if stored else ""


def blind_index(value: str, *, purpose: str) -> str:
    """The keyed hash used to look a value up; empty stays empty."""
    if not value:
        return ""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(settings.RESIDENTS_INDEX_KEY, message, hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """``420502199001011234`` → ``4205**********1234``; short document numbers keep less."""
    if not value:
        return ""
    if len(value) >= 12:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    keep = max(1, len(value) // 4)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; ``0717-6123456`` → ``0717-***3456``."""
    if not value:
        return ""
    if "-" in value:
        area, _sep, number = value.partition("-")
        return f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return "*" * (len(value) - 4) + value[-4:]
