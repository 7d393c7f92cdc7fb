"""Keyed hashes and field encryption for identifiers that must never be stored in the clear."""
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def keyed_hash(value: str, *, purpose: str = "id") -> str:
    """HMAC-SHA256 with the installation's index key; the purpose keeps hash spaces apart."""
    msg = f"{purpose}:{value}".encode()
    return hmac.new(settings.INDEX_HASH_KEY.encode(), msg, hashlib.sha256).hexdigest()


def normalise_name(value: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name, for matching."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().replace("-", " ").split())
