//! Object layout constants shared by generated code, the collector and the
//! JIT. Every heap object starts with one header word: the low 32 bits hold
//! the type id, the high 32 bits GC flags (DESIGN §4).

/// Size of the header word.
pub const HEADER_SIZE: u32 = 8;
/// Offset of the length word in an array object.
pub const ARRAY_LENGTH_OFFSET: u32 = 8;
/// Offset of item 0 in an array object.
pub const ARRAY_ITEMS_OFFSET: u32 = 16;
/// Offset of a list's length word (`Vec<T>`, `String`, `&str`, `&[T]`).
pub const LIST_LENGTH_OFFSET: u32 = 8;
/// Offset of a list's pointer to its items array.
pub const LIST_ITEMS_OFFSET: u32 = 16;

/// Objects emitted into the object file as prebuilt constants: never moved
/// or freed.
pub const FLAG_PREBUILT: u64 = 1 << 32;
/// Old or prebuilt objects not in the remembered set: a store of a
/// reference into one must call the write barrier first.
pub const FLAG_TRACK_YOUNG_PTRS: u64 = 1 << 33;
/// Large reference arrays with a card table: their barrier is
/// `rr_gc_write_barrier_array(array, index)`.
pub const FLAG_HAS_CARDS: u64 = 1 << 34;
/// Offset of the type id, the header's low 32 bits (little-endian): a
/// 32-bit load there reads it (`type_id_of`).
pub const TYPE_ID_OFFSET: u32 = 0;
/// Offset of the GC flags, the header's high 32 bits.
pub const FLAGS_OFFSET: u32 = 4;

/// Well-known type ids (`rtyper::lltype::well_known`; the runtime's
/// `layout::type_id` restates them): types every program has, at these
/// ids, because the runtime creates their objects (or, for `OBJECT`,
/// because a `dyn Trait` reference has that type). User types follow
/// from `COUNT` on. `backends/tests/runtime_abi.rs` checks all three
/// lists agree.
pub mod type_id {
    /// `Array<u8>`.
    pub const BYTE_ARRAY: u32 = 0;
    /// `List<u8>`: `String`, `&str`, `Vec<u8>`, `&[u8]`.
    pub const STRING: u32 = 1;
    /// `Array<Ptr(STRING)>`.
    pub const STRING_ARRAY: u32 = 2;
    /// `List<Ptr(STRING)>`: `Vec<String>`.
    pub const STRING_LIST: u32 = 3;
    /// The runtime's opaque `HashMap` object.
    pub const DICT: u32 = 4;
    /// The runtime's opaque `std::io::Error` object.
    pub const IO_ERROR: u32 = 5;
    /// `Object`, a struct with no fields: "any GC object", the pointee
    /// type of `dyn Trait` references. Never allocated.
    pub const OBJECT: u32 = 6;
    /// The number of well-known types.
    pub const COUNT: u32 = 7;
}
