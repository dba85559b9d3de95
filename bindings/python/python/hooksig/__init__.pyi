"""Type stubs of hooksig (checked against the runtime by ``python -m mypy.stubtest hooksig``)."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Optional, TypedDict, Union, final

from hooksig._errors import (
    EmptySecret as EmptySecret,
    InvalidSignature as InvalidSignature,
    InvalidValue as InvalidValue,
    MalformedBody as MalformedBody,
    SignatureError as SignatureError,
)

__version__: str

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

_Value = Union[str, int, float, bool, None]
# Any mapping (multi-value mappings are read through lists(), multi_items() or
# keys() and getlist(key)), or an iterable of (key, value) pairs, in order.
_Params = Union[Mapping[str, _Value], Iterable[tuple[str, _Value]]]
# A str is ONE secret, never a sequence of characters.
_Secrets = Union[str, Sequence[str]]
_Body = Union[bytes, bytearray, str]

class ExplainError(TypedDict):
    kind: str
    category: str
    message: str
    index: Optional[int]

class ExplainFinding(TypedDict):
    variant: str
    description: str
    reproduces: bool
    secret_index: Optional[int]

class ExplainDiagnosis(TypedDict):
    cause: Optional[str]
    findings: list[ExplainFinding]

class ExplainField(TypedDict):
    key: str
    value: str
    dropped: Optional[str]

class ExplainReport(TypedDict):
    valid: bool
    secret_index: Optional[int]
    error: Optional[ExplainError]
    fields: list[ExplainField]
    canonical: Optional[str]
    expected: list[str]
    received: Optional[str]
    diagnosis: Optional[ExplainDiagnosis]
    text: str

@final
class Verified:
    """The signed fields of a verified body, and which secret matched."""

    def __new__(cls, params: dict[str, str], secret_index: int) -> Verified: ...
    @property
    def params(self) -> dict[str, str]: ...
    @property
    def secret_index(self) -> int: ...

def sign(params: _Params, secret: str) -> str:
    """The signature (32 lowercase hex digits) of ``params`` under ``secret``."""

def verify(params: _Params, secret: _Secrets) -> None:
    """Checks the ``hash`` inside ``params``; raises :class:`SignatureError` on failure."""

def canonical(params: _Params) -> str:
    """The string that is hashed before the secret."""

def encode_form(params: _Params, secret: str) -> str:
    """The complete signed ``application/x-www-form-urlencoded`` body."""

def verify_form(body: _Body, secret: _Secrets, *, max_params: Optional[int] = None) -> dict[str, str]:
    """Verifies a raw request body; returns the signed fields only."""

def verify_form_detailed(
    body: _Body, secrets: _Secrets, *, max_params: Optional[int] = None
) -> Verified:
    """Like :func:`verify_form`, and tells which secret matched."""

def explain(body: _Body, secret: _Secrets, *, max_params: Optional[int] = None) -> ExplainReport:
    """A structured report of one verification, for the operator's logs (never the secret)."""
