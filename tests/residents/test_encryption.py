"""ID numbers and phones are encrypted at rest, found through a keyed hash, and survive a key
rotation."""

import base64
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from residents.crypto import DecryptionError, decrypt, encrypt, key_id_of
from residents.keys import load_residents_keys
from residents.models import Resident
from residents.selectors import residents_for
from tests.residents.conftest import make_id


def _raw_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM residents_resident")
        return cursor.fetchall()


def test_the_database_never_holds_the_plain_id_number_or_phone(registry):
    number, phone = make_id("19850312", 123), "13812345678"
    dumped = repr(_raw_rows())

    assert Resident.objects.filter(name="张三").exists()
    assert number not in dumped
    assert phone not in dumped
    assert number[-8:] not in dumped  # not even the birth date and sequence in clear


def test_a_resident_is_found_by_the_full_id_number(registry, world):
    found = residents_for(world.users["admin"], query=make_id("19850312", 123))

    assert list(found) == [registry.resident_a]


def test_changing_the_current_key_keeps_old_rows_readable(registry, settings, world):
    old_id = settings.RESIDENTS_ENCRYPTION_KEY_ID
    stored_before = Resident.objects.get(pk=registry.resident_a.pk).id_number_enc
    settings.RESIDENTS_ENCRYPTION_KEYS = {
        **settings.RESIDENTS_ENCRYPTION_KEYS,
        "2027a": os.urandom(32),
    }
    settings.RESIDENTS_ENCRYPTION_KEY_ID = "2027a"

    from residents import services

    newcomer = services.resident_create(
        actor=world.users["admin"], house=registry.house_a, name="周七",
        id_number=make_id("20010203", 222), ethnicity="01", relation="child",
    )  # fmt: skip
    old = Resident.objects.get(pk=registry.resident_a.pk)

    assert key_id_of(stored_before) == old_id
    assert old.reveal("id_number") == make_id("19850312", 123)
    assert key_id_of(Resident.objects.get(pk=newcomer.pk).id_number_enc) == "2027a"
    assert Resident.objects.get(pk=newcomer.pk).reveal("id_number") == make_id("20010203", 222)
    assert list(residents_for(world.users["admin"], query=make_id("19850312", 123))) == [old]


def test_a_ciphertext_copied_into_another_column_does_not_decrypt():
    sealed = encrypt("13812345678", purpose="resident.phone")

    assert decrypt(sealed, purpose="resident.phone") == "13812345678"
    with pytest.raises(DecryptionError):
        decrypt(sealed, purpose="resident.id_number")


def test_the_development_key_file_is_made_once_and_readable_only_by_its_owner(tmp_path):
    first = load_residents_keys(tmp_path, production=False)
    second = load_residents_keys(tmp_path, production=False)
    mode = stat.S_IMODE((tmp_path / "residents_keys.json").stat().st_mode)

    assert first == second
    assert mode == 0o600


def test_production_refuses_to_start_without_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("RESIDENTS_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("RESIDENTS_INDEX_KEY", raising=False)

    with pytest.raises(ImproperlyConfigured, match="RESIDENTS_ENCRYPTION_KEYS"):
        load_residents_keys(tmp_path, production=True)


def test_keys_from_the_environment_name_the_current_one(tmp_path, monkeypatch):
    one, two = os.urandom(32), os.urandom(32)
    encoded = ",".join(
        f"{name}:{base64.b64encode(key).decode()}" for name, key in (("k1", one), ("k2", two))
    )
    monkeypatch.setenv("RESIDENTS_ENCRYPTION_KEYS", encoded)
    monkeypatch.setenv("RESIDENTS_ENCRYPTION_KEY_ID", "k2")
    monkeypatch.setenv("RESIDENTS_INDEX_KEY", base64.b64encode(os.urandom(32)).decode())

    keys, current, _index = load_residents_keys(tmp_path, production=True)

    assert keys == {"k1": one, "k2": two}
    assert current == "k2"
    monkeypatch.setenv("RESIDENTS_ENCRYPTION_KEY_ID", "k3")
    with pytest.raises(ImproperlyConfigured, match="k3"):
        load_residents_keys(tmp_path, production=True)
