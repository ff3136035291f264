//! `JitState`: what `merge_point` does for one call of the AOT code.

use crate::blackhole::{frames_for_exit, write_buf};
use crate::frame::Frame;
use crate::record::{bank_type, Recorder};
use crate::tracer::{Active, Env, Machine, Stop};
use crate::warmstate::{CompiledTrace, Origin, WarmState, Warmth};
use crate::{exit, Backend, Host, JitParams, Link, Stats};
use abi::{Bank, Insn, JitProgram, Kind, Opnd};
use std::cell::Cell;
use std::collections::HashMap;
use std::time::Instant;
use traceir::{Descr, Opcode, Trace, Value};

/// Tracing a bridge from one guard is given up after this many aborts.
const MAX_BRIDGE_ABORTS: u8 = 6;

/// A compiled trace, for logs and tests.
pub struct TraceInfo<'a> {
    /// Its number (what `jump(.., descr=<Target n>)` names).
    pub number: usize,
    /// A loop's green key; None for a bridge.
    pub key: Option<&'a [u64]>,
    /// A bridge's guard: (trace number, op index).
    pub bridge_of: Option<(usize, usize)>,
    pub trace: &'a Trace,
    /// As recorded (`JitParams::keep_unoptimized`).
    pub unoptimized: Option<&'a Trace>,
    /// Entries and label passes (`JitParams::count`).
    pub counts: [u64; 2],
}

/// Where compiled code counts (`Link::counters`): in `counts` when
/// `jit-backend-counts` asked for it, else nowhere.
fn counters(count: bool, counts: &mut [u64; 2]) -> *mut u64 {
    if count {
        counts.as_mut_ptr()
    } else {
        std::ptr::null_mut()
    }
}

/// The JIT of one program.
pub struct JitState {
    prog: JitProgram,
    env: Env,
    params: JitParams,
    warm: WarmState,
    /// Compiled loops and bridges, by trace number, in `exit_base` order.
    traces: Vec<CompiledTrace>,
    /// By trace number: `CompiledCode::entry` (`Link::targets`).
    entries: Vec<u64>,
    /// By trace number: a loop's compiled body (`Link::bodies`), 0 for none.
    bodies: Vec<u64>,
    next_exit_base: u32,
    /// The buffer compiled code runs on: inputs in, exit values out; as
    /// large as any trace needs.
    frame: Vec<u64>,
    act: Active,
    stats: Stats,
    busy: bool,
    reentered: Cell<bool>,
    error: Option<String>,
    /// Per driver, which greens are references.
    green_refs: Vec<Vec<bool>>,
    /// By jitcode: the registers live before each instruction.
    live: Vec<abi::liveness::Liveness>,
    /// The portal calls seen (`note_epoch`); after a new one, the traces'
    /// frozen reads are checked before compiled code runs again.
    epoch: u64,
    recheck: bool,
    /// Traces numbered below this were forgotten (their frozen data
    /// changed): no key leads to them any more.
    live_from: usize,
    /// References being allocated around (`materialize`): GC roots.
    pending: Vec<u64>,
}

impl JitState {
    pub fn new(
        program: JitProgram,
        refconsts: *const u64,
        fnptrs: *const u64,
        host: Host,
        backend: Box<dyn Backend>,
        params: JitParams,
    ) -> JitState {
        let green_refs = program
            .drivers
            .iter()
            .map(|d| d.greens.iter().map(|(_, k)| *k == Kind::Ref).collect())
            .collect();
        let live = program
            .jitcodes
            .iter()
            .map(abi::liveness::Liveness::of)
            .collect();
        JitState {
            prog: program,
            env: Env {
                refconsts,
                fnptrs,
                host,
                backend,
                stubs: HashMap::new(),
                not_inlined: Default::default(),
            },
            params,
            warm: WarmState::default(),
            traces: Vec::new(),
            entries: Vec::new(),
            bodies: Vec::new(),
            next_exit_base: 0,
            frame: Vec::new(),
            act: Active::default(),
            stats: Stats::default(),
            busy: false,
            reentered: Cell::new(false),
            error: None,
            green_refs,
            live,
            epoch: 0,
            recheck: false,
            live_from: 0,
            pending: Vec::new(),
        }
    }

