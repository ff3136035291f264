//! The collector against object graphs built with `rr_malloc` and the test
//! type table (`test_types`), roots kept on the shadow stack.

use super::collect::in_nursery;
use super::flags::*;
use super::roots::Frame;
use super::test_types::*;
use super::*;
use crate::alloc::{rr_malloc, rr_malloc_array};
use crate::dict::{rr_dict_insert, rr_dict_lookup, rr_dict_new_refs, rr_dict_value, TABLE_SLOTS};
use crate::layout::{word, ARRAY_ITEMS_OFFSET};
use crate::testutil::{lock, lock_gc, string, text};

fn gc() -> &'static mut Gc {
    state()
}

fn young(p: *mut u8) -> bool {
    in_nursery(gc(), p as u64)
}

/// What generated code does before storing a reference into `obj`.
unsafe fn barrier(obj: *mut u8, index: u64) {
    let h = word(obj, 0);
    if h & FLAG_TRACK_YOUNG_PTRS != 0 {
        if h & FLAG_HAS_CARDS != 0 {
            rr_gc_write_barrier_array(obj, index);
        } else {
            rr_gc_write_barrier(obj);
        }
    }
}

/// A new PAIR `{a, b, val}`; `a` and `b` must be rooted by the caller or
/// passed here, which roots them across the allocation.
unsafe fn pair(a: *mut u8, b: *mut u8, val: u64) -> *mut u8 {
    let f = Frame::new([a, b]);
    let p = rr_malloc(PAIR, PAIR_SIZE);
    set_word(p, 8, f.get(0) as u64);
    set_word(p, 16, f.get(1) as u64);
    set_word(p, 24, val);
    p
}

/// A chain of `n` pairs linked through `a`, values n-1 .. 0 from the head;
/// `b` of each points to a NODE whose `next` is null.
unsafe fn chain(n: u64) -> Frame<1> {
    let f = Frame::new([std::ptr::null_mut()]);
    for i in 0..n {
        let node = rr_malloc(NODE, NODE_SIZE);
        let p = pair(f.get(0), node, i);
        f.set(0, p);
    }
    f
}

unsafe fn check_chain(mut p: *mut u8, n: u64) {
    for i in (0..n).rev() {
        assert!(!p.is_null(), "chain cut at {i}");
        assert_eq!(word(p, 0) & 0xffff_ffff, PAIR);
        assert_eq!(word(p, 24), i);
        let node = word(p, 16) as *mut u8;
        assert_eq!(word(node, 0) & 0xffff_ffff, NODE);
        assert_eq!(word(node, 8), 0);
        p = word(p, 8) as *mut u8;
    }
    assert!(p.is_null());
}

#[test]
fn survivors_keep_contents_and_links_after_moving() {
    let _g = lock();
    unsafe {
        let f = chain(5000);
        let head = f.get(0);
        assert!(young(head));
        collect(false);
        let moved = f.get(0);
        assert_ne!(moved, head, "the head was not moved out of the nursery");
        assert!(!young(moved));
        assert_ne!(word(moved, 0) & FLAG_TRACK_YOUNG_PTRS, 0);
        check_chain(moved, 5000);
        collect(true);
        assert_eq!(f.get(0), moved, "the old generation moves nothing");
        check_chain(f.get(0), 5000);
        assert_eq!(gc().stats.minors, 2);
        assert!(gc().stats.copied >= 5000 * (PAIR_SIZE + NODE_SIZE));
    }
}

#[test]
fn unreachable_objects_are_freed_and_memory_reused() {
    let _g = lock_gc(64 << 10, false);
    unsafe {
        let f = chain(10_000);
        collect(true);
        let with_chain = old_bytes();
        assert!(with_chain >= 10_000 * 48);
        f.set(0, std::ptr::null_mut());
        collect(true);
        assert!(
            old_bytes() <= with_chain - 10_000 * 48,
            "{} then {}",
            with_chain,
            old_bytes()
        );
        // Lots of garbage, some of which survives a minor collection
        // (pairs linked in a window of 200), and one live chain.
        let live = chain(300);
        let window = Frame::new([std::ptr::null_mut()]);
        let mut peak = 0;
        for i in 0..2_000_000u64 {
            let p = pair(window.get(0), std::ptr::null_mut(), i);
            window.set(
                0,
                if i % 200 == 0 {
                    std::ptr::null_mut()
                } else {
                    p
                },
            );
            peak = peak.max(gc().old.footprint);
        }
        check_chain(live.get(0), 300);
        assert!(gc().stats.majors > 2, "{} majors", gc().stats.majors);
        // Survivors of 30000+ minor collections, most dead: the heap
        // stays a small multiple of the live data and the nursery.
        assert!(peak < 4 << 20, "old generation footprint reached {peak}");
    }
}

