//! The garbage collector: generational, moving, precise (DESIGN §4,
//! docs/runtime-abi.md "Garbage collection"), in the style of PyPy's
//! minimark.
//!
//! - Young objects are bump-allocated in the nursery (`alloc::alloc_object`
//!   holds the fast path). A minor collection copies the reachable ones into
//!   the old generation, leaving a forwarding marker (`FLAG_FORWARDED`, new
//!   address in word 1; every nursery object has at least 16 bytes), then
//!   zeroes the nursery in bulk.
//! - Large objects (and objects bigger than half the nursery) get a block of
//!   their own outside the nursery; they are "young large" until the next
//!   minor collection, which frees them or makes them old in place.
//! - The old generation (`oldgen`) never moves objects; a major collection
//!   (mark and sweep, right after a minor one) runs when it has grown by
//!   `RRUST_GC_GROWTH` since the last one.
//! - Roots: the shadow stack (`roots`), the remembered set (old objects the
//!   write barrier saw), dirty cards of large reference arrays, and the
//!   prebuilt objects the barrier saw (traced at every collection).

mod barrier;
mod collect;
pub mod flags;
mod oldgen;
pub mod roots;
pub(crate) mod stats;
mod trace;
pub mod types;

#[cfg(test)]
pub mod test_types;
#[cfg(test)]
mod tests;

use crate::global::Global;
use crate::layout::{set_word, ARRAY_ITEMS_OFFSET};
pub use barrier::{rr_gc_write_barrier, rr_gc_write_barrier_array, rr_identity_hash, store_ref};
use collect::{major, minor};
use flags::*;
use oldgen::{Large, OldGen};

/// Objects bigger than this skip the nursery.
pub const LARGE_OBJECT: usize = 4096;
/// Items per card of a large reference array.
pub const CARD_ITEMS: usize = 128;
/// In stress mode, a major collection every this many allocations.
const STRESS_MAJOR_EVERY: u64 = 1000;
const DEFAULT_NURSERY: usize = 4 << 20;
const DEFAULT_GROWTH: f64 = 1.82;

/// The bump pointer of the nursery, apart from the rest so the allocation
/// fast path touches one cache line. `end` is pulled down to `next` when
/// every allocation must take the slow path (stress mode, before init).
pub struct Nursery {
    pub next: usize,
    pub end: usize,
}

pub static NURSERY: Global<Nursery> = Global::new(Nursery { next: 0, end: 0 });

struct Gc {
    ready: bool,
    /// The nursery block: `start..start + size`.
    start: usize,
    size: usize,
    stress: bool,
    /// Stress mode: where the objects since the last collection begin.
    stress_from: usize,
    stress_allocs: u64,
    growth: f64,
    old: OldGen,
    young_large: Vec<Large>,
    young_large_bytes: usize,
    remembered: Vec<*mut u8>,
    cards: Vec<*mut u8>,
    prebuilt: Vec<*mut u8>,
    gray: Vec<*mut u8>,
    next_major: usize,
    stats: stats::Stats,
}

static GC: Global<Gc> = Global::new(Gc {
    ready: false,
    start: 0,
    size: 0,
    stress: false,
    stress_from: 0,
    stress_allocs: 0,
    growth: DEFAULT_GROWTH,
    old: OldGen::new(),
    young_large: Vec::new(),
    young_large_bytes: 0,
    remembered: Vec::new(),
    cards: Vec::new(),
    prebuilt: Vec::new(),
    gray: Vec::new(),
    next_major: 0,
    stats: stats::Stats::new(),
});

/// A size from the environment: bytes, with an optional K/M/G suffix.
fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (num, mul) = match s.chars().last()?.to_ascii_uppercase() {
        'K' => (&s[..s.len() - 1], 1 << 10),
        'M' => (&s[..s.len() - 1], 1 << 20),
        'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.trim().parse::<usize>().ok()?.checked_mul(mul)
}

/// Reads the tuning variables and sets up the nursery and the shadow stack.
/// Called by `main` before `rr_main`, and lazily by the first allocation.
pub fn init() {
    let gc = GC.get();
    if gc.ready {
        return;
    }
    roots::init();
    let size = std::env::var("RRUST_GC_NURSERY")
        .ok()
        .and_then(|v| parse_size(&v))
        .unwrap_or(DEFAULT_NURSERY);
    let growth = std::env::var("RRUST_GC_GROWTH")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|g| *g > 1.0)
        .unwrap_or(DEFAULT_GROWTH);
    let stress = std::env::var("RRUST_GC_STRESS").is_ok_and(|v| v.trim() == "1");
    gc.growth = growth;
    configure(gc, size, stress);
    gc.ready = true;
}

/// (Re)creates the nursery; it must hold no live object.
fn configure(gc: &mut Gc, size: usize, stress: bool) {
    // At least a few large objects' worth, a multiple of 8.
    let size = (size.max(4 * LARGE_OBJECT) + 7) & !7;
    if gc.size != size {
        if gc.start != 0 {
            // SAFETY: allocated below with this layout.
            unsafe { std::alloc::dealloc(gc.start as *mut u8, nursery_layout(gc.size)) };
        }
        let layout = nursery_layout(size);
        // SAFETY: non-zero size.
        let p = unsafe { std::alloc::alloc_zeroed(layout) };
        if p.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        gc.start = p as usize;
        gc.size = size;
    } else {
        // Allocation takes the nursery to be zero: after stress mode, which
        // poisons what it leaves (`collect::minor`), it is not (a unit test
        // that reconfigured a poisoned nursery read 0xdd... as a pointer).
        // SAFETY: the nursery is `gc.size` bytes from `gc.start`.
        unsafe { std::ptr::write_bytes(gc.start as *mut u8, 0, gc.size) };
    }
    gc.stress = stress;
    gc.stress_from = gc.start;
    gc.next_major = gc.next_major.max(4 * gc.size);
    let n = NURSERY.get();
    n.next = gc.start;
    n.end = if stress { gc.start } else { gc.start + size };
    gc.stats.note_heap(gc.old.footprint + gc.size);
}