    /// Tells the JIT how many calls of a portal began so far (the AOT code
    /// counts them in `abi::symbols::PORTAL_EPOCH`). Between two calls the
    /// program may have changed the data behind `&T` greens, which traces
    /// read as constants: before compiled code runs again, those reads are
    /// checked, and on a difference every loop is forgotten.
    pub fn note_epoch(&mut self, epoch: u64) {
        if epoch != self.epoch {
            self.epoch = epoch;
            self.recheck = true;
        }
    }

    /// Whether every live trace's frozen reads still read the same.
    fn frozen_still_hold(&self) -> bool {
        self.traces[self.live_from.min(self.traces.len())..]
            .iter()
            .all(|t| {
                t.frozen.iter().all(|f| {
                    let obj = t.trace.gcrefs.get(f.obj as usize).copied().unwrap_or(0);
                    // SAFETY: the object is alive (the trace's gcref table
                    // is a root) and was read at this offset when traced.
                    obj != 0 && unsafe { crate::exec::load(obj + f.offset, f.kind) } == f.word
                })
            })
    }

    /// Forgets every compiled loop: no key leads to the traces compiled so
    /// far (their code stays, never entered again), so hot keys trace
    /// anew.
    fn forget_loops(&mut self) {
        self.warm.forget_loops();
        self.live_from = self.traces.len();
        self.stats.abort_reasons.push(
            "data behind a `&T` green changed between calls of the portal: compiled loops forgotten"
                .into(),
        );
    }

    /// Whether the JIT is tracing, blackholing or running a loop: a
    /// merge point reached meanwhile (a recursive portal) must not enter.
    pub fn is_busy(&self) -> bool {
        self.busy
    }

    /// Tells the JIT that a merge point was skipped because it was busy
    /// (a trace in progress through a residual call is then aborted).
    pub fn note_reentry(&self) {
        self.reentered.set(true);
    }

    /// The internal error behind an `exit::ERROR` result.
    pub fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    pub fn program(&self) -> &JitProgram {
        &self.prog
    }

