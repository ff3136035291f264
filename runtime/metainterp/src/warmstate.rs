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
    pub counter: u32,
    /// Traces of this key aborted so far (each doubles the threshold).
    pub aborts: u32,
    /// Its loop (a trace number).
    pub compiled: Option<usize>,
}

impl WarmCell {
    pub fn threshold(&self, base: u32) -> u32 {
        base.max(1).saturating_mul(1 << self.aborts.min(10))
    }
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
}

#[derive(Default)]
pub struct WarmState {
    pub cells: Vec<WarmCell>,
    index: HashMap<(u32, u64), Vec<usize>, BuildHasherDefault<KeyHasher>>,
}

/// The AOT code asks for a cell at every merge point, most of them cold:
/// a multiply-rotate hash of the int greens (as rustc's FxHash) instead
/// of SipHash twice. Keys come from the interpreted program, not from an
/// adversary the table must resist.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_u64(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, w: u32) {
        self.write_u64(w as u64);
    }
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

impl WarmState {
    /// The cell of `key`, if it has one (no new cell).
    pub fn find(&self, driver: u32, is_ref: &[bool], key: &[u64]) -> Option<usize> {
        let h = hash_ints(key, is_ref);
        let bucket = self.index.get(&(driver, h))?;
        bucket.iter().copied().find(|&c| self.cells[c].key == key)
    }

    /// The compiled loop of `key`, if any.
    pub fn loop_of(&self, driver: u32, is_ref: &[bool], key: &[u64]) -> Option<usize> {
        self.find(driver, is_ref, key)
            .and_then(|c| self.cells[c].compiled)
    }

    /// The cell of `key` (created on first sight).
    pub fn lookup(&mut self, driver: u32, is_ref: &[bool], key: &[u64]) -> usize {
        let h = hash_ints(key, is_ref);
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
