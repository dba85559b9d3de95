"""The exceptions of hooksig.

The native module raises these; it picks the class from the core's error
category, and ``kind`` is the core's stable kind name. Messages come from the
core and never contain a secret, a key or a value.
"""

from __future__ import annotations

from typing import Optional, Tuple, Type


class SignatureError(ValueError):
    """Base class of every hooksig error.

    ``kind`` is the stable name (``mismatch``, ``duplicate-key``, ...);
    ``index`` is the 0-based parameter (body segment or params pair) at
    fault, when there is one.
    """

    kind: str
    index: Optional[int]

    def __init__(self, message: str, kind: str = "internal", index: Optional[int] = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.index = index

    def __reduce__(self) -> Tuple[Type[SignatureError], Tuple[str, str, Optional[int]]]:
        # Keeps kind and index through pickling (e.g. multiprocessing).
        return (type(self), (str(self), self.kind, self.index))


class InvalidSignature(SignatureError):
    """The signature is wrong or absent: ``mismatch``, ``malformed-hash``, ``missing-hash``."""


class MalformedBody(SignatureError):
    """The input is refused before any signature check: ``duplicate-key``,
    ``empty-key``, ``invalid-encoding``, ``too-many-params``."""


class InvalidValue(SignatureError, TypeError):
    """An argument hooksig cannot use: ``invalid-value`` (a value, key, secret
    or body of an unsupported type, or an int out of range) and
    ``unsupported-key``."""


class EmptySecret(SignatureError):
    """The secret is empty, or no secret was given: ``empty-secret``."""
