//! `hooksig._hooksig`, the native half of the Python package `hooksig`.
//!
//! This crate is an adapter and nothing more: it converts Python objects into
//! the core's types, calls the core, and maps the core's errors onto the
//! exception classes of `hooksig._errors`. Every protocol rule (filtering, key
//! order, value text, form decoding, duplicate and empty keys, signatures)
//! lives in the `hooksig` crate; a filter, sort or `if` about parameters here
//! would be a bug.
//!
//! Conversions, in the order they are tried for a value: `str`, `None`, `bool`
//! (before `int`, because `bool` subclasses `int`), `int` (exact, as `i64` or
//! `u64`), `float`. Anything else is `invalid-value`. A key, value or secret
//! that is not valid Unicode (a lone surrogate) cannot become UTF-8 and is
//! `invalid-encoding`; a body is handed to the core's parser instead (see
//! [`Body`]).

use hooksig::{AsValue, Category, Error, ErrorKind, FormOptions, Value};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple,
    PyType,
};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

/// Inputs at least this large are hashed with the GIL released, so other
/// Python threads run meanwhile. Below it, releasing and re-taking the GIL
/// costs more than it frees.
const DETACH_THRESHOLD: usize = 64 * 1024;

// ---------------------------------------------------------------- errors

/// Why a conversion failed, added to the core's message. Names types and
/// arguments only: never a key, a value or a secret.
type Hint = Option<&'static str>;

/// The name of the `hooksig._errors` class for a core error kind.
///
/// Chosen by the core's category, so a kind added to the core lands in the
/// right class without a list here. The empty secret gets its own class
/// because it is a configuration mistake, not a type error.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind.category() {
        Category::Signature => "InvalidSignature",
        Category::Body => "MalformedBody",
        Category::Input if kind == ErrorKind::EmptySecret => "EmptySecret",
        Category::Input => "InvalidValue",
        _ => "SignatureError",
    }
}

/// The exception for a core error: its class from [`class_name`], its
/// message from the core's `Display` (which never holds a secret), then the
/// hint.
fn to_py(py: Python<'_>, error: Error, hint: Hint) -> PyErr {
    let mut message = error.to_string();
    if let Some(hint) = hint {
        message.push_str(": ");
        message.push_str(hint);
    }
    raise(py, error, message)
}

/// The exception of [`class_name`] for `error`, with this message.
fn raise(py: Python<'_>, error: Error, message: String) -> PyErr {
    static CLASSES: [PyOnceLock<Py<PyType>>; 5] = [const { PyOnceLock::new() }; 5];
    const NAMES: [&str; 5] = [
        "SignatureError",
        "InvalidSignature",
        "MalformedBody",
        "InvalidValue",
        "EmptySecret",
    ];
    let name = class_name(error.kind());
    let slot = NAMES.iter().position(|n| *n == name).unwrap_or(0);
    let raised = CLASSES[slot]
        .import(py, "hooksig._errors", name)
        .and_then(|class| class.call1((message.as_str(), error.kind().name(), error.index())));
    match raised {
        Ok(exception) => PyErr::from_value(exception),
        // Only if the package's Python half is missing (the native module
        // imported on its own); still a ValueError with the same text.
        Err(_) => PyValueError::new_err(message),
    }
}

/// `invalid-value` at `index`, or with no index.
fn invalid_value_at(index: Option<usize>) -> Error {
    match index {
        Some(i) => Error::at(ErrorKind::InvalidValue, i),
        None => Error::new(ErrorKind::InvalidValue),
    }
}

/// `invalid-value` for a parameter value of an unusable type or range: the
/// core's message (which is about values), then [`VALUE_HINT`].
fn invalid_value(py: Python<'_>, index: usize) -> PyErr {
    to_py(py, invalid_value_at(Some(index)), Some(VALUE_HINT))
}

/// `invalid-value` for an argument that is not a parameter value (the
/// params' shape, a key, a secret, the body, `max_params`). The core's
/// message speaks of values, so this one says what the argument must be.
fn wrong_argument(py: Python<'_>, index: Option<usize>, must: &'static str) -> PyErr {
    let mut message = format!("invalid argument: {must}");
    if let Some(i) = index {
        message.push_str(&format!(" (at parameter {})", i + 1));
    }
    raise(py, invalid_value_at(index), message)
}

