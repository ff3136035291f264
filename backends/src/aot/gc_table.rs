//! The type table the collector reads (docs/runtime-abi.md, "Type table"):
//! `rr_gc_type_count: u32`, `rr_gc_types: [GcTypeInfo; count]` (16 bytes
//! each: kind, size, first_ptr, n_ptrs as u32) and `rr_gc_ptr_offsets:
//! [u32]`, exported read-only data objects built from `LLProgram::types`.

use cranelift_module::{DataDescription, Linkage, Module};
use rtyper::lltype::{GcTypeKind, GcTypes};

use super::module::ModuleCx;
use crate::error::BackendError;

pub(crate) const TYPE_COUNT_SYMBOL: &str = "rr_gc_type_count";
pub(crate) const TYPES_SYMBOL: &str = "rr_gc_types";
pub(crate) const PTR_OFFSETS_SYMBOL: &str = "rr_gc_ptr_offsets";

/// `kind` values of a `GcTypeInfo`.
const KIND_STRUCT: u32 = 0;
const KIND_ARRAY: u32 = 1;
const KIND_OPAQUE: u32 = 2;

/// The bytes of `rr_gc_types` and `rr_gc_ptr_offsets` (little-endian).
pub(crate) fn type_table_bytes(types: &GcTypes) -> (Vec<u8>, Vec<u8>) {
    let mut infos = Vec::with_capacity(types.len() * 16);
    let mut offsets: Vec<u32> = Vec::new();
    for def in types.values() {
        let (kind, size, first, n) = match &def.kind {
            GcTypeKind::Struct { fields, size } => {
                let first = offsets.len() as u32;
                offsets.extend(fields.iter().filter(|f| f.ty.is_ptr()).map(|f| f.offset));
                (KIND_STRUCT, *size, first, offsets.len() as u32 - first)
            }
            GcTypeKind::Array { item, item_size } => {
                (KIND_ARRAY, *item_size, 0, item.is_ptr() as u32)
            }
            GcTypeKind::Opaque { .. } => (KIND_OPAQUE, 0, 0, 0),
        };
        for w in [kind, size, first, n] {
            infos.extend_from_slice(&w.to_le_bytes());
        }
    }
    let offsets = offsets.iter().flat_map(|o| o.to_le_bytes()).collect();
    (infos, offsets)
}

/// Defines the three exported data objects.
pub(crate) fn define_type_table(cx: &mut ModuleCx) -> Result<(), BackendError> {
    let (infos, offsets) = type_table_bytes(&cx.program.types);
    let count = (cx.program.types.len() as u32).to_le_bytes().to_vec();
    for (name, mut bytes, align) in [
        (TYPE_COUNT_SYMBOL, count, 4),
        (TYPES_SYMBOL, infos, 8),
        (PTR_OFFSETS_SYMBOL, offsets, 4),
    ] {
        // An empty table still needs an address.
        if bytes.is_empty() {
            bytes.extend_from_slice(&[0; 4]);
        }
        let err = |e: cranelift_module::ModuleError| {
            BackendError::Module(format!("defining `{name}`: {e}"))
        };
        let id = cx
            .module
            .declare_data(name, Linkage::Export, false, false)
            .map_err(err)?;
        let mut desc = DataDescription::new();
        cx.data_size += bytes.len();
        desc.define(bytes.into_boxed_slice());
        desc.set_align(align);
        cx.module.define_data(id, &desc).map_err(err)?;
    }
    Ok(())
}
