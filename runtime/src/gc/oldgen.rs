//! The old generation: size-class arenas (pages of equal-size slots with
//! free lists, no per-object overhead) and large objects (one Rust-heap block
//! each, with the card table of reference arrays in front).

use super::flags::*;
use crate::layout::{set_word, word};
use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};

pub const PAGE_SIZE: usize = 64 * 1024;
/// The largest slot; bigger objects are large objects.
pub const MAX_SMALL: usize = 4224;
const N_CLASSES: usize = 94;

/// Slot size class of an object of `size` bytes (a multiple of 8, >= 16):
/// 8-byte steps up to 512, then 128-byte steps.
#[inline(always)]
pub fn class_of(size: usize) -> usize {
    if size <= 512 {
        size / 8
    } else {
        64 + (size - 512).div_ceil(128)
    }
}

#[inline(always)]
pub fn class_size(c: usize) -> usize {
    if c <= 64 {
        c * 8
    } else {
        512 + (c - 64) * 128
    }
}

struct Page {
    start: *mut u8,
    class: usize,
}

pub struct Large {
    pub obj: *mut u8,
    /// Bytes before `obj` in the block (the card table).
    pub prefix: usize,
    pub block: usize,
}

pub struct OldGen {
    pages: Vec<Page>,
    free: [*mut u8; N_CLASSES],
    /// The never-used end of the newest page of each class, bump-allocated
    /// (so a fresh page is touched once, by the objects copied into it).
    tail: [(usize, usize); N_CLASSES],
    /// Old objects that survived (or skipped) the nursery and are large.
    pub large: Vec<Large>,
    /// Bytes in use: live-or-unswept slots plus large blocks.
    pub bytes: usize,
    /// Bytes of all pages (used or not) plus large blocks: the footprint.
    pub footprint: usize,
}

impl OldGen {
    pub const fn new() -> OldGen {
        OldGen {
            pages: Vec::new(),
            free: [std::ptr::null_mut(); N_CLASSES],
            tail: [(0, 0); N_CLASSES],
            large: Vec::new(),
            bytes: 0,
            footprint: 0,
        }
    }

    /// A slot of at least `size` bytes (size <= MAX_SMALL). Not zeroed.
    #[inline]
    pub fn alloc_small(&mut self, size: usize) -> *mut u8 {
        debug_assert!((16..=MAX_SMALL).contains(&size), "slot of {size} bytes");
        let c = class_of(size);
        let sz = class_size(c);
        self.bytes += sz;
        let p = self.free[c];
        if !p.is_null() {
            // SAFETY: free slots hold the next free slot in word 1.
            self.free[c] = unsafe { word(p, 8) } as *mut u8;
            return p;
        }
        let (next, end) = self.tail[c];
        if end - next >= sz {
            self.tail[c].0 = next + sz;
            return next as *mut u8;
        }
        self.new_page(c)
    }

    /// A new page for class `c`; returns its first slot, the rest becomes
    /// the class's tail.
    #[cold]
    fn new_page(&mut self, c: usize) -> *mut u8 {
        let layout = page_layout();
        // SAFETY: non-zero size.
        let start = unsafe { alloc(layout) };
        if start.is_null() {
            handle_alloc_error(layout);
        }
        let sz = class_size(c);
        let n = PAGE_SIZE / sz;
        self.tail[c] = (start as usize + sz, start as usize + n * sz);
        self.pages.push(Page { start, class: c });
        self.footprint += PAGE_SIZE;
        start
    }

    /// Marks the unused tails free, so the sweep sees every slot initialised.
    fn seal_tails(&mut self) {
        let tails = std::mem::replace(&mut self.tail, [(0, 0); N_CLASSES]);
        for (c, (next, end)) in tails.into_iter().enumerate() {
            if next == 0 {
                continue;
            }
            let sz = class_size(c);
            let mut s = next;
            while s + sz <= end {
                // SAFETY: an unused slot of a page.
                unsafe { set_word(s as *mut u8, 0, FLAG_FREE) };
                s += sz;
            }
        }
    }

    /// A block for a large object of `size` bytes with `prefix` bytes of
    /// card table before it, both zeroed; registered as old.
    pub fn alloc_large_block(size: usize, prefix: usize) -> (*mut u8, usize) {
        let block = size + prefix;
        let layout = Layout::from_size_align(block, 8)
            .unwrap_or_else(|_| crate::panic::internal_error("capacity overflow"));
        // SAFETY: non-zero size.
        let p = unsafe { std::alloc::alloc_zeroed(layout) };
        if p.is_null() {
            handle_alloc_error(layout);
        }
        // SAFETY: the object starts after the prefix, inside the block.
        (unsafe { p.add(prefix) }, block)
    }

    pub fn free_large_block(l: &Large) {
        let layout = Layout::from_size_align(l.block, 8).expect("large block layout");
        // SAFETY: allocated by alloc_large_block with this layout.
        unsafe { dealloc(l.obj.sub(l.prefix), layout) };
    }

    pub fn add_large(&mut self, l: Large) {
        self.bytes += l.block;
        self.footprint += l.block;
        self.large.push(l);
    }

    /// Frees every unmarked object (finalizing dicts and I/O errors), clears
    /// the marks of the others, rebuilds the free lists and gives back empty
    /// pages.
    pub fn sweep(&mut self) {
        self.seal_tails();
        self.free = [std::ptr::null_mut(); N_CLASSES];
        let mut bytes = 0;
        let mut kept = Vec::with_capacity(self.pages.len());
        for page in std::mem::take(&mut self.pages) {
            let sz = class_size(page.class);
            let n = PAGE_SIZE / sz;
            let mut head = self.free[page.class];
            let mut live = 0;
            for i in (0..n).rev() {
                // SAFETY: slot i lies inside the page.
                unsafe {
                    let s = page.start.add(i * sz);
                    let h = word(s, 0);
                    if h & FLAG_FREE == 0 {
                        if h & FLAG_VISITED != 0 {
                            set_word(s, 0, h & !FLAG_VISITED);
                            live += 1;
                            continue;
                        }
                        finalize(s);
                    }
                    set_word(s, 0, FLAG_FREE);
                    set_word(s, 8, head as u64);
                    head = s;
                }
            }
            if live == 0 {
                // SAFETY: allocated by new_page with this layout.
                unsafe { dealloc(page.start, page_layout()) };
                self.footprint -= PAGE_SIZE;
            } else {
                self.free[page.class] = head;
                bytes += live * sz;
                kept.push(page);
            }
        }
        self.pages = kept;
        let mut large = Vec::with_capacity(self.large.len());
        for l in std::mem::take(&mut self.large) {
            // SAFETY: registered large objects are live until freed here.
            unsafe {
                let h = word(l.obj, 0);
                if h & FLAG_VISITED != 0 {
                    set_word(l.obj, 0, h & !FLAG_VISITED);
                    bytes += l.block;
                    large.push(l);
                } else {
                    finalize(l.obj);
                    self.footprint -= l.block;
                    Self::free_large_block(&l);
                }
            }
        }
        self.large = large;
        self.bytes = bytes;
    }
}

fn page_layout() -> Layout {
    Layout::from_size_align(PAGE_SIZE, 8).expect("page layout")
}

/// Releases what a dead object owns outside the GC heap.
///
/// # Safety
/// `obj` must be a dead object about to be freed.
unsafe fn finalize(obj: *mut u8) {
    match word(obj, 0) & 0xffff_ffff {
        crate::layout::type_id::DICT => crate::dict::free_table(obj),
        crate::layout::type_id::IO_ERROR => crate::io::drop_io_error(obj),
        _ => {}
    }
}