/// Runs a core call, with the GIL released when `size` is large, and turns
/// a panic (a hooksig bug) into an `internal` error instead of a
/// `PanicException`.
fn run<T: Send>(
    py: Python<'_>,
    size: usize,
    f: impl FnOnce() -> Result<T, Error> + Send,
) -> PyResult<T> {
    let guarded =
        move || catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(Error::new(ErrorKind::Internal)));
    let result = if size >= DETACH_THRESHOLD {
        py.detach(guarded)
    } else {
        guarded()
    };
    result.map_err(|e| to_py(py, e, None))
}

// ---------------------------------------------------------------- strings

/// A Python `str` as UTF-8; `invalid-encoding` for a lone surrogate.
fn text(s: Bound<'_, PyString>, index: Option<usize>) -> PyResult<PyBackedStr> {
    let py = s.py();
    PyBackedStr::try_from(s).map_err(|_| {
        let error = match index {
            Some(i) => Error::at(ErrorKind::InvalidEncoding, i),
            None => Error::new(ErrorKind::InvalidEncoding),
        };
        to_py(
            py,
            error,
            Some("the str is not valid Unicode (lone surrogate)"),
        )
    })
}

/// UTF-8 of recently seen keys, by object identity.
///
/// On the stable ABI of Python 3.9 each `str` costs a new `bytes` object
/// (see [`Params`]), and on small params the keys are half of those. Keys
/// are nearly always the same objects call after call (interned literals,
/// the keys of one dict signed again), so their UTF-8 is kept here and
/// found by address. A `str` is immutable and the cache holds a reference
/// to it, so an address in the cache always names the same object, with
/// the same text.
///
/// Direct-mapped: an entry replaces whatever held its slot, so the cache
/// stays bounded with no eviction policy. Only exact `str` objects of at
/// most [`KEY_MAX`] bytes are kept: releasing a subclass could run Python
/// code, and long keys are rare. PyO3 refuses to load the module in a
/// second interpreter, so every cached object belongs to the one that runs.
struct KeyCache([Option<(Py<PyString>, PyBackedStr)>; KEY_SLOTS]);

const KEY_SLOTS: usize = 256;
const KEY_MAX: usize = 64;

static KEYS: Mutex<KeyCache> = Mutex::new(KeyCache([const { None }; KEY_SLOTS]));

