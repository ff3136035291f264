//! The type table the generated object exports (docs/runtime-abi.md, "Type
//! table"): object sizes and where the references are.

use crate::layout::{word, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};

/// One entry of `rr_gc_types` (16 bytes, as the backend emits it).
#[repr(C)]
#[derive(Copy, Clone)]
pub struct GcTypeInfo {
    /// 0 struct, 1 array, 2 opaque.
    pub kind: u32,
    /// Struct: total size; array: item size; opaque: 0.
    pub size: u32,
    pub first_ptr: u32,
    pub n_ptrs: u32,
}

pub const KIND_STRUCT: u32 = 0;
pub const KIND_ARRAY: u32 = 1;

// Defined by the generated object (and by `test_types` in unit tests). Only
// the first element is declared; the tables are indexed through pointers.
extern "C" {
    static rr_gc_type_count: u32;
    static rr_gc_types: GcTypeInfo;
    static rr_gc_ptr_offsets: u32;
}

/// The layout of type `tid`; an unknown id is a broken program.
///
/// # Safety
/// The type table must be linked in.
#[inline(always)]
pub unsafe fn info(tid: u64) -> &'static GcTypeInfo {
    let count = std::ptr::addr_of!(rr_gc_type_count).read() as u64;
    if tid >= count {
        bad_type(tid);
    }
    &*std::ptr::addr_of!(rr_gc_types).add(tid as usize)
}

/// The offsets of a struct type's reference fields.
///
/// # Safety
/// As [`info`]; `t` must come from it.
#[inline(always)]
pub unsafe fn ptr_offsets(t: &GcTypeInfo) -> &'static [u32] {
    std::slice::from_raw_parts(
        std::ptr::addr_of!(rr_gc_ptr_offsets).add(t.first_ptr as usize),
        t.n_ptrs as usize,
    )
}

/// Whether the items of array type `tid` are references.
///
/// # Safety
/// As [`info`].
pub unsafe fn array_items_are_refs(tid: u64) -> bool {
    let t = info(tid);
    t.kind == KIND_ARRAY && t.n_ptrs != 0
}

#[cold]
#[inline(never)]
fn bad_type(tid: u64) -> ! {
    crate::panic::internal_error(&format!("GC: object with unknown type id {tid}"))
}

/// An object's size in bytes (header included, rounded up to 8), without
/// the identity-hash word.
///
/// # Safety
/// `obj` must be a live object whose type is in the table.
#[inline]
pub unsafe fn object_size(obj: *const u8) -> usize {
    let tid = word(obj, 0) & 0xffff_ffff;
    let t = info(tid);
    let raw = match t.kind {
        KIND_STRUCT => t.size as usize,
        KIND_ARRAY => {
            ARRAY_ITEMS_OFFSET + word(obj, ARRAY_LENGTH_OFFSET) as usize * t.size as usize
        }
        _ => opaque_size(tid),
    };
    (raw + 7) & !7
}

fn opaque_size(tid: u64) -> usize {
    match tid {
        crate::layout::type_id::DICT => crate::dict::DICT_SIZE as usize,
        crate::layout::type_id::IO_ERROR => crate::io::IO_ERROR_SIZE as usize,
        _ => bad_type(tid),
    }
}