#[test]
fn write_barrier_keeps_young_objects_alive_and_updated() {
    let _g = lock();
    unsafe {
        let f = Frame::new([pair(std::ptr::null_mut(), std::ptr::null_mut(), 1)]);
        collect(false);
        let old = f.get(0);
        assert!(!young(old));
        let y = pair(std::ptr::null_mut(), std::ptr::null_mut(), 77);
        assert!(young(y));
        barrier(old, 0);
        assert_eq!(word(old, 0) & FLAG_TRACK_YOUNG_PTRS, 0, "barrier clears");
        set_word(old, 8, y as u64);
        // A second store needs no barrier until the next collection.
        let z = pair(std::ptr::null_mut(), std::ptr::null_mut(), 78);
        set_word(old, 16, z as u64);
        collect(false);
        let y2 = word(old, 8) as *mut u8;
        let z2 = word(old, 16) as *mut u8;
        assert!(!young(y2) && !young(z2));
        assert_eq!(word(y2, 24), 77);
        assert_eq!(word(z2, 24), 78);
        assert_ne!(word(old, 0) & FLAG_TRACK_YOUNG_PTRS, 0, "flag is back");
        // And they survive major collections, reached only through `old`.
        collect(true);
        collect(true);
        assert_eq!(word(word(old, 8) as *mut u8, 24), 77);
        assert_eq!(word(word(old, 16) as *mut u8, 24), 78);
    }
}

#[test]
fn card_marking_scans_only_dirty_cards() {
    let _g = lock();
    unsafe {
        let n = 100 * CARD_ITEMS as u64;
        let arr = rr_malloc_array(ARRAY_REF, 8, n);
        assert!(!young(arr), "large arrays skip the nursery");
        assert_ne!(word(arr, 0) & FLAG_HAS_CARDS, 0);
        // Initialising stores into a fresh (young large) array: no barrier.
        let f = Frame::new([arr]);
        let y0 = pair(std::ptr::null_mut(), std::ptr::null_mut(), 5);
        set_word(f.get(0), ARRAY_ITEMS_OFFSET, y0 as u64);
        collect(false);
        assert_eq!(arr, f.get(0), "large objects do not move");
        let item = |a: *mut u8, i: u64| word(a, ARRAY_ITEMS_OFFSET + 8 * i as usize) as *mut u8;
        let y0 = item(arr, 0);
        assert!(!young(y0));
        assert_eq!(word(y0, 24), 5);
        assert_ne!(word(arr, 0) & FLAG_TRACK_YOUNG_PTRS, 0);
        // Two stores through the array barrier.
        for (i, v) in [(7u64, 70u64), (9000, 900)] {
            let y = pair(std::ptr::null_mut(), std::ptr::null_mut(), v);
            barrier(arr, i);
            set_word(arr, ARRAY_ITEMS_OFFSET + 8 * i as usize, y as u64);
        }
        assert_ne!(
            word(arr, 0) & FLAG_TRACK_YOUNG_PTRS,
            0,
            "cards keep the flag"
        );
        let dirty: Vec<usize> = (0..100).filter(|c| *arr.sub(1 + c) != 0).collect();
        assert_eq!(dirty, vec![0, 9000 / CARD_ITEMS]);
        assert_eq!(gc().remembered.len(), 0);
        collect(false);
        assert!((0..100).all(|c| *arr.sub(1 + c) == 0), "cards cleared");
        assert_eq!(word(item(arr, 7), 24), 70);
        assert_eq!(word(item(arr, 9000), 24), 900);
        assert!(!young(item(arr, 7)) && !young(item(arr, 9000)));
        collect(true);
        assert_eq!(word(item(arr, 0), 24), 5);
        assert_eq!(word(item(arr, 9000), 24), 900);
        // Unreachable, the array is freed.
        let before = old_bytes();
        f.set(0, std::ptr::null_mut());
        collect(true);
        assert!(old_bytes() + (n as usize * 8) < before);
    }
}

