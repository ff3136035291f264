//! Lists (`Vec<T>`, `String`): creation, growth, cloning.

use crate::alloc::{alloc_array, alloc_object};
use crate::gc::roots::Frame;
use crate::gc::store_ref;
use crate::layout::{
    array_data, list_capacity, list_items, list_len, set_word, type_id, LIST_ITEMS_OFFSET,
    LIST_LENGTH_OFFSET, LIST_SIZE,
};

// Every function here that allocates may collect, which moves young
// objects: GC references held across an allocation live in a shadow-stack
// `Frame` and are read back from it afterwards.

/// An empty list with an items array of `capacity` items. The items array
/// always exists (possibly of length 0) so generated code can read the
/// capacity without a null check.
#[inline]
pub fn new_list(list_tid: u64, array_tid: u64, item_size: u64, capacity: u64) -> *mut u8 {
    let items = alloc_array(array_tid, item_size, capacity);
    let f = Frame::new([items]);
    let list = alloc_object(list_tid, LIST_SIZE);
    // SAFETY: list is a fresh (young) list object: no barrier needed.
    unsafe { set_word(list, LIST_ITEMS_OFFSET, f.get(0) as u64) };
    list
}

/// The capacity `Vec` grows to when it needs room for `min_capacity`
/// (doubling, with `RawVec`'s minimum non-zero capacities).
fn grown_capacity(old: u64, min_capacity: u64, item_size: u64) -> u64 {
    let min_non_zero = if item_size == 1 {
        8
    } else if item_size <= 1024 {
        4
    } else {
        1
    };
    min_capacity.max(old.saturating_mul(2)).max(min_non_zero)
}

/// Makes room for `min_capacity` items; see `rr_list_grow`. Returns the
/// list's (possibly new) address.
///
/// # Safety
/// `list` must be a list whose items are `item_size` bytes each.
#[inline]
pub unsafe fn grow(list: *mut u8, min_capacity: u64, item_size: u64, array_tid: u64) -> *mut u8 {
    let old_cap = list_capacity(list) as u64;
    if old_cap >= min_capacity {
        return list;
    }
    let new_cap = grown_capacity(old_cap, min_capacity, item_size);
    let f = Frame::new([list]);
    let new_items = alloc_array(array_tid, item_size, new_cap);
    let list = f.get(0);
    let len = list_len(list);
    if len > 0 {
        // The new array is young (or young large): plain copies suffice.
        std::ptr::copy_nonoverlapping(
            array_data(list_items(list)),
            array_data(new_items),
            len * item_size as usize,
        );
    }
    store_ref(list, LIST_ITEMS_OFFSET, new_items);
    list
}

/// A new `String` holding `bytes` (which must not lie in the GC heap).
pub fn new_string(bytes: &[u8]) -> *mut u8 {
    let s = new_list(type_id::STRING, type_id::BYTE_ARRAY, 1, bytes.len() as u64);
    // SAFETY: s has room for bytes.len() bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), array_data(list_items(s)), bytes.len());
        set_word(s, LIST_LENGTH_OFFSET, bytes.len() as u64);
    }
    s
}

/// Appends `bytes` to the byte list `s`; returns `s`'s (possibly new)
/// address. `bytes` may lie in the GC heap (`s`'s own contents, another
/// string): it is copied out before growing, which may move it.
///
/// # Safety
/// `s` must be a `List<u8>`.
#[inline]
pub unsafe fn append_bytes(s: *mut u8, bytes: &[u8]) -> *mut u8 {
    let len = list_len(s);
    let need = len + bytes.len();
    let mut s = s;
    if need > list_capacity(s) {
        let saved = bytes.to_vec();
        s = grow(s, need as u64, 1, type_id::BYTE_ARRAY);
        copy_in(s, len, &saved);
    } else {
        copy_in(s, len, bytes);
    }
    set_word(s, LIST_LENGTH_OFFSET, need as u64);
    s
}

/// # Safety
/// `s` must be a byte list with capacity for `at + bytes.len()`.
#[inline(always)]
unsafe fn copy_in(s: *mut u8, at: usize, bytes: &[u8]) {
    std::ptr::copy(
        bytes.as_ptr(),
        array_data(list_items(s)).add(at),
        bytes.len(),
    );
}

