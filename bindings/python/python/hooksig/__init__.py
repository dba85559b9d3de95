"""Sign and verify operator webhooks exactly like the reference JavaScript.

Every rule (which fields are signed, key order, number text, form decoding,
duplicate and empty keys, the signature itself) is computed by the Rust core;
this package only converts Python values and maps errors.
"""

from __future__ import annotations

from typing import List, Optional, TypedDict

from hooksig._errors import (
    EmptySecret,
    InvalidSignature,
    InvalidValue,
    MalformedBody,
    SignatureError,
)
from hooksig._hooksig import (
    Verified,
    __version__,
    canonical,
    encode_form,
    explain,
    sign,
    verify,
    verify_form,
    verify_form_detailed,
)

class ExplainError(TypedDict):
    """Why verification failed: the stable ``kind``, its ``category``
    (``signature``, ``body``, ``input`` or ``internal``), the core's message
    and the 0-based parameter at fault."""

    kind: str
    category: str
    message: str
    index: Optional[int]


class ExplainField(TypedDict):
    """One field of the body as decoded; ``dropped`` is ``None`` when the field
    is signed, else the reason name (``hash-field``, ``empty``, ``null-text``,
    ``undefined-text``)."""

    key: str
    value: str
    dropped: Optional[str]


class ExplainFinding(TypedDict):
    """One known-wrong computation that could explain a mismatch: its stable
    ``variant`` name, a ``description`` for people, whether it ``reproduces``
    the received hash exactly, and with which secret."""

    variant: str
    description: str
    reproduces: bool
    secret_index: Optional[int]


class ExplainDiagnosis(TypedDict):
    """The core's diagnosis of a mismatched or malformed hash: the ``cause``
    (the variant that reproduces the received hash, if one does) and every
    finding, most likely first."""

    cause: Optional[str]
    findings: List[ExplainFinding]


class ExplainReport(TypedDict):
    """What :func:`explain` returns. ``expected`` holds valid signatures for
    the body: log it for the operator, never send it back to the requester."""

    valid: bool
    secret_index: Optional[int]
    error: Optional[ExplainError]
    fields: List[ExplainField]
    canonical: Optional[str]
    expected: List[str]
    received: Optional[str]
    diagnosis: Optional[ExplainDiagnosis]
    text: str


__all__ = [
    "EmptySecret",
    "ExplainDiagnosis",
    "ExplainError",
    "ExplainField",
    "ExplainFinding",
    "ExplainReport",
    "InvalidSignature",
    "InvalidValue",
    "MalformedBody",
    "SignatureError",
    "Verified",
    "__version__",
    "canonical",
    "encode_form",
    "explain",
    "sign",
    "verify",
    "verify_form",
    "verify_form_detailed",
]