#[test]
fn young_large_arrays_keep_their_young_items() {
    let _g = lock_gc(64 << 10, false);
    unsafe {
        // vec![p; n] of a young object into a large array, then churn.
        let p = pair(std::ptr::null_mut(), std::ptr::null_mut(), 42);
        let l = crate::list::rr_list_new_filled(LIST_REF, ARRAY_REF, 8, 3000, p as u64);
        let f = Frame::new([l]);
        for i in 0..100_000 {
            pair(std::ptr::null_mut(), std::ptr::null_mut(), i);
        }
        let items = crate::layout::list_items(f.get(0));
        let first = word(items, ARRAY_ITEMS_OFFSET) as *mut u8;
        assert_eq!(word(first, 24), 42);
        for i in 0..3000 {
            assert_eq!(word(items, ARRAY_ITEMS_OFFSET + 8 * i) as *mut u8, first);
        }
    }
}

#[repr(C, align(8))]
struct Prebuilt([u64; 4]);
static mut PREBUILT_PAIR: Prebuilt =
    Prebuilt([PAIR | FLAG_PREBUILT | FLAG_TRACK_YOUNG_PTRS, 0, 0, 1234]);

#[test]
fn prebuilt_objects_pointing_to_young_objects() {
    let _g = lock();
    unsafe {
        let pre = std::ptr::addr_of_mut!(PREBUILT_PAIR) as *mut u8;
        let y = pair(std::ptr::null_mut(), std::ptr::null_mut(), 11);
        barrier(pre, 0);
        set_word(pre, 8, y as u64);
        collect(false);
        let y2 = word(pre, 8) as *mut u8;
        assert!(!young(y2));
        assert_eq!(word(y2, 24), 11);
        assert_eq!(word(pre, 0) & FLAG_TRACK_YOUNG_PTRS, 0, "stays listed");
        // Later stores skip the barrier, yet are seen at every collection.
        for round in 0..5u64 {
            let z = pair(std::ptr::null_mut(), std::ptr::null_mut(), 100 + round);
            set_word(pre, 16, z as u64);
            collect(round % 2 == 1);
            assert_eq!(word(word(pre, 16) as *mut u8, 24), 100 + round);
            assert_eq!(word(word(pre, 8) as *mut u8, 24), 11);
        }
        assert_eq!(word(pre, 24), 1234);
        assert_eq!(pre, std::ptr::addr_of_mut!(PREBUILT_PAIR) as *mut u8);
        assert_eq!(word(pre, 0) & FLAG_VISITED, 0, "never marked");
    }
}

#[test]
fn dict_with_string_keys_and_ref_values_across_collections() {
    let _g = lock_gc(64 << 10, false);
    unsafe {
        let slots_before = *TABLE_SLOTS.get();
        let d = rr_dict_new_refs(1, 1);
        assert!(!young(d), "dicts are made old");
        let f = Frame::new([d]);
        for i in 0..3000u64 {
            let k = string(&format!("key-{i}"));
            let fk = Frame::new([k]);
            let v = pair(std::ptr::null_mut(), std::ptr::null_mut(), i * 3);
            rr_dict_insert(f.get(0), fk.get(0) as u64, v as u64);
            if i % 1000 == 0 {
                collect(true);
            }
        }
        collect(false);
        collect(true);
        for round in 0..3 {
            for i in 0..3000u64 {
                let k = string(&format!("key-{i}"));
                let d = f.get(0);
                let e = rr_dict_lookup(d, k as u64);
                assert!(e >= 0, "key-{i} lost (round {round})");
                let v = rr_dict_value(d, e) as *mut u8;
                assert!(!young(v));
                assert_eq!(word(v, 24), i * 3);
            }
            collect(round == 1);
        }
        // The keys were moved and updated: read one back.
        assert!(*TABLE_SLOTS.get() > slots_before);
        f.set(0, std::ptr::null_mut());
        collect(true);
        assert_eq!(*TABLE_SLOTS.get(), slots_before, "dead dict's table freed");
    }
}

