//! Object layouts the runtime reads and writes.
//!
//! These restate `rtyper/src/lltype.rs` (the contract; the runtime does not
//! depend on the rtyper crate): one header word (low 32 bits type id, high 32
//! bits GC flags); arrays hold their length at 8 and items from 16; lists
//! (`Vec<T>`, `String`, `&str`, `&[T]`) hold their length at 8 and a pointer to
//! their items array at 16.

/// Size of the header word (`lltype::HEADER_SIZE`).
#[allow(dead_code)]
pub const HEADER_SIZE: u64 = 8;
/// `lltype::ARRAY_LENGTH_OFFSET`.
pub const ARRAY_LENGTH_OFFSET: usize = 8;
/// `lltype::ARRAY_ITEMS_OFFSET`.
pub const ARRAY_ITEMS_OFFSET: usize = 16;
/// Offset of a list's length word.
pub const LIST_LENGTH_OFFSET: usize = 8;
/// Offset of a list's pointer to its items array.
pub const LIST_ITEMS_OFFSET: usize = 16;
/// Size of a list object (header, length, items).
pub const LIST_SIZE: u64 = 24;
/// `lltype::FLAG_PREBUILT`, kept for the collector of a later issue.
#[allow(dead_code)]
pub const FLAG_PREBUILT: u64 = 1 << 32;

/// Well-known type ids (`lltype::well_known`, `abi::layout::type_id`;
/// `backends/tests/runtime_abi.rs` checks they agree).
pub mod type_id {
    /// `Array<u8>`.
    pub const BYTE_ARRAY: u64 = 0;
    /// `List<u8>`: `String`, `&str`, `Vec<u8>`, `&[u8]`.
    pub const STRING: u64 = 1;
    /// `Array<Ptr(STRING)>`.
    pub const STRING_ARRAY: u64 = 2;
    /// `List<Ptr(STRING)>`.
    pub const STRING_LIST: u64 = 3;
    /// The runtime's opaque `HashMap` object.
    pub const DICT: u64 = 4;
    /// The runtime's opaque `std::io::Error` object.
    pub const IO_ERROR: u64 = 5;
    /// `Object`: no fields, "any GC object" (the type of `dyn Trait`
    /// references); never allocated, so the collector never meets it.
    #[allow(dead_code)]
    pub const OBJECT: u64 = 6;
}

/// Reads the word at `obj + off`.
///
/// # Safety
/// `obj + off` must be a readable, 8-aligned word of a live object.
#[inline(always)]
pub unsafe fn word(obj: *const u8, off: usize) -> u64 {
    *(obj.add(off) as *const u64)
}

/// Writes the word at `obj + off`.
///
/// # Safety
/// As [`word`], and writable.
#[inline(always)]
pub unsafe fn set_word(obj: *mut u8, off: usize, v: u64) {
    *(obj.add(off) as *mut u64) = v;
}

/// The type id in an object's header.
///
/// # Safety
/// `obj` must point to a live object.
#[inline(always)]
pub unsafe fn type_id_of(obj: *const u8) -> u64 {
    word(obj, 0) & 0xffff_ffff
}

/// A list's length.
///
/// # Safety
/// `list` must point to a list object.
#[inline(always)]
pub unsafe fn list_len(list: *const u8) -> usize {
    word(list, LIST_LENGTH_OFFSET) as usize
}

/// A list's items array (may be null only for an empty list).
///
/// # Safety
/// `list` must point to a list object.
#[inline(always)]
pub unsafe fn list_items(list: *const u8) -> *mut u8 {
    word(list, LIST_ITEMS_OFFSET) as *mut u8
}

/// A list's capacity: the length of its items array.
///
/// # Safety
/// `list` must point to a list object.
#[inline(always)]
pub unsafe fn list_capacity(list: *const u8) -> usize {
    let items = list_items(list);
    if items.is_null() {
        0
    } else {
        word(items, ARRAY_LENGTH_OFFSET) as usize
    }
}

/// Pointer to item 0 of an array.
#[inline(always)]
pub fn array_data(array: *mut u8) -> *mut u8 {
    array.wrapping_add(ARRAY_ITEMS_OFFSET)
}

/// The bytes of a byte sequence object: a `List<u8>` (string, `Vec<u8>`,
/// slice) or, recognised by its type id 0, an `Array<u8>` (`[u8; N]`).
///
/// # Safety
/// `obj` must be such an object and stay unchanged while the slice lives.
#[inline(always)]
pub unsafe fn bytes_of<'a>(obj: *const u8) -> &'a [u8] {
    if type_id_of(obj) == type_id::BYTE_ARRAY {
        let len = word(obj, ARRAY_LENGTH_OFFSET) as usize;
        return std::slice::from_raw_parts(obj.add(ARRAY_ITEMS_OFFSET), len);
    }
    let len = list_len(obj);
    if len == 0 {
        return &[];
    }
    std::slice::from_raw_parts(array_data(list_items(obj)), len)
}

/// As [`bytes_of`], mutable (for reading input into a buffer).
///
/// # Safety
/// As [`bytes_of`], and nothing else may access the bytes meanwhile.
#[inline(always)]
pub unsafe fn bytes_of_mut<'a>(obj: *mut u8) -> &'a mut [u8] {
    if type_id_of(obj) == type_id::BYTE_ARRAY {
        let len = word(obj, ARRAY_LENGTH_OFFSET) as usize;
        return std::slice::from_raw_parts_mut(obj.add(ARRAY_ITEMS_OFFSET), len);
    }
    let len = list_len(obj);
    if len == 0 {
        return &mut [];
    }
    std::slice::from_raw_parts_mut(array_data(list_items(obj)), len)
}

/// A string object's text. Strings built by translated programs are UTF-8
/// (rustc checked them); anything else is shown lossily rather than trusted.
///
/// # Safety
/// As [`bytes_of`].
pub unsafe fn str_of<'a>(obj: *const u8) -> std::borrow::Cow<'a, str> {
    String::from_utf8_lossy(bytes_of(obj))
}