/// The slot of an object: a multiplicative hash of its address (objects
/// are 16-byte aligned, so the low bits carry nothing).
fn key_slot(key: &Bound<'_, PyString>) -> usize {
    let address = key.as_ptr() as usize as u64;
    ((address >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize % KEY_SLOTS
}

/// A key's UTF-8: from [`KEYS`] when this object was seen before, else
/// converted (and remembered when it qualifies). While another thread
/// holds the cache, converts without waiting.
fn key_text(key: Bound<'_, PyString>, index: usize) -> PyResult<PyBackedStr> {
    let py = key.py();
    if !key.is_exact_instance_of::<PyString>() {
        return text(key, Some(index));
    }
    let slot = key_slot(&key);
    if let Ok(cache) = KEYS.try_lock()
        && let Some((object, utf8)) = &cache.0[slot]
        && object.as_ptr() == key.as_ptr()
    {
        return Ok(utf8.clone_ref(py));
    }
    let object = key.clone().unbind();
    let utf8 = text(key, Some(index))?;
    if utf8.len() <= KEY_MAX
        && let Ok(mut cache) = KEYS.try_lock()
    {
        let replaced = cache.0[slot].replace((object, utf8.clone_ref(py)));
        // Released after the lock: it runs no Python code (an exact `str`
        // and a `bytes`), but the critical section stays a swap.
        drop(cache);
        drop(replaced);
    }
    Ok(utf8)
}

// ---------------------------------------------------------------- params

/// One converted value. Strings stay owned by Python and are borrowed.
enum Held {
    Str(PyBackedStr),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Null,
}

impl AsValue for Held {
    fn as_value(&self) -> Value<'_> {
        match self {
            Held::Str(s) => Value::Str(s),
            Held::Int(i) => Value::Int(*i),
            Held::UInt(u) => Value::UInt(*u),
            Held::Float(x) => Value::Float(*x),
            Held::Bool(b) => Value::Bool(*b),
            Held::Null => Value::Null,
        }
    }
}

/// Converted params, in input order, every pair kept (the core refuses
/// duplicates and empty keys).
///
/// Each string's UTF-8 is a `bytes` object held by a `PyBackedStr`: the
/// stable ABI of Python 3.9 cannot borrow a `str`'s own UTF-8. That
/// allocation is most of the binding's cost on small params (see
/// benches/python/bench.py), so keys come from [`KEYS`] when they can; a
/// version-specific build (`--no-default-features`) borrows instead.
struct Params(Vec<(PyBackedStr, Held)>);

const VALUE_HINT: &str = "a value must be str, int in [-2**63, 2**64), float, bool or None";
const KEY_HINT: &str = "a key must be a str";
const PAIR_HINT: &str = "params must be a mapping or an iterable of (key, value) pairs";

impl Params {
    /// Reads `params`: a `dict`; a `list` or `tuple` of pairs; a multi-value
    /// mapping through `lists()` (Django `QueryDict`, Werkzeug `MultiDict`),
    /// `multi_items()` (Starlette `FormData`) or `keys()` and `getlist(key)`
    /// (any other mapping with `getlist`, e.g. Bottle's `MultiDict`); any
    /// other mapping through `items()`; or an iterable of pairs.
    fn from_py(params: &Bound<'_, PyAny>) -> PyResult<Params> {
        let py = params.py();
        let mut out = Params(Vec::new());
        if let Ok(dict) = params.cast_exact::<PyDict>() {
            out.0.reserve(dict.len());
            for (k, v) in dict.iter() {
                out.push(k, v)?;
            }
            return Ok(out);
        }
        // Lists and tuples of pairs skip the attribute probes below (a failed
        // getattr costs an AttributeError).
        if params.is_exact_instance_of::<PyList>() || params.is_exact_instance_of::<PyTuple>() {
            for item in iterate(params)? {
                let (k, v) = unpack(&item?, out.0.len())?;
                out.push(k, v)?;
            }
            return Ok(out);
        }
        // A protocol method only if it is one: an attribute that is not
        // callable (a class attribute `lists = 5`, or the child dict that an
        // addict-style mapping makes up for any name) is data, not `lists()`.
        fn method<'py>(
            params: &Bound<'py, PyAny>,
            name: &Bound<'py, PyString>,
        ) -> Option<Bound<'py, PyAny>> {
            params.getattr(name).ok().filter(|m| m.is_callable())
        }
        if let Some(lists) = method(params, intern!(py, "lists")) {
            for item in iterate(&lists.call0()?)? {
                let (k, values) = unpack(&item?, out.0.len())?;
                for v in iterate(&values)? {
                    out.push(k.clone(), v?)?;
                }
            }
            return Ok(out);
        }
        let pairs = if let Some(multi_items) = method(params, intern!(py, "multi_items")) {
            multi_items.call0()?
        } else if params.cast::<PyMapping>().is_ok() {
            if let Some(getlist) = method(params, intern!(py, "getlist")) {
                // Every value of every key, whatever `items()` takes or
                // hides (Bottle's `items()` gives one value per key and
                // takes no `multi`).
                let keys = params.call_method0(intern!(py, "keys"))?;
                for k in iterate(&keys)? {
                    let k = k?;
                    for v in iterate(&getlist.call1((&k,))?)? {
                        out.push(k.clone(), v?)?;
                    }
                }
                return Ok(out);
            }
            params.call_method0(intern!(py, "items"))?
        } else {
            params.clone()
        };
        for item in iterate(&pairs)? {
            let (k, v) = unpack(&item?, out.0.len())?;
            out.push(k, v)?;
        }
        Ok(out)
    }

    /// Takes the key and value by value: the references iteration gave us
    /// are handed on, not cloned (each clone costs an incref and a decref).
    fn push(&mut self, key: Bound<'_, PyAny>, value: Bound<'_, PyAny>) -> PyResult<()> {
        let index = self.0.len();
        if !key.is_instance_of::<PyString>() {
            return Err(wrong_argument(key.py(), Some(index), KEY_HINT));
        }
        let key = key_text(key.cast_into()?, index)?;
        let value = held(value, index)?;
        self.0.push((key, value));
        Ok(())
    }

    /// Bytes of text held, to decide whether to release the GIL.
    fn size(&self) -> usize {
        self.0
            .iter()
            .map(|(k, v)| k.len() + if let Held::Str(s) = v { s.len() } else { 0 })
            .sum()
    }
}

