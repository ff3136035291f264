//! Prebuilt objects as data objects: header word = type id | FLAG_PREBUILT |
//! FLAG_TRACK_YOUNG_PTRS (the write barrier must see the first store of a
//! reference into one), then fields or (length, items) laid out as `lltype` says, with pointer
//! slots relocated to other prebuilt objects.

use cranelift_entity::EntityRef;
use cranelift_module::{DataDescription, Linkage, Module};
use rtyper::llgraph::{LLConst, PrebuiltData, PrebuiltId};
use rtyper::lltype::{
    GcTypeKind, LLType, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET, FLAG_PREBUILT,
    FLAG_TRACK_YOUNG_PTRS,
};

use super::module::ModuleCx;
use crate::error::BackendError;

fn err(id: PrebuiltId, message: impl Into<String>) -> BackendError {
    BackendError::unsupported(&format!("prebuilt object {id}"), message)
}

/// Declares one data object per prebuilt object (so they can point at each
/// other), before any function refers to them.
pub(crate) fn declare_prebuilts(cx: &mut ModuleCx) -> Result<(), BackendError> {
    for (id, _) in cx.program.prebuilt.iter() {
        let name = format!("rr_prebuilt_{}", id.as_u32());
        // Writable: the GC may set flag bits in the header.
        let data = cx
            .module
            .declare_data(&name, Linkage::Local, true, false)
            .map_err(|e| BackendError::Module(e.to_string()))?;
        cx.prebuilt.push(data);
    }
    Ok(())
}

/// Pointer slots waiting for a relocation: (offset, target).
type Relocs = Vec<(u32, PrebuiltId)>;

pub(crate) fn define_prebuilts(cx: &mut ModuleCx) -> Result<(), BackendError> {
    let program = cx.program;
    for (id, pb) in program.prebuilt.iter() {
        let Some(tdef) = program.types.get(pb.ty) else {
            return Err(err(id, format!("unknown type {}", pb.ty)));
        };
        let header = pb.ty.as_u32() as u64 | FLAG_PREBUILT | FLAG_TRACK_YOUNG_PTRS;
        let mut bytes = header.to_le_bytes().to_vec();
        let mut relocs = Relocs::new();
        match (&tdef.kind, &pb.data) {
            (GcTypeKind::Struct { fields, size }, PrebuiltData::Struct(values)) => {
                if fields.len() != values.len() {
                    return Err(err(
                        id,
                        format!(
                            "{} has {} fields, got {} values",
                            tdef.name,
                            fields.len(),
                            values.len()
                        ),
                    ));
                }
                bytes.resize(*size as usize, 0);
                for (f, v) in fields.iter().zip(values) {
                    write_const(cx, id, &mut bytes, &mut relocs, f.offset, f.ty, v)?;
                }
            }
            (GcTypeKind::Array { item, item_size }, PrebuiltData::Array(values)) => {
                let len = values.len() as u32;
                bytes.resize(layout_array(len, *item_size), 0);
                put(&mut bytes, ARRAY_LENGTH_OFFSET, &(len as u64).to_le_bytes())
                    .map_err(|m| err(id, m))?;
                for (i, v) in values.iter().enumerate() {
                    let off = ARRAY_ITEMS_OFFSET + i as u32 * item_size;
                    write_const(cx, id, &mut bytes, &mut relocs, off, *item, v)?;
                }
            }
            (GcTypeKind::Array { item_size: 1, .. }, PrebuiltData::Bytes(b)) => {
                let len = b.len() as u32;
                bytes.resize(layout_array(len, 1), 0);
                put(&mut bytes, ARRAY_LENGTH_OFFSET, &(len as u64).to_le_bytes())
                    .and_then(|()| put(&mut bytes, ARRAY_ITEMS_OFFSET, b))
                    .map_err(|m| err(id, m))?;
            }
            (kind, data) => {
                return Err(err(
                    id,
                    format!(
                        "data {} does not fit type {} ({})",
                        data_kind(data),
                        tdef.name,
                        type_kind(kind)
                    ),
                ))
            }
        }
        let mut desc = DataDescription::new();
        for (off, target) in relocs {
            let Some(&target_data) = cx.prebuilt.get(target.index()) else {
                return Err(err(id, format!("points at unknown {target}")));
            };
            let gv = cx.module.declare_data_in_data(target_data, &mut desc);
            desc.write_data_addr(off, gv, 0);
        }
        cx.data_size += bytes.len();
        desc.define(bytes.into_boxed_slice());
        desc.set_align(8);
        cx.module
            .define_data(cx.prebuilt[id.index()], &desc)
            .map_err(|e| BackendError::Module(e.to_string()))?;
    }
    Ok(())
}

/// Size of an array object, rounded up to a word.
fn layout_array(len: u32, item_size: u32) -> usize {
    let end = ARRAY_ITEMS_OFFSET as usize + len as usize * item_size as usize;
    end.div_ceil(8) * 8
}

/// Writes `v` at `off`; only a malformed type definition (a field past the
/// object's size) can make it not fit.
fn put(bytes: &mut [u8], off: u32, v: &[u8]) -> Result<(), String> {
    let start = off as usize;
    match bytes.get_mut(start..start + v.len()) {
        Some(dst) => {
            dst.copy_from_slice(v);
            Ok(())
        }
        None => Err(format!(
            "a {}-byte slot at offset {off} does not fit in {} bytes",
            v.len(),
            bytes.len()
        )),
    }
}

fn write_const(
    cx: &ModuleCx,
    id: PrebuiltId,
    bytes: &mut [u8],
    relocs: &mut Relocs,
    off: u32,
    slot: LLType,
    c: &LLConst,
) -> Result<(), BackendError> {
    let prebuilt = &cx.program.prebuilt;
    if let LLConst::Prebuilt(p) = c {
        if !prebuilt.is_valid(*p) {
            return Err(err(id, format!("points at unknown {p}")));
        }
    }
    let cty = c.ty(prebuilt);
    let fits = cty == slot || (cty.is_ptr() && slot.is_ptr());
    if !fits {
        return Err(err(
            id,
            format!("constant {c:?} of type {cty:?} in a slot of type {slot:?}"),
        ));
    }
    let r = match *c {
        LLConst::Int(v, t) => {
            let n = (t.bits() / 8) as usize;
            put(bytes, off, &v.to_le_bytes()[..n])
        }
        LLConst::Bool(b) => put(bytes, off, &[b as u8]),
        LLConst::Char(ch) => put(bytes, off, &(ch as u32).to_le_bytes()),
        LLConst::Float(f) => put(bytes, off, &f.to_bits().to_le_bytes()),
        LLConst::Null(_) | LLConst::Void => Ok(()),
        LLConst::Prebuilt(p) => {
            relocs.push((off, p));
            put(bytes, off, &[0; 8])
        }
    };
    r.map_err(|m| err(id, m))
}

fn data_kind(d: &PrebuiltData) -> &'static str {
    match d {
        PrebuiltData::Struct(_) => "Struct",
        PrebuiltData::Array(_) => "Array",
        PrebuiltData::Bytes(_) => "Bytes",
    }
}

fn type_kind(k: &GcTypeKind) -> &'static str {
    match k {
        GcTypeKind::Struct { .. } => "struct",
        GcTypeKind::Array { .. } => "array",
        GcTypeKind::Opaque { .. } => "opaque",
    }
}
