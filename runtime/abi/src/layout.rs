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
