//! Allocation of GC objects: the nursery fast path (a bump, a header write;
//! the nursery is zeroed in bulk after each minor collection). Everything
//! else — large objects, collections, stress mode — is in `gc`.

use crate::gc::{alloc_slow, LARGE_OBJECT, NURSERY};
use crate::layout::{set_word, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};

/// What `Vec` does when a size does not fit in `isize`.
#[cold]
fn capacity_overflow() -> ! {
    crate::panic::internal_error("capacity overflow")
}

/// A zeroed object of `size` bytes (header included, rounded up to 8, at
/// least 16 so a forwarding address fits), its header set to `header`.
/// May collect.
#[inline]
pub fn alloc_object(header: u64, size: u64) -> *mut u8 {
    if size > isize::MAX as u64 / 2 {
        capacity_overflow();
    }
    let size = ((size as usize).max(16) + 7) & !7;
    let n = NURSERY.get();
    // Large objects never go to the nursery (gc::alloc_slow gives them a
    // block of their own).
    if n.end - n.next >= size && size <= LARGE_OBJECT {
        let p = n.next as *mut u8;
        n.next += size;
        // SAFETY: p is a zeroed, 8-aligned part of the nursery.
        unsafe { set_word(p, 0, header) };
        p
    } else {
        alloc_slow(header, size)
    }
}

/// A zeroed array object of `length` items of `item_size` bytes. May
/// collect.
#[inline]
pub fn alloc_array(type_id: u64, item_size: u64, length: u64) -> *mut u8 {
    let size = item_size
        .checked_mul(length)
        .and_then(|n| n.checked_add(ARRAY_ITEMS_OFFSET as u64))
        .unwrap_or_else(|| capacity_overflow());
    let a = alloc_object(type_id, size);
    // SAFETY: the object has room for its length word.
    unsafe { set_word(a, ARRAY_LENGTH_OFFSET, length) };
    a
}

/// `rr_malloc(type_id, size)`: a zeroed object with its header set.
#[no_mangle]
pub extern "C" fn rr_malloc(type_id: u64, size: u64) -> *mut u8 {
    alloc_object(type_id, size)
}

/// `rr_malloc_array(type_id, item_size, length)`: a zeroed array object.
#[no_mangle]
pub extern "C" fn rr_malloc_array(type_id: u64, item_size: u64, length: u64) -> *mut u8 {
    alloc_array(type_id, item_size, length)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gc::test_types::{ARRAY_U64, PAIR, PAIR_SIZE};
    use crate::layout::word;

    #[test]
    fn malloc_is_zeroed_aligned_with_header() {
        let _g = crate::testutil::lock();
        let mut prev = 0usize;
        // Enough to wrap the nursery several times: zeroing after a
        // collection is what keeps fresh objects zeroed.
        for _ in 0..400_000u64 {
            let p = rr_malloc(PAIR, PAIR_SIZE);
            assert_eq!(p as usize % 8, 0);
            assert_ne!(p as usize, prev);
            prev = p as usize;
            unsafe {
                assert_eq!(word(p, 0), PAIR);
                for off in 8..PAIR_SIZE as usize {
                    assert_eq!(*p.add(off), 0);
                }
                // Scribble so an overlapping or unzeroed allocation shows.
                std::ptr::write_bytes(p.add(24), 0xAA, 8);
            }
        }
    }

    #[test]
    fn malloc_array_sets_length_and_large_objects_work() {
        let _g = crate::testutil::lock();
        let a = rr_malloc_array(0, 1, 3);
        unsafe {
            assert_eq!(word(a, 0), 0);
            assert_eq!(word(a, 8), 3);
        }
        let big = rr_malloc_array(ARRAY_U64, 8, 100_000);
        unsafe {
            assert_eq!(word(big, 0) & 0xffff_ffff, ARRAY_U64);
            assert_eq!(word(big, 8), 100_000);
            assert_eq!(word(big, 16 + 8 * 99_999), 0);
        }
    }
}
