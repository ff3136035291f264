//! Allocation of GC objects.
//!
//! There is no collector yet: objects are bump-allocated in large zeroed
//! chunks and never freed. Everything that creates an object goes through
//! [`alloc_object`] (and the `rr_malloc*` entry points), so the moving
//! generational GC of a later issue replaces only this file.

use crate::global::Global;
use crate::layout::{set_word, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET, HEADER_SIZE};
use std::alloc::{alloc_zeroed, handle_alloc_error, Layout};

/// Size of one bump chunk.
const CHUNK_SIZE: usize = 1 << 20;
/// Objects larger than this get a zeroed block of their own, so a big
/// object does not waste the rest of a chunk.
const LARGE_OBJECT: usize = CHUNK_SIZE / 4;

struct Bump {
    /// Next free byte of the current chunk (0 before the first chunk).
    next: usize,
    /// End of the current chunk.
    end: usize,
}

static BUMP: Global<Bump> = Global::new(Bump { next: 0, end: 0 });

/// A zeroed block straight from the Rust heap; aborts as Rust does when
/// memory runs out.
fn zeroed_block(size: usize) -> *mut u8 {
    let layout = match Layout::from_size_align(size, 8) {
        Ok(l) => l,
        Err(_) => capacity_overflow(),
    };
    // SAFETY: size is non-zero (callers round up to at least a header).
    let p = unsafe { alloc_zeroed(layout) };
    if p.is_null() {
        handle_alloc_error(layout);
    }
    p
}

/// What `Vec` does when a size does not fit in `isize`.
#[cold]
fn capacity_overflow() -> ! {
    crate::panic::internal_error("capacity overflow")
}

#[cold]
#[inline(never)]
fn alloc_slow(size: usize) -> *mut u8 {
    if size > LARGE_OBJECT {
        return zeroed_block(size);
    }
    let chunk = zeroed_block(CHUNK_SIZE) as usize;
    let bump = BUMP.get();
    bump.next = chunk + size;
    bump.end = chunk + CHUNK_SIZE;
    chunk as *mut u8
}

/// A zeroed object of `size` bytes (header included, rounded up to 8),
/// its header set to `header`.
#[inline]
pub fn alloc_object(header: u64, size: u64) -> *mut u8 {
    if size > isize::MAX as u64 {
        capacity_overflow();
    }
    let size = ((size as usize).max(HEADER_SIZE as usize) + 7) & !7;
    let bump = BUMP.get();
    let p = if bump.end - bump.next >= size {
        let p = bump.next as *mut u8;
        bump.next += size;
        p
    } else {
        alloc_slow(size)
    };
    // SAFETY: p is a fresh, 8-aligned block of at least 8 bytes.
    unsafe { set_word(p, 0, header) };
    p
}

/// A zeroed array object of `length` items of `item_size` bytes.
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
    use crate::layout::word;

    #[test]
    fn malloc_is_zeroed_aligned_with_header() {
        let _g = crate::testutil::lock();
        let mut prev = 0usize;
        for i in 0..5000u64 {
            let p = rr_malloc(7, 8 + (i % 50));
            assert_eq!(p as usize % 8, 0);
            assert_ne!(p as usize, prev);
            prev = p as usize;
            unsafe {
                assert_eq!(word(p, 0), 7);
                for off in 8..(8 + (i % 50) as usize) {
                    assert_eq!(*p.add(off), 0);
                }
                // Scribble so a later overlapping allocation would show.
                for off in 8..(8 + (i % 50) as usize) {
                    *p.add(off) = 0xAA;
                }
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
        let big = rr_malloc_array(9, 8, 100_000);
        unsafe {
            assert_eq!(word(big, 0), 9);
            assert_eq!(word(big, 8), 100_000);
            assert_eq!(word(big, 16 + 8 * 99_999), 0);
        }
    }
}
