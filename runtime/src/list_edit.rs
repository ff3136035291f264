//! `Vec::insert`, `Vec::remove` and `reverse`, which move items inside the
//! items array: `rr_list_open_gap(list, index, item_size, array_type, loc)`
//! makes room at `index` (the caller stores the item there),
//! `rr_list_close_gap(list, index, item_size, loc)` takes the item at
//! `index` out (returned as a word), `rr_list_reverse(list, item_size)`.
//! Each panics as std does at `loc` when the index is out of range. Moving
//! references between slots of an old array passes each moved slot through
//! the write barrier (cards are per slot range).

use crate::gc::rr_gc_write_barrier_array;
use crate::layout::{array_data, bytes_of, list_items, list_len, set_word, LIST_LENGTH_OFFSET};
use crate::list::grow;
use crate::panic::panic_at;

/// Marks slots `from..to` of `items` written, if they hold references.
pub(crate) unsafe fn moved(items: *mut u8, from: usize, to: usize, item_size: u64) {
    // References are word-sized; so are integers, which the barrier
    // ignores unless the array tracks young pointers (arrays of words
    // only do when their items are references).
    if item_size == 8 {
        for i in from..to {
            rr_gc_write_barrier_array(items, i as u64);
        }
    }
}

/// # Safety
/// `list` must be a list of `item_size`-byte items of array type
/// `array_type_id`, `loc` a string object.
#[no_mangle]
pub unsafe extern "C" fn rr_list_open_gap(
    list: *mut u8,
    index: u64,
    item_size: u64,
    array_type_id: u64,
    loc: *const u8,
) {
    let len = list_len(list);
    if index as usize > len {
        let msg = format!("insertion index (is {index}) should be <= len (is {len})");
        panic_at(bytes_of(loc), msg.as_bytes());
    }
    let list = grow(list, len as u64 + 1, item_size, array_type_id);
    let items = list_items(list);
    let data = array_data(items);
    let size = item_size as usize;
    let at = index as usize;
    std::ptr::copy(
        data.add(at * size),
        data.add((at + 1) * size),
        (len - at) * size,
    );
    set_word(list, LIST_LENGTH_OFFSET, len as u64 + 1);
    moved(items, at + 1, len + 1, item_size);
}

/// The item at `index`, removed: its bytes as a little-endian word.
///
/// # Safety
/// As `rr_list_open_gap`.
#[no_mangle]
pub unsafe extern "C" fn rr_list_close_gap(
    list: *mut u8,
    index: u64,
    item_size: u64,
    loc: *const u8,
) -> u64 {
    let len = list_len(list);
    if index as usize >= len {
        let msg = format!("removal index (is {index}) should be < len (is {len})");
        panic_at(bytes_of(loc), msg.as_bytes());
    }
    let items = list_items(list);
    let data = array_data(items);
    let size = item_size as usize;
    let at = index as usize;
    let mut word = [0u8; 8];
    std::ptr::copy_nonoverlapping(data.add(at * size), word.as_mut_ptr(), size.min(8));
    let removed = u64::from_le_bytes(word);
    std::ptr::copy(
        data.add((at + 1) * size),
        data.add(at * size),
        (len - at - 1) * size,
    );
    set_word(list, LIST_LENGTH_OFFSET, len as u64 - 1);
    moved(items, at, len - 1, item_size);
    removed
}

/// # Safety
/// `list` must be a list of `item_size`-byte items.
#[no_mangle]
pub unsafe extern "C" fn rr_list_reverse(list: *mut u8, item_size: u64) {
    let len = list_len(list);
    let items = list_items(list);
    let data = array_data(items);
    let size = item_size as usize;
    for i in 0..len / 2 {
        std::ptr::swap_nonoverlapping(data.add(i * size), data.add((len - 1 - i) * size), size);
    }
    moved(items, 0, len, item_size);
}