fn nursery_layout(size: usize) -> std::alloc::Layout {
    std::alloc::Layout::from_size_align(size, 8).expect("nursery layout")
}

fn state() -> &'static mut Gc {
    let gc = GC.get();
    if !gc.ready {
        init();
    }
    gc
}

/// The allocation slow path: `size` (a multiple of 8, at least 16) did not
/// fit the rest of the nursery, or it is large, or every allocation
/// collects (stress mode).
#[cold]
#[inline(never)]
pub fn alloc_slow(header: u64, size: usize) -> *mut u8 {
    let gc = state();
    if gc.stress {
        stress_collect(gc);
    }
    if size > LARGE_OBJECT || size > gc.size / 2 {
        return alloc_young_large(gc, header, size);
    }
    let n = NURSERY.get();
    if gc.stress {
        if gc.start + gc.size - n.next < size {
            // Wrap around; everything before is poisoned garbage.
            n.next = gc.start;
            gc.stress_from = gc.start;
        }
        let p = n.next as *mut u8;
        n.next += size;
        n.end = n.next;
        // SAFETY: inside the nursery; stress mode poisons instead of zeroing.
        unsafe {
            std::ptr::write_bytes(p, 0, size);
            set_word(p, 0, header);
        }
        return p;
    }
    if n.end - n.next < size {
        collect_young(gc);
    }
    let p = n.next as *mut u8;
    n.next += size;
    // SAFETY: a zeroed part of the nursery.
    unsafe { set_word(p, 0, header) };
    p
}

/// An object outside the nursery, young until the next minor collection.
/// Large reference arrays get a card table in front of them.
fn alloc_young_large(gc: &mut Gc, header: u64, size: usize) -> *mut u8 {
    if !gc.stress && gc.young_large_bytes + size > gc.size {
        collect_young(gc);
    }
    let tid = header & 0xffff_ffff;
    // SAFETY: the type table is linked in.
    let refs = unsafe { types::array_items_are_refs(tid) };
    let items = size.saturating_sub(ARRAY_ITEMS_OFFSET) / 8;
    let (prefix, flags) = if refs && items >= 2 * CARD_ITEMS {
        (items.div_ceil(CARD_ITEMS).div_ceil(8) * 8, FLAG_HAS_CARDS)
    } else {
        (0, 0)
    };
    let (obj, block) = OldGen::alloc_large_block(size, prefix);
    // SAFETY: a fresh zeroed block of `size` bytes.
    unsafe { set_word(obj, 0, header | flags | FLAG_YOUNG_LARGE) };
    gc.young_large.push(Large { obj, prefix, block });
    gc.young_large_bytes += block;
    gc.stats
        .note_heap(gc.old.footprint + gc.size + gc.young_large_bytes);
    obj
}

/// A zeroed object allocated directly in the old generation (dicts and
/// I/O errors, whose finalizers run in the sweep), flagged as old.
pub fn alloc_old(header: u64, size: u64) -> *mut u8 {
    let gc = state();
    if gc.stress {
        stress_collect(gc);
    } else if gc.old.bytes > gc.next_major {
        collect_young(gc);
    }
    let size = ((size as usize).max(16) + 7) & !7;
    let p = gc.old.alloc_small(size);
    // SAFETY: a slot of at least `size` bytes.
    unsafe {
        std::ptr::write_bytes(p, 0, size);
        set_word(p, 0, header | FLAG_TRACK_YOUNG_PTRS);
    }
    p
}

fn stress_collect(gc: &mut Gc) {
    gc.stress_allocs += 1;
    minor(gc);
    if gc.stress_allocs.is_multiple_of(STRESS_MAJOR_EVERY) {
        major(gc);
    }
}

/// A minor collection, and a major one if the old generation has grown
/// enough.
fn collect_young(gc: &mut Gc) {
    minor(gc);
    if gc.old.bytes > gc.next_major {
        major(gc);
    }
}

/// Runs a collection now: minor, and major too when `major` is set.
pub fn collect(major_too: bool) {
    let gc = state();
    minor(gc);
    if major_too {
        major(gc);
    }
}

/// Writes the statistics (`PYPYLOG=gc...`) when the process ends.
pub fn at_exit() {
    stats::report(&GC.get().stats, GC.get().size);
}

/// Bytes in use in the old generation (slots and large blocks).
pub fn old_bytes() -> usize {
    state().old.bytes
}

/// Unit tests: no roots, an empty heap, the given nursery and stress mode.
#[cfg(test)]
pub fn reset_for_tests(nursery: usize, stress: bool) {
    let gc = state();
    roots::clear();
    gc.prebuilt.clear();
    minor(gc);
    major(gc);
    configure(gc, nursery, stress);
    gc.stress_allocs = 0;
    gc.next_major = 4 * gc.size;
    gc.stats = stats::Stats::new();
}
