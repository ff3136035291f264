//! The warm state: one cell per (driver, green key) with its counter and
//! its compiled loop. Keys are hashed on their int greens only (reference
//! greens move under the collector; they are compared after
//! `visit_roots` updated them).

use crate::resume::ResumeEntry;
use crate::CompiledCode;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use traceir::Trace;

pub struct WarmCell {
    pub driver: u32,
    pub key: Vec<u64>,
    pub counter: u32,
    /// Traces of this key aborted so far (each doubles the threshold).
    pub aborts: u32,
    pub compiled: Option<usize>,
}

impl WarmCell {
    pub fn threshold(&self, base: u32) -> u32 {
        base.max(1).saturating_mul(1 << self.aborts.min(10))
    }
}

pub struct CompiledLoop {
    pub cell: usize,
    /// The (optimised) trace; its `gcrefs` table is what the code reads.
    pub trace: Box<Trace>,
    pub code: Box<dyn CompiledCode>,
    pub resumes: Vec<ResumeEntry>,
    /// Words of the frame buffer: inputs and every guard's fail_args.
    pub frame_size: usize,
    /// By resume index: for a guard whose only frame stands at the
    /// portal's merge point, where each green and red comes from, so that
    /// leaving there needs no blackhole (`state::run_loop`).
    pub merge_exits: Vec<Option<Vec<crate::resume::Slot>>>,
}

#[derive(Default)]
pub struct WarmState {
    pub cells: Vec<WarmCell>,
    index: HashMap<(u32, u64), Vec<usize>>,
}

fn hash_ints(key: &[u64], is_ref: &[bool]) -> u64 {
    let mut h = DefaultHasher::new();
    for (i, w) in key.iter().enumerate() {
        if !is_ref.get(i).copied().unwrap_or(false) {
            w.hash(&mut h);
        }
    }
    h.finish()
}

impl WarmState {
    /// The cell of `key` (created on first sight).
    /// The cell of `key`, if it has one (no new cell).
    pub fn find(&self, driver: u32, is_ref: &[bool], key: &[u64]) -> Option<usize> {
        let h = hash_ints(key, is_ref);
        let bucket = self.index.get(&(driver, h))?;
        bucket.iter().copied().find(|&c| self.cells[c].key == key)
    }

    /// Whether `key` has compiled code.
    pub fn has_loop(&self, driver: u32, is_ref: &[bool], key: &[u64]) -> bool {
        self.find(driver, is_ref, key)
            .is_some_and(|c| self.cells[c].compiled.is_some())
    }

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