/// `rr_list_new(list_type_id, array_type_id, item_size, capacity)`.
#[no_mangle]
pub extern "C" fn rr_list_new(
    list_type_id: u64,
    array_type_id: u64,
    item_size: u64,
    capacity: u64,
) -> *mut u8 {
    new_list(list_type_id, array_type_id, item_size, capacity)
}

/// `rr_list_grow(list, min_capacity, item_size, array_type_id)`.
///
/// # Safety
/// `list` must be a list whose items are `item_size` bytes each.
#[no_mangle]
pub unsafe extern "C" fn rr_list_grow(
    list: *mut u8,
    min_capacity: u64,
    item_size: u64,
    array_type_id: u64,
) {
    grow(list, min_capacity, item_size, array_type_id);
}

/// `rr_list_new_filled(...)`: `vec![value; length]`, storing the low
/// `item_size` bytes of `value` in every item.
#[no_mangle]
pub extern "C" fn rr_list_new_filled(
    list_type_id: u64,
    array_type_id: u64,
    item_size: u64,
    length: u64,
    value: u64,
) -> *mut u8 {
    // A reference value must be kept (and updated) across the allocation.
    // SAFETY: the type table is linked in.
    let is_ref = value != 0 && unsafe { crate::gc::types::array_items_are_refs(array_type_id) };
    let f = Frame::new([if is_ref {
        value as *mut u8
    } else {
        std::ptr::null_mut()
    }]);
    let list = new_list(list_type_id, array_type_id, item_size, length);
    let value = if is_ref { f.get(0) as u64 } else { value };
    // SAFETY: the fresh items array holds `length` items of `item_size`;
    // it is young, so storing references needs no barrier.
    unsafe {
        let data = array_data(list_items(list));
        let n = length as usize;
        // Fresh objects are zeroed, so a zero value needs no stores.
        if value != 0 {
            match item_size {
                1 => std::ptr::write_bytes(data, value as u8, n),
                2 => std::slice::from_raw_parts_mut(data as *mut u16, n).fill(value as u16),
                4 => std::slice::from_raw_parts_mut(data as *mut u32, n).fill(value as u32),
                8 => std::slice::from_raw_parts_mut(data as *mut u64, n).fill(value),
                _ => {
                    let bytes = value.to_le_bytes();
                    let k = (item_size as usize).min(8);
                    for i in 0..n {
                        std::ptr::copy_nonoverlapping(
                            bytes.as_ptr(),
                            data.add(i * item_size as usize),
                            k,
                        );
                    }
                }
            }
        }
        set_word(list, LIST_LENGTH_OFFSET, length);
    }
    list
}