/// Iterates anything iterable; `invalid-value` if it is not.
fn iterate<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(wrong_argument(obj.py(), None, PAIR_HINT));
    }
    obj.try_iter()
        .map_err(|e| not_iterable(obj.py(), e, PAIR_HINT))
}

/// `invalid-value` for an object that is not iterable (a `TypeError`);
/// any other exception, raised by the caller's own `__iter__`, propagates.
fn not_iterable(py: Python<'_>, error: PyErr, hint: &'static str) -> PyErr {
    if error.is_instance_of::<PyTypeError>(py) {
        wrong_argument(py, None, hint)
    } else {
        error
    }
}

/// A `(key, value)` pair from a 2-tuple or a 2-list.
fn unpack<'py>(
    item: &Bound<'py, PyAny>,
    index: usize,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    if let Ok(t) = item.cast::<PyTuple>()
        && t.len() == 2
    {
        return Ok((t.get_item(0)?, t.get_item(1)?));
    }
    if let Ok(l) = item.cast::<PyList>()
        && l.len() == 2
    {
        return Ok((l.get_item(0)?, l.get_item(1)?));
    }
    Err(wrong_argument(item.py(), Some(index), PAIR_HINT))
}

/// Converts one value (see the module docs for the order).
fn held(v: Bound<'_, PyAny>, index: usize) -> PyResult<Held> {
    if v.is_instance_of::<PyString>() {
        return Ok(Held::Str(text(v.cast_into()?, Some(index))?));
    }
    if v.is_none() {
        return Ok(Held::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Held::Bool(b.is_true()));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Held::Int(i));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(Held::UInt(u));
        }
        return Err(invalid_value(v.py(), index));
    }
    if let Ok(x) = v.cast::<PyFloat>() {
        return Ok(Held::Float(x.value()));
    }
    Err(invalid_value(v.py(), index))
}

// ---------------------------------------------------------------- secrets, bodies, options

const SECRET_HINT: &str = "the secret must be a str";
const SECRETS_HINT: &str = "the secret must be a str or a sequence of str";

/// One secret: a `str`.
fn secret(obj: &Bound<'_, PyAny>) -> PyResult<PyBackedStr> {
    match obj.cast::<PyString>() {
        Ok(s) => text(s.clone(), None),
        Err(_) => Err(wrong_argument(obj.py(), None, SECRET_HINT)),
    }
}

/// One or more secrets: a `str` is one secret, never its characters.
fn secrets(obj: &Bound<'_, PyAny>) -> PyResult<Vec<PyBackedStr>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(vec![text(s.clone(), None)?]);
    }
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
        return Err(wrong_argument(obj.py(), None, SECRETS_HINT));
    }
    let items = obj
        .try_iter()
        .map_err(|e| not_iterable(obj.py(), e, SECRETS_HINT))?;
    let mut out = Vec::new();
    for item in items {
        let item = item?;
        match item.cast::<PyString>() {
            Ok(s) => out.push(text(s.clone(), None)?),
            Err(_) => return Err(wrong_argument(obj.py(), None, SECRETS_HINT)),
        }
    }
    Ok(out)
}

/// A request body: `bytes` (borrowed), `str` (as UTF-8) or `bytearray` (copied).
///
/// A `str` holding a lone surrogate is not refused here: it is encoded with
/// `surrogatepass`, where each lone surrogate becomes its 3-byte form
/// (`ED A0 80`...), which is not UTF-8. The core's parser then finds it in
/// its own left-to-right order, at its segment, after any earlier fault.
enum Body<'py> {
    Bytes(Bound<'py, PyBytes>),
    Text(PyBackedStr),
    Copied(Vec<u8>),
}

