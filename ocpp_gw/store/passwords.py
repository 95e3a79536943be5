"""Salted password hashes for station Basic auth (security profiles 1 and 2).

scrypt from the standard library, a random 16-byte salt per password, and a self-describing
format so the cost can be raised later without invalidating stored hashes::

    stored = hash_password("s3cret-pass")   # 'scrypt$16384$8$1$<salt>$<digest>'
    assert verify_password("s3cret-pass", stored)

Verification compares in constant time. Hashing costs ~16 MiB and tens of milliseconds on
purpose; async callers run it in a worker thread (:func:`verify_password_async`).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets

__all__ = ["hash_password", "new_password", "verify_password", "verify_password_async"]

_N, _R, _P = 2**14, 8, 1
_DIGEST_BYTES = 32
#: Verified when a station is unknown, so an unknown identity costs as much as a wrong password.
_DUMMY = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=2 * 128 * r * n + 1024 * 1024,
        dklen=_DIGEST_BYTES,
    )


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` in the ``scrypt$N$r$p$salt$digest`` format."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _N, _R, _P)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """``True`` if ``password`` matches the ``stored`` hash (``None`` never matches)."""
    try:
        scheme, n, r, p, salt, digest = (stored or _DUMMY).split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected) and stored is not None


async def verify_password_async(password: str, stored: str | None) -> bool:
    """:func:`verify_password` in a worker thread (keeps the event loop free while hashing)."""
    return await asyncio.to_thread(verify_password, password, stored)


def new_password() -> str:
    """A random password for a new station (printable, 128 bits)."""
    return secrets.token_urlsafe(16)
