//! The warm state: one cell per (driver, green key) with its counter and
//! its compiled loop. Keys are hashed on their int greens only (reference
//! greens move under the collector; they are compared after
//! `visit_roots` updated them).

use crate::resume::ResumeEntry;
use crate::CompiledCode;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use traceir::Trace;

pub struct WarmCell {
    pub driver: u32,
    pub key: Vec<u64>,
    /// Turns at which its counter slot reached the threshold since its
    /// last trace started (see `WarmState::at`).
    pub counter: u32,
    /// Traces of this key aborted so far (each doubles the threshold).
    pub aborts: u32,
    /// Its loop (a trace number).
    pub compiled: Option<usize>,
}

/// Where a compiled trace starts.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Origin {
    /// A loop, at the merge point of this warm-state cell's key.
    Loop(usize),
    /// A bridge, at guard `op` of compiled trace `trace`.
    Bridge { trace: usize, op: usize },
}

/// A compiled loop or bridge.
pub struct CompiledTrace {
    pub origin: Origin,
    pub driver: u32,
    /// The (optimised) trace; its `gcrefs` table is what the code reads.
    pub trace: Box<Trace>,
    pub code: Box<dyn CompiledCode>,
    pub resumes: Vec<ResumeEntry>,
    /// Exit ids of this trace are `exit_base + op index`.
    pub exit_base: u32,
    /// By resume index: for a guard whose only frame stands at the
    /// portal's merge point, where each green and red comes from, so that
    /// leaving there needs no blackhole (`state::run_compiled`).
    pub merge_exits: Vec<Option<Vec<crate::resume::Slot>>>,
    /// Per op: how often the guard failed into the metainterp, how often
    /// tracing a bridge from it aborted, and its bridge (a trace number).
    pub fail_counts: Vec<u32>,
    pub bridge_aborts: Vec<u8>,
    pub bridges: Vec<Option<usize>>,
    /// Per op: the bridge's entry for the machine code (`Link`).
    pub slots: Box<[u64]>,
    /// A loop's body, once a trace jumping to it needed it
    /// (`state::body_entry`).
    pub body_code: Option<Box<dyn CompiledCode>>,
    /// The recorder's immutable reference constants (`Recorder::immutable`,
    /// gcref indices of `trace`): a bridge from one of its guards knows
    /// them immutable too.
    pub immutable: std::collections::HashSet<u32>,
    /// The trace's reads of immutable data folded to constants
    /// (`Recorder::frozen`), checked at each new call of the portal.
    pub frozen: Vec<crate::record::Frozen>,
    /// The trace as recorded, when `JitParams::keep_unoptimized`.
    pub unoptimized: Option<Box<Trace>>,
    /// Entries and label passes, counted by the code when `JitParams::count`.
    pub counts: Box<[u64; 2]>,
}

/// Cells by key, and two tables for the question the AOT code asks at
/// every merge point, most of them cold: "does this key have a loop?"
/// (`loops`, open addressing over the few cells that have one) and "is it
/// hot yet?" (`counters`, one approximate counter per hash slot as
/// RPython's `JitCounter`: keys sharing a slot share a count, which only
/// makes one of them hot a little sooner). A cold key costs a hash and
/// two probes into small tables, never a walk to its cell.
#[derive(Default)]
pub struct WarmState {
    pub cells: Vec<WarmCell>,
    index: HashMap<(u32, u64), Vec<usize>, BuildHasherDefault<KeyHasher>>,
    /// (hash, cell + 1) of cells with a loop; 0 marks a free slot.
    loops: Vec<(u64, u32)>,
    loops_len: usize,
    /// Per hash slot: its counter, and 1 when a key of that slot has a
    /// loop. Owned here, or the runtime's (`share_tables`), which the AOT
    /// code reads and counts in itself.
    counters: Vec<u32>,
    loop_flags: Vec<u8>,
    shared: Option<(*mut u32, *mut u8)>,
}

/// What `WarmState::at` found for a key.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Warmth {
    /// Its loop (a trace number).
    Compiled(usize),
    /// Hot: trace it from its cell.
    Hot(usize),
    Cold,
}

/// The AOT code asks for a cell at every merge point, most of them cold:
/// a multiply-rotate hash of the int greens instead of SipHash twice.
type KeyHasher = traceir::fasthash::FastHasher;