impl<'py> Body<'py> {
    fn from_py(obj: &Bound<'py, PyAny>) -> PyResult<Body<'py>> {
        let py = obj.py();
        if let Ok(b) = obj.cast::<PyBytes>() {
            Ok(Body::Bytes(b.clone()))
        } else if let Ok(s) = obj.cast::<PyString>() {
            match PyBackedStr::try_from(s.clone()) {
                Ok(utf8) => Ok(Body::Text(utf8)),
                Err(_) => {
                    // `str.encode`, not the object's own: a subclass's
                    // override never runs.
                    let encoded = py.get_type::<PyString>().call_method1(
                        intern!(py, "encode"),
                        (s, intern!(py, "utf-8"), intern!(py, "surrogatepass")),
                    )?;
                    Ok(Body::Bytes(encoded.cast_into::<PyBytes>()?))
                }
            }
        } else if let Ok(b) = obj.cast::<PyByteArray>() {
            Ok(Body::Copied(b.to_vec()))
        } else {
            Err(wrong_argument(
                obj.py(),
                None,
                "the body must be bytes, bytearray or str",
            ))
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b.as_bytes(),
            Body::Text(s) => s.as_bytes(),
            Body::Copied(v) => v,
        }
    }
}

/// Form options from the `max_params` keyword; `None` keeps the core's default.
fn options(max_params: Option<&Bound<'_, PyAny>>) -> PyResult<FormOptions> {
    const HINT: &str = "max_params must be a non-negative int or None";
    let mut options = FormOptions::new();
    if let Some(n) = max_params.filter(|n| !n.is_none()) {
        if n.is_instance_of::<PyBool>() || !n.is_instance_of::<PyInt>() {
            return Err(wrong_argument(n.py(), None, HINT));
        }
        // Above usize::MAX nothing could ever exceed the limit.
        let limit = match n.extract::<usize>() {
            Ok(limit) => limit,
            Err(_) if n.gt(0)? => usize::MAX,
            Err(_) => return Err(wrong_argument(n.py(), None, HINT)),
        };
        options = options.max_params(limit);
    }
    Ok(options)
}

/// A `dict[str, str]` of fields, in the order the core returned them.
fn fields_dict<'py>(py: Python<'py>, fields: &hooksig::Fields<'_>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in fields {
        dict.set_item(PyString::new(py, k), PyString::new(py, v))?;
    }
    Ok(dict)
}

// ---------------------------------------------------------------- API

/// Signs params with one secret; returns the 32 lowercase hex digits.
#[pyfunction]
fn sign<'py>(
    py: Python<'py>,
    params: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    let params = Params::from_py(params)?;
    let secret = self::secret(secret)?;
    let pairs = &params.0;
    let signature = run(py, params.size(), || hooksig::sign(pairs, &secret))?;
    Ok(PyString::new(py, signature.as_str()))
}

/// Verifies params that carry their `hash`; raises on failure.
#[pyfunction]
fn verify(py: Python<'_>, params: &Bound<'_, PyAny>, secret: &Bound<'_, PyAny>) -> PyResult<()> {
    let params = Params::from_py(params)?;
    let secrets = secrets(secret)?;
    let pairs = &params.0;
    run(py, params.size(), || hooksig::verify_any(pairs, &secrets)).map(drop)
}

/// The canonical string that is hashed before the secret.
#[pyfunction]
fn canonical<'py>(py: Python<'py>, params: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
    let params = Params::from_py(params)?;
    let pairs = &params.0;
    let text = run(py, params.size(), || hooksig::canonical(pairs))?;
    Ok(PyString::new(py, &text))
}

/// The complete signed body a sender POSTs.
#[pyfunction]
fn encode_form<'py>(
    py: Python<'py>,
    params: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    let params = Params::from_py(params)?;
    let secret = self::secret(secret)?;
    let pairs = &params.0;
    let body = run(py, params.size(), || hooksig::encode_form(pairs, &secret))?;
    Ok(PyString::new(py, &body))
}

/// Verifies a raw body; returns the signed fields.
#[pyfunction]
#[pyo3(signature = (body, secret, *, max_params = None))]
fn verify_form<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    max_params: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (verified, _) = verify_body(py, body, secret, max_params, |fields| {
        fields_dict(py, fields)
    })?;
    Ok(verified)
}

/// The result of [`verify_form_detailed`].
#[pyclass(frozen, module = "hooksig", name = "Verified")]
struct Verified {
    /// The signed fields, in signing order.
    #[pyo3(get)]
    params: Py<PyDict>,
    /// Index of the secret that matched.
    #[pyo3(get)]
    secret_index: usize,
}

#[pymethods]
impl Verified {
    /// Builds one from its two attributes; pickling needs it (see
    /// `__reduce__`). Holding a `Verified` proves nothing by itself.
    #[new]
    fn new(params: Bound<'_, PyDict>, secret_index: usize) -> Verified {
        Verified {
            params: params.unbind(),
            secret_index,
        }
    }