/// `rr_list_clone(list, list_type_id, array_type_id, item_size)`: a shallow
/// copy with capacity equal to the length, as `Vec::clone`.
///
/// # Safety
/// `list` must be a list whose items are `item_size` bytes each.
#[no_mangle]
pub unsafe extern "C" fn rr_list_clone(
    list: *mut u8,
    list_type_id: u64,
    array_type_id: u64,
    item_size: u64,
) -> *mut u8 {
    let len = list_len(list);
    let f = Frame::new([list]);
    let copy = new_list(list_type_id, array_type_id, item_size, len as u64);
    let list = f.get(0);
    if len > 0 {
        // The copy's items are young: plain copies suffice.
        std::ptr::copy_nonoverlapping(
            array_data(list_items(list)),
            array_data(list_items(copy)),
            len * item_size as usize,
        );
    }
    set_word(copy, LIST_LENGTH_OFFSET, len as u64);
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::word;
    use crate::testutil::{lock, string, text};

    /// Pushes `v` onto a list of u64 items the way generated code does.
    unsafe fn push_u64(list: *mut u8, v: u64) {
        let len = list_len(list);
        if len == list_capacity(list) {
            rr_list_grow(list, len as u64 + 1, 8, 11);
        }
        *(array_data(list_items(list)) as *mut u64).add(len) = v;
        set_word(list, LIST_LENGTH_OFFSET, len as u64 + 1);
    }

    unsafe fn items_u64(list: *mut u8) -> Vec<u64> {
        let p = array_data(list_items(list)) as *const u64;
        (0..list_len(list)).map(|i| *p.add(i)).collect()
    }

    #[test]
    fn list_new_has_capacity_and_is_empty() {
        let _g = lock();
        let l = rr_list_new(10, 11, 8, 5);
        unsafe {
            assert_eq!(word(l, 0), 10);
            assert_eq!(list_len(l), 0);
            assert_eq!(list_capacity(l), 5);
            assert_eq!(word(list_items(l), 0), 11);
        }
        let e = rr_list_new(10, 11, 8, 0);
        unsafe {
            assert!(!list_items(e).is_null());
            assert_eq!(list_capacity(e), 0);
        }
    }

    #[test]
    fn list_grow_keeps_items() {
        let _g = lock();
        let l = rr_list_new(10, 11, 8, 0);
        unsafe {
            // Every byte of every item matters (high bytes non-zero too).
            let val = |i: u64| (i + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            for i in 0..1000u64 {
                push_u64(l, val(i));
            }
            assert_eq!(items_u64(l), (0..1000).map(val).collect::<Vec<_>>());
            assert!(list_capacity(l) >= 1000);
            // Growing to less than the capacity changes nothing.
            let items = list_items(l);
            rr_list_grow(l, 3, 8, 11);
            assert_eq!(list_items(l), items);
            // An explicit large request is honoured exactly or more.
            rr_list_grow(l, 5000, 8, 11);
            assert!(list_capacity(l) >= 5000);
            assert_eq!(list_len(l), 1000);
            assert_eq!(items_u64(l), (0..1000).map(val).collect::<Vec<_>>());
        }
    }

    #[test]
    fn list_new_filled_all_sizes() {
        let _g = lock();
        unsafe {
            let l = rr_list_new_filled(1, 0, 1, 7, 0x1ff);
            assert_eq!(list_len(l), 7);
            let b = std::slice::from_raw_parts(array_data(list_items(l)), 7);
            assert_eq!(b, &[0xff; 7]);
            let l = rr_list_new_filled(10, 14, 4, 3, 0x1234_5678_9abc_def0);
            let w = std::slice::from_raw_parts(array_data(list_items(l)) as *const u32, 3);
            assert_eq!(w, &[0x9abc_def0; 3]);
            let l = rr_list_new_filled(10, 11, 8, 4, (-1.5f64).to_bits());
            assert_eq!(items_u64(l), vec![(-1.5f64).to_bits(); 4]);
            let l = rr_list_new_filled(10, 13, 2, 2, 0xbeef);
            let h = std::slice::from_raw_parts(array_data(list_items(l)) as *const u16, 2);
            assert_eq!(h, &[0xbeef, 0xbeef]);
            let z = rr_list_new_filled(10, 11, 8, 0, 5);
            assert_eq!(list_len(z), 0);
        }
    }

    #[test]
    fn list_clone_is_a_separate_copy() {
        let _g = lock();
        unsafe {
            let l = rr_list_new(10, 11, 8, 0);
            for i in 0..20 {
                push_u64(l, i);
            }
            let c = rr_list_clone(l, 10, 11, 8);
            assert_eq!(word(c, 0), 10);
            assert_eq!(items_u64(c), (0..20).collect::<Vec<_>>());
            push_u64(l, 99);
            *(array_data(list_items(l)) as *mut u64) = 42;
            assert_eq!(items_u64(c), (0..20).collect::<Vec<_>>());
            assert_eq!(list_capacity(c), 20);

            let s = string("héllo");
            let t = rr_list_clone(s, 1, 0, 1);
            assert_eq!(text(t), "héllo");
        }
    }

    #[test]
    fn append_bytes_to_itself() {
        let _g = lock();
        unsafe {
            let mut s = string("ab");
            for _ in 0..6 {
                let b = crate::layout::bytes_of(s);
                s = append_bytes(s, b);
            }
            assert_eq!(text(s), "ab".repeat(64));
        }
    }
}
