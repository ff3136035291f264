//! Cranelift types of trace values and of memory/call kinds.

use abi::{IntKind, Kind};
use cranelift_codegen::ir::{types, Type};
use traceir::ops::Type as TType;

/// The register type of a trace value (ints and refs are 64-bit words).
pub fn value_type(t: TType) -> Option<Type> {
    match t {
        TType::Int | TType::Ref => Some(types::I64),
        TType::Float => Some(types::F64),
        TType::Void => None,
    }
}

/// The Cranelift integer type of an int kind, if it has a valid width.
pub fn int_type(k: IntKind) -> Option<Type> {
    match k.bits {
        8 => Some(types::I8),
        16 => Some(types::I16),
        32 => Some(types::I32),
        64 => Some(types::I64),
        _ => None,
    }
}

/// The type a value of `kind` has when passed to or returned from a call.
pub fn abi_type(kind: Kind) -> Option<Type> {
    match kind {
        Kind::Int(k) => int_type(k),
        Kind::Ref => Some(types::I64),
        Kind::Float => Some(types::F64),
    }
}
