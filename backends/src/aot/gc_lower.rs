//! The code the collector needs in each function (docs/runtime-abi.md,
//! "Garbage collection"): the shadow-stack frame (reserved at entry,
//! released before every return), spills of the live `Ptr` values around
//! calls that may collect and their reloads, and write barriers.
//!
//! Shape of a spill around `v3 = call f(...)` with `v1`, `v2` live after
//! it and a 3-slot frame:
//!
//! ```text
//!     top = load rr_root_stack_top ; frame = top - 24
//!     store v1, frame+0 ; store v2, frame+8 ; store 0, frame+16
//!     v3 = call f(...)
//!     v1' = load frame+0 ; v2' = load frame+8   (used from then on)
//! ```
//!
//! The frame's address and that of `rr_root_stack_top` are kept in a
//! stack slot of the machine frame, written at entry and read at each
//! collecting call and return, rather than in values: a value live through
//! the whole function would take a register from the function's hot loop
//! (Cranelift hoists a symbol's address to the entry block and does not
//! rematerialise it, so even a recomputed address stays one long value).

use cranelift_codegen::ir::{
    types, AliasRegionData, Block, InstBuilder, MemFlagsData, StackSlot, StackSlotData,
    StackSlotKind, Value,
};
use cranelift_module::{DataId, Linkage, Module};
use flowspace::model::Var;
use rtyper::lltype::{FLAG_HAS_CARDS, FLAG_TRACK_YOUNG_PTRS};
use std::borrow::Cow;

use super::function::{FnLower, LResult};
use super::module::ModuleCx;

/// The runtime's shadow-stack top (a data symbol holding a pointer).
pub(crate) const ROOT_STACK_TOP_SYMBOL: &str = "rr_root_stack_top";
pub(crate) const WRITE_BARRIER: &str = "rr_gc_write_barrier";
pub(crate) const WRITE_BARRIER_ARRAY: &str = "rr_gc_write_barrier_array";

/// Alias region of the shadow stack (and of `rr_root_stack_top` itself):
/// never the heap. `user_id`s below `u32::MAX - 1` are heap offsets
/// (`ops.rs`).
const ROOTS_REGION: u32 = u32::MAX - 2;

/// The header's high half, where the GC flags live (little-endian: bytes
/// 4..8 of the header word); testing it with a 32-bit load lets x86 use one
/// `test` with a memory operand and an immediate.
const FLAGS_OFFSET: i32 = abi::layout::FLAGS_OFFSET as i32;
const TRACK_YOUNG_PTRS_HI: i64 = (FLAG_TRACK_YOUNG_PTRS >> 32) as i64;
const HAS_CARDS_HI: i64 = (FLAG_HAS_CARDS >> 32) as i64;

/// The frame of a function that holds references across collecting calls.
#[derive(Copy, Clone)]
pub(crate) struct RootFrame {
    /// Two words: the address of `rr_root_stack_top`, then the frame's.
    saved: StackSlot,
}

impl ModuleCx<'_> {
    /// Declares (once) the imported data symbol `rr_root_stack_top`.
    pub fn root_stack_top(&mut self) -> Result<DataId, String> {
        if let Some(id) = self.root_stack_top {
            return Ok(id);
        }
        let id = self
            .module
            .declare_data(ROOT_STACK_TOP_SYMBOL, Linkage::Import, true, false)
            .map_err(|e| format!("cannot import `{ROOT_STACK_TOP_SYMBOL}`: {e}"))?;
        self.root_stack_top = Some(id);
        Ok(id)
    }
}

