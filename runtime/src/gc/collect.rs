//! The collections: minor (copy the reachable nursery objects out, keep
//! the reachable young large ones) and major (mark and sweep the old
//! generation).

use super::flags::*;
use super::oldgen::OldGen;
use super::trace::{for_each_item, for_each_ref};
use super::{roots, types, Gc, CARD_ITEMS, LARGE_OBJECT, NURSERY};
use crate::layout::{set_word, word, ARRAY_LENGTH_OFFSET};
use std::time::Instant;

#[inline(always)]
pub(super) fn in_nursery(gc: &Gc, v: u64) -> bool {
    (v as usize).wrapping_sub(gc.start) < gc.size
}

/// The new address of the object `v` refers to (0 stays 0); copies nursery
/// objects and marks young large ones as surviving.
#[inline(always)]
fn promote(gc: &mut Gc, v: u64) -> u64 {
    if in_nursery(gc, v) {
        // SAFETY: a reference into the nursery is a young object.
        return unsafe { copy_young(gc, v as *mut u8) } as u64;
    }
    if v != 0 && !gc.young_large.is_empty() {
        let obj = v as *mut u8;
        // SAFETY: a non-null reference is a live object.
        unsafe {
            let h = word(obj, 0);
            if h & (FLAG_YOUNG_LARGE | FLAG_VISITED) == FLAG_YOUNG_LARGE {
                set_word(obj, 0, h | FLAG_VISITED);
                gc.gray.push(obj);
            }
        }
    }
    v
}

#[inline(always)]
fn update(gc: &mut Gc, slot: *mut u64) {
    // SAFETY: `slot` is a reference field of a live object or a root.
    unsafe {
        let v = *slot;
        if v != 0 {
            *slot = promote(gc, v);
        }
    }
}

/// Copies a nursery object to the old generation (once).
///
/// # Safety
/// `obj` must be a young object.
unsafe fn copy_young(gc: &mut Gc, obj: *mut u8) -> *mut u8 {
    let h = word(obj, 0);
    if h & FLAG_FORWARDED != 0 {
        return word(obj, 8) as *mut u8;
    }
    let size = types::object_size(obj);
    debug_assert!(
        size <= LARGE_OBJECT,
        "young {obj:?} header {h:#x} size {size}"
    );
    let hashed = h & FLAG_HASH_TAKEN != 0;
    let slot = (size + if hashed { 8 } else { 0 }).max(16);
    let new = gc.old.alloc_small(slot);
    if size <= 64 {
        // Small objects (most): word copies beat a call to memcpy.
        let (src, dst) = (obj as *const u64, new as *mut u64);
        for i in 0..size / 8 {
            *dst.add(i) = *src.add(i);
        }
    } else {
        std::ptr::copy_nonoverlapping(obj, new, size);
    }
    let mut nh = (h & !FLAG_HASH_TAKEN) | FLAG_TRACK_YOUNG_PTRS;
    if hashed {
        // The hash is the address it was first taken at.
        set_word(new, size, obj as u64);
        nh |= FLAG_HAS_HASH_FIELD;
    }
    set_word(new, 0, nh);
    set_word(obj, 0, h | FLAG_FORWARDED);
    set_word(obj, 8, new as u64);
    gc.gray.push(new);
    gc.stats.copied += size as u64;
    new
}

pub(super) fn minor(gc: &mut Gc) {
    let t0 = Instant::now();
    // SAFETY: every traced word is a root or a reference field of a live
    // object, as the ABI requires of generated code.
    unsafe {
        let (mut p, top) = roots::live();
        while p < top {
            update(gc, p);
            p = p.add(1);
        }
        roots::for_each_extra(&mut |s| update(gc, s));
        let mut rem = std::mem::take(&mut gc.remembered);
        for &o in &rem {
            for_each_ref(o, |s| update(gc, s));
            set_word(o, 0, word(o, 0) | FLAG_TRACK_YOUNG_PTRS);
        }
        rem.clear();
        gc.remembered = rem;
        let mut cards = std::mem::take(&mut gc.cards);
        for &a in &cards {
            let len = word(a, ARRAY_LENGTH_OFFSET) as usize;
            for c in 0..len.div_ceil(CARD_ITEMS) {
                let card = a.sub(1 + c);
                if *card != 0 {
                    *card = 0;
                    let to = ((c + 1) * CARD_ITEMS).min(len);
                    for_each_item(a, c * CARD_ITEMS, to, |s| update(gc, s));
                }
            }
            set_word(a, 0, word(a, 0) & !FLAG_CARDS_SET);
        }
        cards.clear();
        gc.cards = cards;
        let pre = std::mem::take(&mut gc.prebuilt);
        for &o in &pre {
            for_each_ref(o, |s| update(gc, s));
        }
        gc.prebuilt = pre;
        while let Some(o) = gc.gray.pop() {
            for_each_ref(o, |s| update(gc, s));
        }
        for l in std::mem::take(&mut gc.young_large) {
            let h = word(l.obj, 0);
            if h & FLAG_VISITED != 0 {
                let nh = (h & !(FLAG_VISITED | FLAG_YOUNG_LARGE)) | FLAG_TRACK_YOUNG_PTRS;
                set_word(l.obj, 0, nh);
                gc.old.add_large(l);
            } else {
                OldGen::free_large_block(&l);
            }
        }
        gc.young_large_bytes = 0;
        let n = NURSERY.get();
        if gc.stress {
            // Stale references to moved objects now read 0xdd... and crash.
            let from = gc.stress_from;
            std::ptr::write_bytes(from as *mut u8, 0xdd, n.next - from);
            gc.stress_from = n.next;
            n.end = n.next;
        } else {
            std::ptr::write_bytes(gc.start as *mut u8, 0, n.next - gc.start);
            n.next = gc.start;
            n.end = gc.start + gc.size;
        }
    }
    gc.stats.minors += 1;
    gc.stats.minor_ns += t0.elapsed().as_nanos() as u64;
    gc.stats.note_heap(gc.old.footprint + gc.size);
}

/// Mark and sweep of the old generation; the nursery must be empty (it
/// runs right after a minor collection).
pub(super) fn major(gc: &mut Gc) {
    let t0 = Instant::now();
    let mut stack: Vec<*mut u8> = Vec::new();
    let mark = |stack: &mut Vec<*mut u8>, v: u64| {
        if v == 0 {
            return;
        }
        let o = v as *mut u8;
        // SAFETY: a non-null reference is a live object.
        unsafe {
            let h = word(o, 0);
            // Prebuilt objects are not marked: those that may point into
            // the heap are in the prebuilt list, traced as roots.
            if h & (FLAG_PREBUILT | FLAG_VISITED) == 0 {
                set_word(o, 0, h | FLAG_VISITED);
                stack.push(o);
            }
        }
    };
    // SAFETY: as in `minor`.
    unsafe {
        let (mut p, top) = roots::live();
        while p < top {
            mark(&mut stack, *p);
            p = p.add(1);
        }
        roots::for_each_extra(&mut |s| mark(&mut stack, *s));
        for &o in &gc.prebuilt {
            for_each_ref(o, |s| mark(&mut stack, *s));
        }
        while let Some(o) = stack.pop() {
            for_each_ref(o, |s| mark(&mut stack, *s));
        }
    }
    gc.old.sweep();
    gc.next_major = ((gc.old.bytes as f64 * gc.growth) as usize).max(4 * gc.size);
    gc.stats.majors += 1;
    gc.stats.major_ns += t0.elapsed().as_nanos() as u64;
}
