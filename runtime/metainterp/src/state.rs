//! `JitState`: what `merge_point` does for one call of the AOT code.

use crate::blackhole::{frames_for_exit, write_buf};
use crate::frame::Frame;
use crate::record::{bank_type, Recorder};
use crate::tracer::{Active, Env, Machine, Stop};
use crate::warmstate::{CompiledLoop, WarmState};
use crate::{exit, Backend, Host, JitParams, Stats};
use abi::{Bank, Insn, JitProgram, Kind, Opnd};
use std::cell::Cell;
use std::collections::HashMap;
use std::time::Instant;
use traceir::{Trace, Value};

/// The JIT of one program.
pub struct JitState {
    prog: JitProgram,
    env: Env,
    params: JitParams,
    warm: WarmState,
    loops: Vec<CompiledLoop>,
    act: Active,
    stats: Stats,
    busy: bool,
    reentered: Cell<bool>,
    error: Option<String>,
    /// Per driver, which greens are references.
    green_refs: Vec<Vec<bool>>,
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
        JitState {
            prog: program,
            env: Env {
                refconsts,
                fnptrs,
                host,
                backend,
                stubs: HashMap::new(),
            },
            params,
            warm: WarmState::default(),
            loops: Vec::new(),
            act: Active::default(),
            stats: Stats::default(),
            busy: false,
            reentered: Cell::new(false),
            error: None,
            green_refs,
        }
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

    /// The compiled loops with their green keys.
    pub fn loops(&self) -> impl Iterator<Item = (&[u64], &Trace)> {
        self.loops
            .iter()
            .map(|l| (self.warm.cells[l.cell].key.as_slice(), &*l.trace))
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
        self.busy = true;
        let r = self.merge_point_inner(d, buf);
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

    unsafe fn merge_point_inner(&mut self, d: u32, buf: *mut u64) -> Result<u32, String> {
        let drv = self.prog.drivers.get(d as usize).ok_or("bad driver")?;
        let ng = drv.greens.len();
        let mut key = std::slice::from_raw_parts(buf, ng).to_vec();
        let mut cell = self.warm.lookup(d, &self.green_refs[d as usize], &key);
        // A compiled loop left through a guard, the blackhole finished the
        // iteration at the next merge point: that is where the AOT code
        // would call us next, so look there at once (it may have a loop
        // of its own) instead of a round trip through the AOT code.
        while let Some(l) = self.warm.cells[cell].compiled {
            let r = self.run_loop(l, ng, buf)?;
            if r != exit::CONTINUE {
                return Ok(r);
            }
            self.act = Active::default();
            key.clear();
            key.extend_from_slice(std::slice::from_raw_parts(buf, ng));
            cell = self.warm.lookup(d, &self.green_refs[d as usize], &key);
        }
        let c = &mut self.warm.cells[cell];
        c.counter += 1;
        if c.counter < c.threshold(self.params.threshold) {
            return Ok(exit::CONTINUE);
        }
        c.counter = 0;
        self.trace(d, cell, key, buf)
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
        };
        let stop = self.machine().run();
        self.stats.time_tracing += t0.elapsed();
        let stop = stop?;
        if stop == Stop::LoopClosed || stop == Stop::ReachedLoop {
            if let Some(rec) = self.act.rec.take() {
                self.install(rec);
            }
        }
        if let Some(c) = self.act.aborted.take() {
            let c = &mut self.warm.cells[c];
            c.aborts += 1;
            c.counter = 0;
        }
        let r = self.leave(&stop, buf)?;
        // Back at the start key with a fresh loop: enter it at once.
        match (stop, self.warm.cells[cell].compiled) {
            (Stop::LoopClosed, Some(l)) => {
                self.act = Active::default();
                self.run_loop(l, ng, buf)
            }
            _ => Ok(r),
        }
    }

    /// Optimises and compiles a closed trace (a failure counts as an abort).
    fn install(&mut self, rec: Recorder) {
        let Recorder {
            mut trace,
            resumes,
            cell,
            ..
        } = rec;
        let t0 = Instant::now();
        if self.params.optimize {
            traceir::optimize::optimize(&mut trace, &self.prog.calls);
        }
        let trace = Box::new(trace);
        let r = self.env.backend.compile_loop(&trace, trace.gcrefs.as_ptr());
        self.stats.time_compiling += t0.elapsed();
        match r {
            Ok(code) => {
                let frame_size = trace
                    .ops
                    .iter()
                    .map(|o| o.fail_args.len().max(o.args.len()))
                    .chain([trace.inputs.len()])
                    .max()
                    .unwrap_or(0);
                let merge_exits = resumes
                    .iter()
                    .map(|e| crate::resume::merge_point_slots(e, &self.prog))
                    .collect();
                self.loops.push(CompiledLoop {
                    cell,
                    trace,
                    code,
                    resumes,
                    frame_size,
                    merge_exits,
                });
                self.warm.cells[cell].compiled = Some(self.loops.len() - 1);
                self.stats.loops_compiled += 1;
            }
            Err(e) => {
                self.stats.aborts += 1;
                self.stats.abort_reasons.push(format!("compile: {e}"));
                self.act.aborted = Some(cell);
            }
        }
    }

    unsafe fn run_loop(&mut self, l: usize, ng: usize, buf: *mut u64) -> Result<u32, String> {
        self.stats.loop_entries += 1;
        let lp = &self.loops[l];
        let mut frame = vec![0u64; lp.frame_size];
        let nr = lp.trace.inputs.len();
        for (i, w) in frame.iter_mut().take(nr).enumerate() {
            *w = *buf.add(ng + i);
        }
        let exit = lp.code.run(frame.as_mut_ptr());
        self.stats.guard_failures += 1;
        // Left right at a merge point: the greens and reds go to `buf`
        // without rebuilding frames.
        let resume = lp.trace.ops.get(exit as usize).map(|o| o.resume as usize);
        if let Some(Some(slots)) = resume.and_then(|r| lp.merge_exits.get(r)) {
            for (i, s) in slots.iter().enumerate() {
                *buf.add(i) = match *s {
                    crate::resume::Slot::Const(w) => w,
                    crate::resume::Slot::FailArg(j) => *frame
                        .get(j as usize)
                        .ok_or("merge exit: missing fail arg")?,
                };
            }
            return Ok(exit::CONTINUE);
        }
        let frames = frames_for_exit(lp, exit, &frame, &self.prog)?;
        drop(frame);
        self.act = Active {
            frames,
            rec: None,
            aborted: None,
        };
        let stop = self.machine().run()?;
        self.leave(&stop, buf)
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
        for l in &mut self.loops {
            for w in &mut l.trace.gcrefs {
                g(w);
            }
            for e in &mut l.resumes {
                crate::resume::visit(e, &mut g);
            }
        }
        for fr in &mut self.act.frames {
            for w in &mut fr.regs[crate::frame::bank_index(Bank::Ref)] {
                g(w);
            }
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