impl FnLower<'_, '_, '_> {
    fn roots_flags(&mut self) -> MemFlagsData {
        let r = self.b.func.dfg.alias_regions.insert(AliasRegionData {
            user_id: ROOTS_REGION,
            description: Cow::Borrowed("shadow stack"),
        });
        MemFlagsData::trusted().with_alias_region(Some(r))
    }

    /// At entry (in the entry block): `frame = rr_root_stack_top;
    /// rr_root_stack_top = frame + 8n;` and the `n` slots zeroed.
    pub(crate) fn enter_frame(&mut self) -> LResult<()> {
        let slots = self.plan.slots;
        if slots == 0 {
            return Ok(());
        }
        let data = self.cx.root_stack_top().map_err(|m| self.err(m))?;
        let top_addr = self.data_addr(data);
        let flags = self.roots_flags();
        let frame = self.b.ins().load(types::I64, flags, top_addr, 0);
        let top = self.b.ins().iadd_imm_u(frame, 8 * slots as i64);
        self.b.ins().store(flags, top, top_addr, 0);
        let zero = self.b.ins().iconst(types::I64, 0);
        for i in 0..slots {
            self.b.ins().store(flags, zero, frame, 8 * i as i32);
        }
        let saved =
            self.b
                .create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
        self.b.ins().stack_store(types::I64, top_addr, saved, 0);
        self.b.ins().stack_store(types::I64, frame, saved, 8);
        self.root = Some(RootFrame { saved });
        Ok(())
    }

    /// The frame's address, as saved at entry.
    fn frame_here(&mut self, rf: RootFrame) -> Value {
        self.b.ins().stack_load(types::I64, types::I64, rf.saved, 8)
    }

    /// Before a `Return`: `rr_root_stack_top = frame`.
    pub(crate) fn leave_frame(&mut self) {
        if let Some(rf) = self.root {
            let frame = self.frame_here(rf);
            let top_addr = self.b.ins().stack_load(types::I64, types::I64, rf.saved, 0);
            let flags = self.roots_flags();
            self.b.ins().store(flags, frame, top_addr, 0);
        }
    }

    /// Before a call that may collect: the live references into the first
    /// slots, 0 into the others (no stale reference is ever scanned).
    /// Returns the frame's address for the reloads.
    pub(crate) fn spill(&mut self, live: &[Var]) -> LResult<Option<Value>> {
        let Some(rf) = self.root else {
            return Ok(None);
        };
        let frame = self.frame_here(rf);
        let flags = self.roots_flags();
        let mut zero = None;
        for i in 0..self.plan.slots {
            let v = match live.get(i) {
                Some(var) => self.read_var(*var)?,
                None => *zero.get_or_insert_with(|| self.b.ins().iconst(types::I64, 0)),
            };
            self.b.ins().store(flags, v, frame, 8 * i as i32);
        }
        Ok(Some(frame))
    }

    /// After the call: each live reference reloaded (the collector may
    /// have moved its object) and used from here on.
    pub(crate) fn reload(&mut self, frame: Value, live: &[Var]) -> LResult<()> {
        let flags = self.roots_flags();
        for (i, var) in live.iter().enumerate() {
            let v = self.b.ins().load(types::I64, flags, frame, 8 * i as i32);
            self.redefine(*var, v)?;
        }
        Ok(())
    }

    /// The write barrier before storing a reference into `obj` (an array
    /// item when `index` is given): a test of the header's
    /// `FLAG_TRACK_YOUNG_PTRS` inline, the call in a cold block.
    pub(crate) fn write_barrier(&mut self, obj: Value, index: Option<Value>) -> LResult<()> {
        let header = self.b.func.dfg.alias_regions.insert(AliasRegionData {
            user_id: 0,
            description: Cow::Borrowed("offset 0"),
        });
        let flags = MemFlagsData::trusted().with_alias_region(Some(header));
        let hi = self.b.ins().load(types::I32, flags, obj, FLAGS_OFFSET);
        let track = self.b.ins().band_imm_u(hi, TRACK_YOUNG_PTRS_HI);
        let slow = self.cold_block();
        let cont = self.b.create_block();
        self.b.ins().brif(track, slow, &[], cont, &[]);
        self.b.switch_to_block(slow);
        match index {
            None => self.barrier_call(WRITE_BARRIER, &[obj], cont)?,
            Some(idx) => {
                let cards = self.b.ins().band_imm_u(hi, HAS_CARDS_HI);
                let with_cards = self.cold_block();
                let plain = self.cold_block();
                self.b.ins().brif(cards, with_cards, &[], plain, &[]);
                self.b.switch_to_block(with_cards);
                let idx = self.word(idx);
                self.barrier_call(WRITE_BARRIER_ARRAY, &[obj, idx], cont)?;
                self.b.switch_to_block(plain);
                self.barrier_call(WRITE_BARRIER, &[obj], cont)?;
            }
        }
        self.b.switch_to_block(cont);
        Ok(())
    }

    fn cold_block(&mut self) -> Block {
        let b = self.b.create_block();
        self.b.set_cold_block(b);
        b
    }

    fn barrier_call(&mut self, name: &str, args: &[Value], cont: Block) -> LResult<()> {
        let f = self
            .cx
            .import_words(name, args.len(), false)
            .map_err(|m| self.err(m))?;
        self.call(f, args);
        self.b.ins().jump(cont, &[]);
        Ok(())
    }
}