    /// Pickles as `Verified(params, secret_index)` (e.g. for multiprocessing).
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> (Bound<'py, PyType>, (Bound<'py, PyDict>, usize)) {
        let this = slf.get();
        (
            slf.get_type(),
            (this.params.bind(slf.py()).clone(), this.secret_index),
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Verified(params={}, secret_index={})",
            self.params.bind(py).repr()?,
            self.secret_index
        ))
    }
}

/// Verifies a raw body against one or more secrets; returns the signed
/// fields and the index of the secret that matched.
#[pyfunction]
#[pyo3(signature = (body, secrets, *, max_params = None))]
fn verify_form_detailed<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    secrets: &Bound<'py, PyAny>,
    max_params: Option<&Bound<'py, PyAny>>,
) -> PyResult<Verified> {
    let (params, secret_index) = verify_body(py, body, secrets, max_params, |fields| {
        fields_dict(py, fields)
    })?;
    Ok(Verified {
        params: params.unbind(),
        secret_index,
    })
}

/// Shared by the `verify_form*` functions: converts, verifies, and builds
/// the result from the fields while the body is still borrowed.
fn verify_body<'py, T>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    max_params: Option<&Bound<'py, PyAny>>,
    build: impl FnOnce(&hooksig::Fields<'_>) -> PyResult<T>,
) -> PyResult<(T, usize)> {
    let body = Body::from_py(body)?;
    let secrets = secrets(secret)?;
    let options = options(max_params)?;
    let bytes = body.bytes();
    let verified = run(py, bytes.len(), || {
        hooksig::verify_form_with(bytes, &secrets, &options)
    })?;
    Ok((build(&verified.fields)?, verified.secret_index))
}

/// Explains a verification as a dict (see `hooksig.ExplainReport`).
#[pyfunction]
#[pyo3(signature = (body, secret, *, max_params = None))]
fn explain<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    secret: &Bound<'py, PyAny>,
    max_params: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let body = Body::from_py(body)?;
    let secrets = secrets(secret)?;
    let options = options(max_params)?;
    let bytes = body.bytes();
    let report = run(py, bytes.len(), || {
        Ok(hooksig::explain(bytes, &secrets, &options))
    })?;
    let out = PyDict::new(py);
    out.set_item("valid", report.verdict.is_ok())?;
    out.set_item("secret_index", report.verdict.ok())?;
    match report.verdict {
        Ok(_) => out.set_item("error", py.None())?,
        Err(e) => {
            let error = PyDict::new(py);
            error.set_item("kind", e.kind().name())?;
            error.set_item("category", e.kind().category().name())?;
            error.set_item("message", e.to_string())?;
            error.set_item("index", e.index())?;
            out.set_item("error", error)?;
        }
    }
    let fields = PyList::empty(py);
    for f in &report.fields {
        let field = PyDict::new(py);
        field.set_item("key", &f.key)?;
        field.set_item("value", &f.value)?;
        field.set_item("dropped", f.dropped.map(|d| d.name()))?;
        fields.append(field)?;
    }
    out.set_item("fields", fields)?;
    out.set_item("canonical", &report.canonical)?;
    let expected: Vec<&str> = report.expected.iter().map(|s| s.as_str()).collect();
    out.set_item("expected", expected)?;
    out.set_item("received", &report.received)?;
    match &report.diagnosis {
        None => out.set_item("diagnosis", py.None())?,
        Some(d) => {
            let findings = PyList::empty(py);
            for f in &d.findings {
                let finding = PyDict::new(py);
                finding.set_item("variant", f.variant.name())?;
                finding.set_item("description", f.variant.describe())?;
                finding.set_item("reproduces", f.reproduces)?;
                finding.set_item("secret_index", f.secret_index)?;
                findings.append(finding)?;
            }
            let diagnosis = PyDict::new(py);
            diagnosis.set_item("cause", d.cause().map(|v| v.name()))?;
            diagnosis.set_item("findings", findings)?;
            out.set_item("diagnosis", diagnosis)?;
        }
    }
    out.set_item("text", report.to_string())?;
    Ok(out)
}

/// The native module. `gil_used = false`: every function is pure and safe
/// to call from many threads, so a free-threaded build may run them in parallel.
#[pymodule(gil_used = false)]
fn _hooksig(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Verified>()?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(canonical, m)?)?;
    m.add_function(wrap_pyfunction!(encode_form, m)?)?;
    m.add_function(wrap_pyfunction!(verify_form, m)?)?;
    m.add_function(wrap_pyfunction!(verify_form_detailed, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    Ok(())
}