#[test]
fn dict_string_keys_survive_moves() {
    let _g = lock_gc(64 << 10, false);
    unsafe {
        let d = crate::dict::rr_dict_new(1);
        let f = Frame::new([d]);
        for i in 0..500u64 {
            let k = string(&format!("k{i}"));
            rr_dict_insert(f.get(0), k as u64, i);
        }
        // The keys are young; churn until they are copied several times.
        for _ in 0..50_000 {
            pair(std::ptr::null_mut(), std::ptr::null_mut(), 0);
        }
        collect(true);
        // Every key is now an old string (moved, and the dict updated).
        let mut keys = 0;
        crate::dict::for_each_ref(f.get(0), |slot| {
            let k = *slot as *mut u8;
            assert!(!young(k));
            assert_eq!(word(k, 0) & 0xffff_ffff, crate::layout::type_id::STRING);
            keys += 1;
        });
        assert_eq!(keys, 500);
        // Look up with fresh keys allocated in another order (not at the
        // addresses the first keys had).
        for i in (0..500u64).rev() {
            let e = rr_dict_lookup(f.get(0), string(&format!("k{i}")) as u64);
            assert!(e >= 0);
            assert_eq!(rr_dict_value(f.get(0), e), i);
        }
    }
}

#[test]
fn identity_hash_is_stable_and_costs_nothing_unless_taken() {
    // A nursery that holds both chains: hashes are taken while young.
    let _g = lock();
    unsafe {
        let n = 2000u64;
        let base = old_bytes();
        let never = chain(n);
        collect(false);
        let plain = old_bytes() - base;
        let hashed = chain(n);
        let mut hashes = Vec::new();
        let mut p = hashed.get(0);
        while !p.is_null() {
            hashes.push(rr_identity_hash(p));
            assert_eq!(rr_identity_hash(p), p as u64);
            p = word(p, 8) as *mut u8;
        }
        collect(false);
        let with_hash = old_bytes() - base - plain;
        // Each hashed pair is one word bigger; nodes and unhashed pairs
        // are not.
        assert_eq!(plain, (n * (PAIR_SIZE + NODE_SIZE)) as usize);
        assert_eq!(with_hash, plain + 8 * n as usize);
        for round in 0..20 {
            for _ in 0..5000 {
                pair(std::ptr::null_mut(), std::ptr::null_mut(), 0);
            }
            collect(round % 5 == 0);
            let mut p = hashed.get(0);
            for h in &hashes {
                assert_eq!(rr_identity_hash(p), *h);
                p = word(p, 8) as *mut u8;
            }
        }
        check_chain(never.get(0), n);
        check_chain(hashed.get(0), n);
        // An old object's hash is its (fixed) address.
        let o = never.get(0);
        assert_eq!(rr_identity_hash(o), o as u64);
        assert_eq!(word(o, 0) & (FLAG_HAS_HASH_FIELD | FLAG_HASH_TAKEN), 0);
    }
}

/// Leaving stress mode (whose collections poison the nursery they leave)
/// for a nursery of the same size: allocations are zeroed again.
#[test]
fn nursery_is_zero_again_after_stress_mode() {
    {
        let _g = lock_gc(64 << 10, true);
        unsafe {
            let f = chain(200);
            check_chain(f.get(0), 200);
        }
    }
    let _g = lock_gc(64 << 10, false);
    unsafe {
        let minors = gc().stats.minors;
        // More than a nursery's worth of objects, each read back zeroed.
        let mut n = 0;
        while gc().stats.minors == minors {
            let p = rr_malloc(PAIR, PAIR_SIZE);
            for off in [8, 16, 24] {
                assert_eq!(word(p, off), 0, "object {n}, offset {off}");
            }
            n += 1;
        }
        assert!(n > 1000, "{n} objects before the first minor collection");
    }
}

