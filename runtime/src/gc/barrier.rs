//! The write barriers and the identity hash.

use super::collect::in_nursery;
use super::flags::*;
use super::{state, types, CARD_ITEMS};
use crate::layout::{set_word, word, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};

/// `rr_gc_write_barrier(obj)`: `obj` (flagged `FLAG_TRACK_YOUNG_PTRS`) is
/// about to receive a reference: remember it until the next minor
/// collection (prebuilt objects: for good).
///
/// # Safety
/// `obj` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn rr_gc_write_barrier(obj: *mut u8) {
    let h = word(obj, 0);
    if h & FLAG_TRACK_YOUNG_PTRS == 0 {
        return;
    }
    set_word(obj, 0, h & !FLAG_TRACK_YOUNG_PTRS);
    let gc = state();
    if h & FLAG_PREBUILT != 0 {
        gc.prebuilt.push(obj);
    } else {
        gc.remembered.push(obj);
    }
}

/// `rr_gc_write_barrier_array(arr, index)`: marks the card of `index` in a
/// large array of references; the array keeps its flag, so later stores
/// mark their own cards.
///
/// # Safety
/// `arr` must be a live array.
#[no_mangle]
pub unsafe extern "C" fn rr_gc_write_barrier_array(arr: *mut u8, index: u64) {
    let h = word(arr, 0);
    if h & FLAG_TRACK_YOUNG_PTRS == 0 {
        return;
    }
    if h & FLAG_HAS_CARDS == 0 || index >= word(arr, ARRAY_LENGTH_OFFSET) {
        return rr_gc_write_barrier(arr);
    }
    *arr.sub(1 + index as usize / CARD_ITEMS) = 1;
    if h & FLAG_CARDS_SET == 0 {
        set_word(arr, 0, h | FLAG_CARDS_SET);
        state().cards.push(arr);
    }
}

/// Stores the reference `v` at `obj + off` with the write barrier: for the
/// runtime's own stores into objects that may be old.
///
/// # Safety
/// `obj + off` must be a reference field of a live object.
#[inline]
pub unsafe fn store_ref(obj: *mut u8, off: usize, v: *mut u8) {
    let h = word(obj, 0);
    if h & FLAG_TRACK_YOUNG_PTRS != 0 && !v.is_null() {
        if h & FLAG_HAS_CARDS != 0 {
            let index = (off - ARRAY_ITEMS_OFFSET) / 8;
            rr_gc_write_barrier_array(obj, index as u64);
        } else {
            rr_gc_write_barrier(obj);
        }
    }
    set_word(obj, off, v as u64);
}

/// `rr_identity_hash(obj)`: the address the object had when first hashed.
///
/// # Safety
/// `obj` must be a live object.
#[no_mangle]
pub unsafe extern "C" fn rr_identity_hash(obj: *mut u8) -> u64 {
    let h = word(obj, 0);
    if h & FLAG_HAS_HASH_FIELD != 0 {
        return word(obj, types::object_size(obj));
    }
    let gc = state();
    if in_nursery(gc, obj as u64) {
        set_word(obj, 0, h | FLAG_HASH_TAKEN);
    }
    obj as u64
}