    /// The compiled loops and bridges.
    pub fn traces(&self) -> impl Iterator<Item = TraceInfo<'_>> {
        self.traces.iter().enumerate().map(|(number, t)| TraceInfo {
            number,
            key: match t.origin {
                Origin::Loop(c) => Some(self.warm.cells[c].key.as_slice()),
                Origin::Bridge { .. } => None,
            },
            bridge_of: match t.origin {
                Origin::Loop(_) => None,
                Origin::Bridge { trace, op } => Some((trace, op)),
            },
            trace: &t.trace,
            unoptimized: t.unoptimized.as_deref(),
            counts: *t.counts,
        })
    }

    /// The compiled loops with their green keys.
    pub fn loops(&self) -> impl Iterator<Item = (&[u64], &Trace)> {
        self.traces().filter_map(|t| Some((t.key?, t.trace)))
    }

    /// Shares the warm state's counters and loop flags with the AOT code
    /// (`WarmState::share_tables`).
    ///
    /// # Safety
    /// As `WarmState::share_tables`.
    pub unsafe fn share_warm_tables(&mut self, counters: *mut u32, loop_flags: *mut u8) {
        self.warm.share_tables(counters, loop_flags);
    }

    /// Called by the AOT code at the merge point of driver `d` with the
    /// greens then reds in `buf` (driver order). Returns `exit::CONTINUE`
    /// (go on with the values now in `buf`), `exit::RETURNED` (the portal
    /// returned `buf[0]`) or `exit::ERROR` (see `take_error`).
    ///
    /// # Safety
    /// `buf` must hold the driver's greens and reds; the program's heap,
    /// tables and host functions must be valid.
    pub unsafe fn merge_point(&mut self, d: u32, buf: *mut u64) -> u32 {
        if self.busy {
            self.note_reentry();
            return exit::CONTINUE;
        }
        if !self.params.enabled {
            return exit::CONTINUE;
        }
        if self.recheck {
            self.recheck = false;
            if !self.frozen_still_hold() {
                self.forget_loops();
            }
        }
        // Most calls are a cold key: a counter tick and back, nothing
        // else to set up or reset.
        let Some(ng) = self
            .prog
            .drivers
            .get(d as usize)
            .map(|drv| drv.greens.len())
        else {
            self.error = Some("bad driver".into());
            return exit::ERROR;
        };
        let refs = &self.green_refs[d as usize];
        let key = std::slice::from_raw_parts(buf, ng);
        let warmth = self.warm.at(d, refs, key, self.params.threshold);
        if warmth == Warmth::Cold {
            return exit::CONTINUE;
        }
        self.busy = true;
        let r = self.merge_point_inner(d, ng, buf, warmth);
        self.busy = false;
        self.act = Active::default();
        match r {
            Ok(c) => c,
            Err(e) => {
                self.error = Some(e);
                exit::ERROR
            }
        }
    }

    /// `ng`: the number of driver `d`'s greens.
    unsafe fn merge_point_inner(
        &mut self,
        d: u32,
        ng: usize,
        buf: *mut u64,
        mut warmth: Warmth,
    ) -> Result<u32, String> {
        // The greens, read from `buf` again whenever it changes.
        let key = |buf: *mut u64| std::slice::from_raw_parts(buf, ng);
        loop {
            // Compiled code left to the metainterp, which finished the
            // iteration at the next merge point: that is where the AOT
            // code would call us next, so look there at once (it may have
            // a loop of its own) instead of a round trip through the AOT
            // code.
            while let Warmth::Compiled(t) = warmth {
                let r = self.run_compiled(t, ng, buf)?;
                if r != exit::CONTINUE {
                    return Ok(r);
                }
                self.act = Active::default();
                let refs = &self.green_refs[d as usize];
                warmth = self.warm.at(d, refs, key(buf), self.params.threshold);
            }
            let Warmth::Hot(cell) = warmth else {
                return Ok(exit::CONTINUE);
            };
            let r = self.trace(d, cell, key(buf).to_vec(), buf)?;
            self.act = Active::default();
            if r != exit::CONTINUE {
                return Ok(r);
            }
            // At a merge point again (the start of the new loop, or one
            // with a loop of its own): enter its code if it has some.
            let refs = &self.green_refs[d as usize];
            match self.warm.loop_of(d, refs, key(buf)) {
                Some(t) => warmth = Warmth::Compiled(t),
                None => return Ok(exit::CONTINUE),
            }
        }
    }

    fn machine(&mut self) -> Machine<'_> {
        Machine {
            prog: &self.prog,
            env: &mut self.env,
            act: &mut self.act,
            stats: &mut self.stats,
            trace_limit: self.params.trace_limit,
            reentered: &self.reentered,
            warm: &self.warm,
            green_refs: &self.green_refs,
            live: &self.live,
            locations: self.params.locations,
            sandbox: false,
        }
    }

    unsafe fn trace(
        &mut self,
        d: u32,
        cell: usize,
        key: Vec<u64>,
        buf: *mut u64,
    ) -> Result<u32, String> {
        self.stats.traces_started += 1;
        let t0 = Instant::now();
        let drv = &self.prog.drivers[d as usize];
        let code = self
            .prog
            .jitcodes
            .get(drv.jitcode as usize)
            .ok_or("bad portal jitcode")?;
        let Some(Insn::MergePoint { greens, reds, .. }) =
            code.insns.get(drv.merge_point_pc as usize)
        else {
            return Err("the driver's merge_point_pc is not a MergePoint".into());
        };
        let inputs = drv.reds.iter().map(|(_, k)| bank_type(k.bank())).collect();
        let mut rec = Recorder::new(d, key, cell, inputs);
        let mut f = Frame::new(drv.jitcode, code, drv.merge_point_pc + 1, true);
        let ng = greens.len();
        for (i, g) in greens.iter().enumerate() {
            if let Opnd::Reg(r) = g {
                let w = *buf.add(i);
                let c = rec.const_of(r.bank, w);
                if drv.immutable_greens.get(i).copied().unwrap_or(false) {
                    rec.mark_immutable(c);
                }
                f.set(*r, w, Some(c))?;
            }
        }
        for (i, o) in reds.iter().enumerate() {
            if let Opnd::Reg(r) = o {
                f.set(*r, *buf.add(ng + i), Some(Value::Input(i as u32)))?;
            }
        }
        self.act = Active {
            frames: vec![f],
            rec: Some(rec),
            aborted: None,
            parked: None,
        };
        self.finish_trace(t0, buf)
    }

    /// Runs the tracer set up in `self.act` to its stop, installs the
    /// trace if it closed, notes an abort, and hands the state at the
    /// stop to the AOT code.
    unsafe fn finish_trace(&mut self, t0: Instant, buf: *mut u64) -> Result<u32, String> {
        let stop = self.machine().run();
        self.stats.time_tracing += t0.elapsed();
        let stop = stop?;
        // A loop closed, or reached a loop, or a bridge ended in `finish`
        // (the portal returned while it was recorded).
        if matches!(
            stop,
            Stop::LoopClosed | Stop::ReachedLoop | Stop::Returned(_)
        ) {
            if let Some(rec) = self.act.rec.take() {
                self.install(rec);
            }
        }
        if let Some(o) = self.act.aborted.take() {
            match o {
                Origin::Loop(c) => {
                    let c = &mut self.warm.cells[c];
                    c.aborts += 1;
                    c.counter = 0;
                }
                Origin::Bridge { trace, op } => {
                    let t = &mut self.traces[trace];
                    t.bridge_aborts[op] = t.bridge_aborts[op].saturating_add(1);
                    t.fail_counts[op] = 0;
                }
            }
        }
        self.leave(&stop, buf)
    }

    /// Traces a bridge from guard `op` of trace `t`, whose fail values are
    /// in `self.frame`.
    unsafe fn trace_bridge(&mut self, t: usize, op: usize, buf: *mut u64) -> Result<u32, String> {
        self.stats.traces_started += 1;
        let t0 = Instant::now();
        let parent = &self.traces[t];
        let gop = &parent.trace.ops[op];
        let entry = parent
            .resumes
            .get(gop.resume as usize)
            .ok_or("guard without resume data")?;
        let n = gop.fail_args.len();
        let inputs = gop
            .fail_args
            .iter()
            .map(|&v| parent.trace.type_of(v))
            .collect();
        let fail = self.frame.get(..n).ok_or("frame smaller than fail args")?;
        // Addresses of the parent's immutable data, current: nothing
        // collects between the guard's exit and here.
        let immutable: std::collections::HashSet<u64> = parent
            .immutable
            .iter()
            .filter_map(|&j| parent.trace.gcrefs.get(j as usize).copied())
            .collect();
        let mut rec = Recorder::bridge(parent.driver, Origin::Bridge { trace: t, op }, inputs);
        let frames = crate::resume::rebuild_tracing(
            entry,
            &self.prog,
            fail,
            &gop.fail_args,
            &gop.virtuals,
            &immutable,
            &mut rec,
        )?;
        self.act = Active {
            frames,
            rec: Some(rec),
            aborted: None,
            parked: None,
        };
        self.finish_trace(t0, buf)
    }

    /// Optimises and compiles a closed trace (a failure counts as an
    /// abort) and links it: a loop to its key, a bridge to its guard.
    fn install(&mut self, rec: Recorder) {
        let Recorder {
            mut trace,
            resumes,
            origin,
            driver,
            immutable,
            frozen,
            ..
        } = rec;
        let unoptimized = self
            .params
            .keep_unoptimized
            .then(|| Box::new(trace.clone()));
        let mut counts = Box::new([0u64; 2]);
        let counters = counters(self.params.count, &mut counts);
        // A trace that ends at a loop's top gets the loop's short preamble
        // and then enters its body, past the preamble (most of the short
        // preamble folds away against what the trace knows).
        if let Some(traceir::Op {
            opcode: traceir::Opcode::Jump,
            descr: traceir::Descr::Target(n),
            ..
        }) = trace.ops.last()
        {
            let n = *n;
            if self.body_entry(n as usize) {
                traceir::optimize::short::inline(&mut trace, n, &self.traces[n as usize].trace);
            }
        }
        let t0 = Instant::now();
        if self.params.optimize {
            traceir::optimize::optimize(&mut trace, &self.prog.calls);
        }
        self.stats.time_optimizing += t0.elapsed();
        let t0 = Instant::now();
        let trace = Box::new(trace);
        let nops = trace.ops.len();
        let slots = vec![0u64; nops].into_boxed_slice();
        let exit_base = self.next_exit_base;
        let link = Link {
            exit_base,
            bridge_slots: slots.as_ptr(),
            targets: &self.entries,
            bodies: &self.bodies,
            number: self.traces.len(),
            counters,
        };
        let r = match exit_base.checked_add(nops as u32) {
            Some(_) => self
                .env
                .backend
                .compile(&trace, trace.gcrefs.as_ptr(), &link),
            None => Err("too many exits".into()),
        };
        self.stats.time_compiling += t0.elapsed();
        let code = match r {
            Ok(code) => code,
            Err(e) => {
                self.stats.aborts += 1;
                self.stats.abort_reasons.push(format!("compile: {e}"));
                self.act.aborted = Some(origin);
                return;
            }
        };
        self.next_exit_base = exit_base + nops as u32;
        let frame_size = trace
            .ops
            .iter()
            .map(|o| o.fail_args.len().max(o.args.len()))
            .chain([trace.inputs.len()])
            .max()
            .unwrap_or(0);
        if self.frame.len() < frame_size {
            self.frame.resize(frame_size, 0);
        }
        let merge_exits = resumes
            .iter()
            .map(|e| crate::resume::merge_point_slots(e, &self.prog))
            .collect();
        let number = self.traces.len();
        let entry = code.entry();
        self.entries.push(entry);
        self.bodies.push(0);
        match origin {
            Origin::Loop(cell) => {
                let refs = &self.green_refs[self.warm.cells[cell].driver as usize];
                self.warm.set_compiled(cell, refs, number);
                self.stats.loops_compiled += 1;
            }
            Origin::Bridge { trace: p, op } => {
                let parent = &mut self.traces[p];
                parent.bridges[op] = Some(number);
                parent.slots[op] = entry;
                self.stats.bridges_compiled += 1;
            }
        }
        self.traces.push(CompiledTrace {
            origin,
            driver,
            trace,
            code,
            resumes,
            exit_base,
            merge_exits,
            fail_counts: vec![0; nops],
            bridge_aborts: vec![0; nops],
            bridges: vec![None; nops],
            slots,
            body_code: None,
            immutable,
            frozen,
            unoptimized,
            counts,
        });
    }

    /// Compiles loop `n`'s body if it has a short entry and the body is
    /// not compiled yet; whether traces can jump into it.
    fn body_entry(&mut self, n: usize) -> bool {
        let Some(t) = self.traces.get_mut(n) else {
            return false;
        };
        if t.body_code.is_some() {
            return true;
        }
        if t.trace.short.is_none() {
            return false;
        }
        let link = Link {
            exit_base: t.exit_base,
            bridge_slots: t.slots.as_ptr(),
            targets: &self.entries,
            bodies: &self.bodies,
            number: n,
            counters: counters(self.params.count, &mut t.counts),
        };
        match self
            .env
            .backend
            .compile_body(&t.trace, t.trace.gcrefs.as_ptr(), &link)
        {
            Some(Ok(code)) if code.entry() != 0 => {
                self.bodies[n] = code.entry();
                t.body_code = Some(code);
                return true;
            }
            Some(Err(e)) => self
                .stats
                .abort_reasons
                .push(format!("compile loop body: {e}")),
            _ => {}
        }
        // No body: jumps to the loop enter it at its top.
        t.trace.short = None;
        false
    }

    /// The trace and op index of exit id `id`.
    fn locate(&self, id: u32) -> Result<(usize, usize), String> {
        let t = self.traces.partition_point(|t| t.exit_base <= id);
        let bad = || format!("compiled code left with unknown exit id {id}");
        let t = t.checked_sub(1).ok_or_else(bad)?;
        let op = (id - self.traces[t].exit_base) as usize;
        if op >= self.traces[t].trace.ops.len() {
            return Err(bad());
        }
        Ok((t, op))
    }

    /// Runs compiled trace `t` from the reds in `buf` until a guard
    /// without a bridge fails, then finishes the iteration (tracing a
    /// bridge from the guard when it has failed often enough).
    unsafe fn run_compiled(&mut self, t: usize, ng: usize, buf: *mut u64) -> Result<u32, String> {
        self.stats.loop_entries += 1;
        let nr = self.traces[t].trace.inputs.len();
        for i in 0..nr {
            self.frame[i] = *buf.add(ng + i);
        }
        let mut cur = t;
        let (tt, op) = loop {
            let id = self.traces[cur].code.run(self.frame.as_mut_ptr());
            let (tt, op) = self.locate(id)?;
            let tr = &self.traces[tt];
            let o = &tr.trace.ops[op];
            // A backend that does not chain by itself returns at jumps to
            // other traces and at guards with bridges.
            if o.opcode == Opcode::Jump {
                match o.descr {
                    Descr::Target(n) if (n as usize) < self.traces.len() => {
                        cur = n as usize;
                        continue;
                    }
                    _ => return Err("compiled code left at a jump".into()),
                }
            }
            // A bridge ended where the portal returns: its value is the
            // first exit value.
            if o.opcode == Opcode::Finish {
                let w = if o.args.is_empty() { 0 } else { self.frame[0] };
                *buf = w;
                return Ok(exit::RETURNED);
            }
            if !o.opcode.flags().guard {
                return Err(format!("compiled code left at a {}", o.opcode.name()));
            }
            if let Some(b) = tr.bridges[op] {
                cur = b;
                continue;
            }
            break (tt, op);
        };
        self.stats.guard_failures += 1;
        if !self.traces[tt].trace.ops[op].virtuals.is_empty() {
            self.materialize(tt, op)?;
        }
        let params = self.params;
        let tr = &mut self.traces[tt];
        if tr.bridge_aborts[op] < MAX_BRIDGE_ABORTS {
            tr.fail_counts[op] += 1;
            let need = params
                .trace_eagerness
                .max(1)
                .saturating_mul(1 << tr.bridge_aborts[op]);
            if tr.fail_counts[op] >= need {
                tr.fail_counts[op] = 0;
                return self.trace_bridge(tt, op, buf);
            }
        }
        let tr = &self.traces[tt];
        // Left right at a merge point: the greens and reds go to `buf`
        // without rebuilding frames.
        let resume = tr.trace.ops[op].resume as usize;
        if let Some(Some(slots)) = tr.merge_exits.get(resume) {
            for (i, s) in slots.iter().enumerate() {
                *buf.add(i) = match *s {
                    crate::resume::Slot::Const(w) => w,
                    crate::resume::Slot::FailArg(j) => *self
                        .frame
                        .get(j as usize)
                        .ok_or("merge exit: missing fail arg")?,
                };
            }
            return Ok(exit::CONTINUE);
        }
        let frames = frames_for_exit(tr, op, &self.frame, &self.prog)?;
        self.act = Active {
            frames,
            rec: None,
            aborted: None,
            parked: None,
        };
        let stop = self.machine().run()?;
        self.leave(&stop, buf)
    }

    /// Allocates the objects that guard `op` of trace `t` holds but the
    /// trace never allocated (`Op::virtuals`) and puts each into its fail
    /// arg slot of `self.frame`, which then holds what the unoptimised
    /// trace would have left there.
    unsafe fn materialize(&mut self, t: usize, op: usize) -> Result<(), String> {
        let trace = &self.traces[t].trace;
        let gop = &trace.ops[op];
        let virtuals = gop.virtuals.clone();
        // Every reference among the fail values is a root while the
        // allocations may collect.
        let ref_slots: Vec<usize> = (0..gop.fail_args.len())
            .filter(|&i| trace.type_of(gop.fail_args[i]) == traceir::ops::Type::Ref)
            .collect();
        let missing = || "virtual: fail arg out of range".to_string();
        self.pending.clear();
        for &i in &ref_slots {
            let w = *self.frame.get(i).ok_or_else(missing)?;
            self.pending.push(w);
        }
        for v in &virtuals {
            let k = ref_slots
                .iter()
                .position(|&i| i == v.slot as usize)
                .ok_or("virtual: its slot is not a reference")?;
            let p = (self.env.host.malloc)(v.type_id as u64, v.size as u64) as u64;
            if p == 0 {
                return Err("malloc returned null".into());
            }
            self.pending[k] = p;
        }
        for (k, &i) in ref_slots.iter().enumerate() {
            self.frame[i] = self.pending[k];
        }
        self.pending.clear();
        // Nothing collects from here on.
        for v in &virtuals {
            let obj = self.frame[v.slot as usize];
            for &(fd, index) in &v.fields {
                let w = *self.frame.get(index as usize).ok_or_else(missing)?;
                if fd.kind == abi::Kind::Ref {
                    crate::exec::barrier(&self.env.host, obj, w, None);
                }
                crate::exec::store(obj + fd.offset as u64, fd.kind, w);
            }
        }
        Ok(())
    }

    /// Hands the interpreter's state back to the AOT code.
    unsafe fn leave(&mut self, stop: &Stop, buf: *mut u64) -> Result<u32, String> {
        match stop {
            Stop::Returned(w) => {
                *buf = *w;
                Ok(exit::RETURNED)
            }
            Stop::MergePoint | Stop::LoopClosed | Stop::ReachedLoop => {
                write_buf(&self.prog, &self.env, &self.act.frames, buf)?;
                Ok(exit::CONTINUE)
            }
        }
    }

    /// Every GC reference the JIT holds; `f` may overwrite each slot.
    pub fn visit_roots(&mut self, f: &mut dyn FnMut(&mut u64)) {
        let mut g = |w: &mut u64| {
            if *w != 0 {
                f(w)
            }
        };
        for c in &mut self.warm.cells {
            let refs = &self.green_refs[c.driver as usize];
            for (i, w) in c.key.iter_mut().enumerate() {
                if refs.get(i).copied().unwrap_or(false) {
                    g(w);
                }
            }
        }
        for l in &mut self.traces {
            for w in &mut l.trace.gcrefs {
                g(w);
            }
            for e in &mut l.resumes {
                crate::resume::visit(e, &mut g);
            }
        }
        for w in &mut self.pending {
            g(w);
        }
        for fr in &mut self.act.frames {
            for w in &mut fr.regs[crate::frame::bank_index(Bank::Ref)] {
                g(w);
            }
        }
        if let Some(rec) = &mut self.act.parked {
            rec.visit_roots(&mut g);
        }
        if let Some(rec) = &mut self.act.rec {
            rec.visit_roots(&mut g);
            let refs = &self.green_refs[rec.driver as usize];
            for (i, w) in rec.key.iter_mut().enumerate() {
                if refs.get(i).copied().unwrap_or(false) {
                    g(w);
                }
            }
        }
    }
}
