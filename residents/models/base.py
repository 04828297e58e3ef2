"""What the registry's models share: scoping through a chain of foreign keys, protected values."""

from __future__ import annotations

from typing import ClassVar

from governance.scoping import ScopedModel
from residents.crypto import blind_index, decrypt, encrypt, mask_id_number, mask_phone


class ChainScopedModel(ScopedModel):
    """A ``ScopedModel`` whose ``scope_area_field`` may be a path (``house__building__grid``)."""

    def scope_codes(self) -> list[str]:
        node = self
        for part in self.scope_area_field.split("__"):
            node = getattr(node, part, None)
            if node is None:
                return []
        return [node.code]


class ProtectedValuesMixin:
    """Models holding encrypted values: ``<name>_enc``, ``<name>_hash``, ``<name>_masked``.

    ``PROTECTED`` maps each value's name to ``(purpose, kind)``; kind "id" or "phone" picks
    the mask. Setting a value goes through ``protect()``; reading the plain value through
    ``reveal()``, which only the reveal service and the importer's checks call.
    """

    PROTECTED: ClassVar[dict[str, tuple[str, str]]] = {}

    def protect(self, name: str, value: str, *, lookup: str | None = None) -> None:
        """Encrypt ``value`` into ``<name>_enc``; hash ``lookup`` (default: the value)."""
        purpose, kind = self.PROTECTED[name]
        setattr(self, f"{name}_enc", encrypt(value, purpose=purpose))
        setattr(self, f"{name}_hash", blind_index(lookup or value, purpose=purpose))
        setattr(
            self, f"{name}_masked", mask_phone(value) if kind == "phone" else mask_id_number(value)
        )
        if kind == "phone" and hasattr(self, f"{name}_last4"):
            setattr(self, f"{name}_last4", value[-4:] if value else "")

    def reveal(self, name: str) -> str:
        purpose, _kind = self.PROTECTED[name]
        return decrypt(getattr(self, f"{name}_enc"), purpose=purpose)

    @classmethod
    def lookup_hash(cls, name: str, value: str) -> str:
        purpose, _kind = cls.PROTECTED[name]
        return blind_index(value, purpose=purpose)
