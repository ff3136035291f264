//! Finding the references inside an object.

use super::types::{info, ptr_offsets, KIND_ARRAY, KIND_STRUCT};
use crate::layout::{word, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};

/// Calls `f` on the address of every reference field of `obj`.
///
/// # Safety
/// `obj` must be a live object whose type is in the table.
#[inline]
pub unsafe fn for_each_ref(obj: *mut u8, mut f: impl FnMut(*mut u64)) {
    let tid = word(obj, 0) & 0xffff_ffff;
    let t = info(tid);
    match t.kind {
        KIND_STRUCT => {
            for &off in ptr_offsets(t) {
                f(obj.add(off as usize) as *mut u64);
            }
        }
        KIND_ARRAY => {
            if t.n_ptrs != 0 {
                let n = word(obj, ARRAY_LENGTH_OFFSET) as usize;
                let items = obj.add(ARRAY_ITEMS_OFFSET) as *mut u64;
                for i in 0..n {
                    f(items.add(i));
                }
            }
        }
        _ => {
            if tid == crate::layout::type_id::DICT {
                crate::dict::for_each_ref(obj, f);
            }
        }
    }
}

/// As [`for_each_ref`] for items `from..to` of an array of references.
///
/// # Safety
/// `arr` must be an array of references with at least `to` items.
#[inline]
pub unsafe fn for_each_item(arr: *mut u8, from: usize, to: usize, mut f: impl FnMut(*mut u64)) {
    let items = arr.add(ARRAY_ITEMS_OFFSET) as *mut u64;
    for i in from..to {
        f(items.add(i));
    }
}