#[test]
fn stress_mode_collects_at_every_allocation_and_poisons() {
    let _g = lock_gc(64 << 10, true);
    unsafe {
        let stale = pair(std::ptr::null_mut(), std::ptr::null_mut(), 9);
        let f = Frame::new([pair(std::ptr::null_mut(), std::ptr::null_mut(), 10)]);
        assert_eq!(word(stale, 24), 0xdddd_dddd_dddd_dddd, "old copy poisoned");
        let live = f.get(0);
        assert_eq!(word(live, 24), 10);
        let minors = gc().stats.minors;
        let c = chain(3000);
        assert!(gc().stats.minors >= minors + 6000);
        assert!(gc().stats.majors >= 6);
        check_chain(c.get(0), 3000);
        // The runtime's own allocating helpers under stress.
        let s = Frame::new([string("héllo")]);
        let t = Frame::new([string(", wörld")]);
        let u = crate::string::rr_str_concat(s.get(0), t.get(0));
        assert_eq!(text(u), "héllo, wörld");
        let u = Frame::new([u]);
        for _ in 0..40 {
            crate::string::rr_str_push_str(u.get(0), t.get(0));
            crate::string::rr_str_push_char(u.get(0), '€' as u32);
        }
        assert_eq!(
            text(u.get(0)),
            format!("héllo, wörld{}", ", wörld€".repeat(40))
        );
        crate::string::rr_str_push_str(u.get(0), u.get(0));
        crate::fmt::rr_fmt_str(u.get(0), s.get(0), 1, 0, 32, -1, -1);
        crate::fmt::rr_fmt_int(u.get(0), 42, 64, 0, 0x30, 42, 6, -1);
        let want = format!("héllo, wörld{}", ", wörld€".repeat(40)).repeat(2);
        assert_eq!(text(u.get(0)), format!("{want}\"héllo\"****42"));
        let cl = crate::list::rr_list_clone(u.get(0), 1, 0, 1);
        assert_eq!(text(cl), text(u.get(0)));
        // A young list moves during its own clone.
        let cl = crate::list::rr_list_clone(string("young"), 1, 0, 1);
        assert_eq!(text(cl), "young");
        let args = crate::entry::rr_env_args();
        let items = crate::layout::list_items(args);
        let want: Vec<String> = std::env::args().collect();
        for (i, w) in want.iter().enumerate() {
            assert_eq!(&text(word(items, ARRAY_ITEMS_OFFSET + 8 * i) as *mut u8), w);
        }
        let x = pair(std::ptr::null_mut(), std::ptr::null_mut(), 5);
        let l = crate::list::rr_list_new_filled(LIST_REF, ARRAY_REF, 8, 10, x as u64);
        let l = Frame::new([l]);
        let grown = crate::list::rr_list_new(LIST_U64, ARRAY_U64_B, 8, 0);
        let g = Frame::new([grown]);
        for i in 0..100u64 {
            let len = crate::layout::list_len(g.get(0));
            crate::list::rr_list_grow(g.get(0), len as u64 + 1, 8, ARRAY_U64_B);
            let items = crate::layout::list_items(g.get(0));
            set_word(items, ARRAY_ITEMS_OFFSET + 8 * len, i);
            set_word(g.get(0), 8, len as u64 + 1);
        }
        let items = crate::layout::list_items(g.get(0));
        for i in 0..100 {
            assert_eq!(word(items, ARRAY_ITEMS_OFFSET + 8 * i), i as u64);
        }
        let items = crate::layout::list_items(l.get(0));
        for i in 0..10 {
            assert_eq!(
                word(word(items, ARRAY_ITEMS_OFFSET + 8 * i) as *mut u8, 24),
                5
            );
        }
    }
}

#[test]
fn linked_list_of_millions_uses_16_bytes_per_node() {
    let _g = lock();
    unsafe {
        let n = 4_000_000u64;
        let base = old_bytes();
        let t0 = std::time::Instant::now();
        let f = Frame::new([std::ptr::null_mut()]);
        for _ in 0..n {
            let node = rr_malloc(NODE, NODE_SIZE);
            set_word(node, 8, f.get(0) as u64);
            f.set(0, node);
        }
        collect(false);
        let elapsed = t0.elapsed();
        let per_node = (old_bytes() - base) as f64 / n as f64;
        let s = &gc().stats;
        eprintln!(
            "4M nodes: {elapsed:?}, {per_node} bytes/node in the old generation, \
             footprint {} bytes, {} minors ({:.1} ms), {} majors ({:.1} ms)",
            gc().old.footprint,
            s.minors,
            s.minor_ns as f64 / 1e6,
            s.majors,
            s.major_ns as f64 / 1e6
        );
        assert_eq!(per_node, 16.0);
        // Pages are full but for the last one of the class.
        assert!(gc().old.footprint < (n as usize * 16) + (1 << 20));
        let mut p = f.get(0);
        let mut count = 0;
        while !p.is_null() {
            count += 1;
            p = word(p, 8) as *mut u8;
        }
        assert_eq!(count, n);
    }
}

#[test]
fn empty_structs_get_16_bytes_and_survive() {
    let _g = lock();
    unsafe {
        let e = rr_malloc(EMPTY, 8);
        let f = Frame::new([e]);
        let h = rr_identity_hash(e);
        collect(false);
        let e2 = f.get(0);
        assert_ne!(e2, e);
        assert_eq!(word(e2, 0) & 0xffff_ffff, EMPTY);
        assert_eq!(rr_identity_hash(e2), h);
        collect(true);
        assert_eq!(rr_identity_hash(f.get(0)), h);
    }
}
