"""Sign and verify operator webhooks exactly like the reference JavaScript.

Every rule (which fields are signed, key order, number text, form decoding,
duplicate and empty keys, the signature itself) is computed by the Rust core;
this package only converts Python values and maps errors.
"""

# Private names only: the public namespace is exactly __all__.
from typing import List as _List
from typing import Optional as _Optional
from typing import TypedDict as _TypedDict

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


class ExplainError(_TypedDict):
    """Why verification failed: the stable ``kind``, its ``category``
    (``signature``, ``body``, ``input`` or ``internal``), the core's message
    and the 0-based parameter at fault."""

    kind: str
    category: str
    message: str
    index: _Optional[int]


class ExplainField(_TypedDict):
    """One field of the body as decoded; ``dropped`` is ``None`` when the field
    is signed, else the reason name (``hash-field``, ``empty``, ``null-text``,
    ``undefined-text``)."""

    key: str
    value: str
    dropped: _Optional[str]


class ExplainFinding(_TypedDict):
    """One known-wrong computation that could explain a mismatch: its stable
    ``variant`` name, a ``description`` for people, whether it ``reproduces``
    the received hash exactly, and with which secret."""

    variant: str
    description: str
    reproduces: bool
    secret_index: _Optional[int]


class ExplainDiagnosis(_TypedDict):
    """The core's diagnosis of a mismatched or malformed hash: the ``cause``
    (the variant that reproduces the received hash, if one does) and every
    finding, most likely first."""

    cause: _Optional[str]
    findings: _List[ExplainFinding]


class ExplainReport(_TypedDict):
    """What :func:`explain` returns. ``expected`` holds valid signatures for
    the body: log it for the operator, never send it back to the requester."""

    valid: bool
    secret_index: _Optional[int]
    error: _Optional[ExplainError]
    fields: _List[ExplainField]
    canonical: _Optional[str]
    expected: _List[str]
    received: _Optional[str]
    diagnosis: _Optional[ExplainDiagnosis]
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
