//! `v.sort()` / `v.sort_unstable()` of a list of integers, `bool`s,
//! `char`s or strings: `rr_list_sort(list, kind)`, in place, with `kind`
//! = bits | signed << 8 for integer-like items (a `bool` is an unsigned
//! byte, a `char` an unsigned 32-bit value) and `STRINGS` for strings
//! (ordered by their bytes, as `str`'s `Ord`). Equal items of these types
//! cannot be told apart, so stability does not show.

use crate::layout::{array_data, bytes_of, list_items, list_len};

/// The `kind` of a list of strings.
pub const STRINGS: u64 = 1 << 16;

unsafe fn sort_as<T: Ord + Copy>(data: *mut u8, len: usize) {
    std::slice::from_raw_parts_mut(data as *mut T, len).sort_unstable();
}

/// # Safety
/// `list` must be a list of items of the given kind.
#[no_mangle]
pub unsafe extern "C" fn rr_list_sort(list: *mut u8, kind: u64) {
    let len = list_len(list);
    let items = list_items(list);
    let data = array_data(items);
    if kind == STRINGS {
        let refs = std::slice::from_raw_parts_mut(data as *mut *const u8, len);
        refs.sort_by(|a, b| bytes_of(*a).cmp(bytes_of(*b)));
        // The references moved between slots (and cards) of the array.
        crate::list_edit::moved(items, 0, len, 8);
        return;
    }
    match (kind & 0xff, kind >> 8 != 0) {
        (8, true) => sort_as::<i8>(data, len),
        (16, true) => sort_as::<i16>(data, len),
        (32, true) => sort_as::<i32>(data, len),
        (64, true) => sort_as::<i64>(data, len),
        (8, false) => sort_as::<u8>(data, len),
        (16, false) => sort_as::<u16>(data, len),
        (32, false) => sort_as::<u32>(data, len),
        _ => sort_as::<u64>(data, len),
    }
}
