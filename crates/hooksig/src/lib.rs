#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![doc = include_str!("../README.md")]

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod canonical;
pub mod collation;
#[cfg(feature = "alloc")]
pub mod diagnosis;
mod error;
#[cfg(feature = "alloc")]
pub mod explain;
#[cfg(feature = "alloc")]
pub mod form;
#[cfg(feature = "alloc")]
mod layout;
mod signature;
mod swar;
mod value;

pub use canonical::AsValue;
#[cfg(feature = "alloc")]
pub use canonical::canonical;
pub use error::{Category, Error, ErrorKind};
#[cfg(feature = "alloc")]
pub use explain::{Report, ReportField, explain};
#[cfg(feature = "alloc")]
pub use form::{
    Fields, FormOptions, Verified, encode_form, parse_form, parse_form_with, verify_form,
    verify_form_with,
};
#[cfg(feature = "alloc")]
pub use layout::Layout;
pub use signature::{Signature, sign_pairs, verify_pairs};
#[cfg(feature = "alloc")]
pub use signature::{sign, verify, verify_any};
pub use value::{DropReason, Value};