/// Keys are a few words: a loop beats a `memcmp` call.
fn same_key(a: &[u64], b: &[u64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

fn hash_ints(key: &[u64], is_ref: &[bool]) -> u64 {
    let mut h = KeyHasher::default();
    for (i, w) in key.iter().enumerate() {
        if !is_ref.get(i).copied().unwrap_or(false) {
            h.write_u64(*w);
        }
    }
    h.finish()
}

use abi::warm::{counter_slot, mix, COUNTER_BITS};

impl WarmState {
    /// From now on the counters and loop flags are the tables at these
    /// addresses (the runtime's, which the AOT code reads at each merge
    /// point before it calls in).
    ///
    /// # Safety
    /// Both must hold `1 << COUNTER_BITS` entries, stay valid and be
    /// written only by this state and the AOT code of the same thread.
    pub unsafe fn share_tables(&mut self, counters: *mut u32, loop_flags: *mut u8) {
        self.shared = Some((counters, loop_flags));
    }

    fn tables(&mut self) -> (&mut [u32], &mut [u8]) {
        let n = 1 << COUNTER_BITS;
        match self.shared {
            // SAFETY: `share_tables`'s contract.
            Some((c, l)) => unsafe {
                (
                    std::slice::from_raw_parts_mut(c, n),
                    std::slice::from_raw_parts_mut(l, n),
                )
            },
            None => {
                if self.counters.is_empty() {
                    self.counters = vec![0; n];
                    self.loop_flags = vec![0; n];
                }
                (&mut self.counters, &mut self.loop_flags)
            }
        }
    }

    /// The compiled loop of `key`, if any.
    pub fn loop_of(&self, driver: u32, is_ref: &[bool], key: &[u64]) -> Option<usize> {
        self.loop_cell(driver, hash_ints(key, is_ref), key)
            .and_then(|c| self.cells[c].compiled)
    }

    fn loop_cell(&self, driver: u32, h: u64, key: &[u64]) -> Option<usize> {
        if self.loops.is_empty() {
            return None;
        }
        let mask = self.loops.len() - 1;
        let mut slot = (mix(driver, h) >> 32) as usize & mask;
        loop {
            let (eh, c1) = self.loops[slot];
            if c1 == 0 {
                return None;
            }
            let c = &self.cells[c1 as usize - 1];
            if eh == h && c.driver == driver && same_key(&c.key, key) {
                return Some(c1 as usize - 1);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Forgets every cell's loop (`JitState::forget_loops`).
    pub fn forget_loops(&mut self) {
        for c in &mut self.cells {
            c.compiled = None;
        }
        self.loops.fill((0, 0));
        self.loops_len = 0;
        self.tables().1.fill(0);
    }

    /// Records that `cell` has its loop, compiled as trace `number`.
    pub fn set_compiled(&mut self, cell: usize, is_ref: &[bool], number: usize) {
        let first = self.cells[cell].compiled.is_none();
        self.cells[cell].compiled = Some(number);
        if !first {
            return;
        }
        if (self.loops_len + 1) * 2 > self.loops.len() {
            let old = std::mem::take(&mut self.loops);
            self.loops = vec![(0, 0); (old.len() * 2).max(64)];
            for (h, c1) in old.into_iter().filter(|e| e.1 != 0) {
                self.insert_loop(h, c1);
            }
        }
        let h = hash_ints(&self.cells[cell].key, is_ref);
        let slot = counter_slot(self.cells[cell].driver, h);
        self.tables().1[slot] = 1;
        self.insert_loop(h, cell as u32 + 1);
        self.loops_len += 1;
    }

    fn insert_loop(&mut self, h: u64, c1: u32) {
        let driver = self.cells[c1 as usize - 1].driver;
        let mask = self.loops.len() - 1;
        let mut slot = (mix(driver, h) >> 32) as usize & mask;
        while self.loops[slot].1 != 0 {
            slot = (slot + 1) & mask;
        }
        self.loops[slot] = (h, c1);
    }

    /// At a merge point of the running program: the key's loop if it has
    /// one; else one more tick of its counter, and `Hot` when the count
    /// reaches `threshold` times 2 to the power of the cell's aborts.
    pub fn at(&mut self, driver: u32, is_ref: &[bool], key: &[u64], threshold: u32) -> Warmth {
        let h = hash_ints(key, is_ref);
        if let Some(c) = self.loop_cell(driver, h, key) {
            if let Some(t) = self.cells[c].compiled {
                return Warmth::Compiled(t);
            }
        }
        let slot = counter_slot(driver, h);
        let counters = self.tables().0;
        counters[slot] = counters[slot].saturating_add(1);
        if counters[slot] < threshold.max(1) {
            return Warmth::Cold;
        }
        counters[slot] = 0;
        // The slot's count is shared; the cell counts its own turns, so
        // that a key whose traces aborted waits 2^aborts turns.
        let c = self.lookup_hashed(driver, h, key);
        let cell = &mut self.cells[c];
        cell.counter += 1;
        if cell.counter < 1 << cell.aborts.min(10) {
            return Warmth::Cold;
        }
        cell.counter = 0;
        Warmth::Hot(c)
    }

    fn lookup_hashed(&mut self, driver: u32, h: u64, key: &[u64]) -> usize {
        let bucket = self.index.entry((driver, h)).or_default();
        for &c in bucket.iter() {
            if self.cells[c].key == key {
                return c;
            }
        }
        self.cells.push(WarmCell {
            driver,
            key: key.to_vec(),
            counter: 0,
            aborts: 0,
            compiled: None,
        });
        bucket.push(self.cells.len() - 1);
        self.cells.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::{WarmState, Warmth};

    #[test]
    fn one_cell_per_key_and_exact_loops() {
        let mut w = WarmState::default();
        let refs = [false, true];
        // Reference greens do not enter the hash: keys differing only
        // there share a hash, counter slot and loop-table chain.
        let hot = |w: &mut WarmState, key: &[u64]| match w.at(0, &refs, key, 1) {
            Warmth::Hot(c) => c,
            other => panic!("{key:?}: {other:?}"),
        };
        let mut cells = Vec::new();
        for pc in 0..10_000u64 {
            for r in [1u64, 2] {
                cells.push(([pc, r], hot(&mut w, &[pc, r])));
            }
        }
        assert_eq!(w.cells.len(), 20_000);
        for (key, c) in cells.iter().rev() {
            assert_eq!(hot(&mut w, key), *c);
        }
        // Every third key gets a loop; the others stay without one.
        for (n, (_, c)) in cells.iter().enumerate().step_by(3) {
            w.set_compiled(*c, &refs, n);
        }
        for (n, (key, _)) in cells.iter().enumerate() {
            let want = (n % 3 == 0).then_some(n);
            assert_eq!(w.loop_of(0, &refs, key), want, "{key:?}");
            if let Some(t) = want {
                assert_eq!(w.at(0, &refs, key, 1), Warmth::Compiled(t));
            }
        }
        // Another driver with the same key has no loop and its own cell.
        assert_eq!(w.loop_of(1, &refs, &[0, 1]), None);
        let Warmth::Hot(other) = w.at(1, &refs, &[0, 1], 1) else {
            panic!()
        };
        assert_eq!(w.cells[other].driver, 1);
    }

    #[test]
    fn aborts_double_the_wait() {
        let mut w = WarmState::default();
        let key = [7u64];
        let turns = |w: &mut WarmState| {
            (1..)
                .find(|_| matches!(w.at(0, &[false], &key, 3), Warmth::Hot(_)))
                .unwrap()
        };
        assert_eq!(turns(&mut w), 3);
        w.cells[0].aborts = 2;
        assert_eq!(turns(&mut w), 12);
    }

    /// With the runtime's tables shared, counting and loop marks happen in
    /// them, where the AOT code reads them.
    #[test]
    fn shared_tables_hold_the_counts_and_loop_marks() {
        let n = 1 << abi::warm::COUNTER_BITS;
        let mut counters = vec![0u32; n];
        let mut flags = vec![0u8; n];
        let mut w = WarmState::default();
        unsafe { w.share_tables(counters.as_mut_ptr(), flags.as_mut_ptr()) };
        let refs = [false];
        assert_eq!(w.at(0, &refs, &[7], 3), Warmth::Cold);
        assert_eq!(w.at(0, &refs, &[7], 3), Warmth::Cold);
        assert_eq!(counters.iter().sum::<u32>(), 2);
        let Warmth::Hot(c) = w.at(0, &refs, &[7], 3) else {
            panic!("not hot at the threshold")
        };
        assert_eq!(counters.iter().sum::<u32>(), 0, "reset when it traces");
        assert_eq!(flags.iter().filter(|&&f| f != 0).count(), 0);
        w.set_compiled(c, &refs, 5);
        assert_eq!(flags.iter().filter(|&&f| f != 0).count(), 1);
        assert_eq!(w.at(0, &refs, &[7], 3), Warmth::Compiled(5));
    }
}
