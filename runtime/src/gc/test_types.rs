//! The type table of the unit tests (a translated program gets its own from
//! the generated object): the well-known types, then the test types below.

use super::types::GcTypeInfo;

/// `{ next: Ptr(NODE) @ 8 }`, 16 bytes: a linked-list node.
pub const NODE: u64 = 6;
pub const NODE_SIZE: u64 = 16;
/// `{ a: Ptr @ 8, b: Ptr @ 16, val: u64 @ 24 }`.
pub const PAIR: u64 = 7;
pub const PAIR_SIZE: u64 = 32;
/// `Array<u64>`.
pub const ARRAY_U64: u64 = 8;
/// `Array<Ptr>`.
pub const ARRAY_REF: u64 = 9;
/// `List<u64>` (items `Array<u64>` = 11), as the list tests use.
pub const LIST_U64: u64 = 10;
pub const ARRAY_U64_B: u64 = 11;
/// A struct with no fields (8 bytes).
pub const EMPTY: u64 = 12;
pub const ARRAY_U16: u64 = 13;
pub const ARRAY_U32: u64 = 14;
/// `List<Ptr>` (items `Array<Ptr>` = 9).
pub const LIST_REF: u64 = 15;

const fn s(size: u32, first_ptr: u32, n_ptrs: u32) -> GcTypeInfo {
    GcTypeInfo {
        kind: 0,
        size,
        first_ptr,
        n_ptrs,
    }
}
const fn a(item: u32, refs: u32) -> GcTypeInfo {
    GcTypeInfo {
        kind: 1,
        size: item,
        first_ptr: 0,
        n_ptrs: refs,
    }
}
const OPAQUE: GcTypeInfo = GcTypeInfo {
    kind: 2,
    size: 0,
    first_ptr: 0,
    n_ptrs: 0,
};

#[no_mangle]
static rr_gc_type_count: u32 = 16;
#[no_mangle]
static rr_gc_types: [GcTypeInfo; 16] = [
    a(1, 0),
    s(24, 0, 1),
    a(8, 1),
    s(24, 0, 1),
    OPAQUE,
    OPAQUE,
    s(16, 1, 1),
    s(32, 1, 2),
    a(8, 0),
    a(8, 1),
    s(24, 0, 1),
    a(8, 0),
    s(8, 0, 0),
    a(2, 0),
    a(4, 0),
    s(24, 0, 1),
];
#[no_mangle]
static rr_gc_ptr_offsets: [u32; 3] = [16, 8, 16];
