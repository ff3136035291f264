//! The metainterpreter: one interpreter over the jitcodes that executes
//! every instruction on concrete values and, while a recorder is active
//! (tracing), also records trace operations for whatever does not depend
//! only on constants. Without a recorder it is the blackhole interpreter
//! (calls are then always residual).

use crate::exec;
use crate::frame::Frame;
use crate::record::Recorder;
use crate::{Backend, CallStub, Host, Stats};
use abi::{Bank, CheckKind, Cmp, FloatBinOp, Insn, IntBinOp, IntKind, IntUnOp, Jump, Kind, Opnd};
use abi::{JitProgram, Reg, Scalar};
use std::cell::Cell;
use std::collections::HashMap;
use traceir::{Descr, Opcode, Value};

/// A call that recorded `trace_limit / BIG_CALLEE` ops or more of a trace
/// that got too long is not inlined any more (`Machine::too_long`).
const BIG_CALLEE: u32 = 8;

/// Inlining stops at this depth (deeper calls are residual).
pub const MAX_INLINE_DEPTH: usize = 30;

/// What the interpreter reaches the outside through.
pub struct Env {
    pub refconsts: *const u64,
    pub fnptrs: *const u64,
    pub host: Host,
    pub backend: Box<dyn Backend>,
    pub stubs: HashMap<u32, CallStub>,
    /// Jitcodes the tracer no longer inlines: each made a trace too long
    /// (RPython's `disable_noninlinable_function`); their calls stay
    /// residual.
    pub not_inlined: std::collections::HashSet<u32>,
}

/// The interpreter's state (kept inside `JitState` so that the collector
/// reaches it through `visit_roots`).
#[derive(Default)]
pub struct Active {
    pub frames: Vec<Frame>,
    pub rec: Option<Recorder>,
    /// Where a trace aborted during this run started.
    pub aborted: Option<crate::warmstate::Origin>,
    /// The recorder, set aside while the tracer runs the user's
    /// `get_printable_location` (`Machine::location`).
    pub parked: Option<Recorder>,
}

/// Why `run` stopped.
#[derive(Debug, PartialEq)]
pub enum Stop {
    /// Not tracing, the bottom frame is at a `MergePoint`.
    MergePoint,
    /// The portal returned this value (not tracing).
    Returned(u64),
    /// Tracing: the loop closed (the trace ends in `jump` to its label);
    /// the bottom frame is at the `MergePoint`.
    LoopClosed,
    /// Tracing reached the merge point of a key that has a compiled loop:
    /// the trace ends in a `jump` to that loop (`Descr::Target`); the
    /// bottom frame is at the `MergePoint`.
    ReachedLoop,
}

pub struct Machine<'a> {
    pub prog: &'a JitProgram,
    pub env: &'a mut Env,
    pub act: &'a mut Active,
    pub stats: &'a mut Stats,
    pub trace_limit: u32,
    pub reentered: &'a Cell<bool>,
    /// Which keys have compiled code (tracing stops at them).
    pub warm: &'a crate::warmstate::WarmState,
    pub green_refs: &'a [Vec<bool>],
    /// By jitcode: its live registers (what resume data keeps).
    pub live: &'a [abi::liveness::Liveness],
    /// Run `get_printable_location` for the `debug_merge_point`s of traces
    /// (only when a log shows them).
    pub locations: bool,
    /// Running `get_printable_location`: a panic or a call with effects
    /// outside the program is an error instead (`Machine::location`).
    pub sandbox: bool,
}

/// Instructions `get_printable_location` may run before the tracer gives
/// up on its text.
const LOCATION_STEPS: u32 = 100_000;

/// Runtime functions `get_printable_location` may call: they allocate,
/// format or read, and never print or read input (whether one can panic
/// is its effects' word: `call` checks that too).
fn harmless(name: &str) -> bool {
    name.starts_with("rr_fmt_")
        || name.starts_with("rr_str_")
        || matches!(
            name,
            "rr_malloc"
                | "rr_malloc_array"
                | "rr_list_new"
                | "rr_list_grow"
                | "rr_list_new_filled"
                | "rr_list_clone"
                | "rr_dict_len"
                | "rr_dict_lookup"
                | "rr_dict_value"
        )
}

fn check_holds(kind: CheckKind, w: &[u64]) -> Option<bool> {
    let a = *w.first()?;
    Some(match kind {
        CheckKind::Bounds => a < *w.get(1)?,
        CheckKind::DivZero | CheckKind::RemZero | CheckKind::UnwrapNone | CheckKind::Expect => {
            a != 0
        }
        CheckKind::DivOverflow(k) | CheckKind::RemOverflow(k) => {
            !(k.signed && a == exec::int_min(k) && *w.get(1)? == u64::MAX)
        }
    })
}

fn cmp_opcode(cmp: Cmp, signed: bool) -> Opcode {
    use Opcode::*;
    match (cmp, signed) {
        (Cmp::Eq, _) => IntEq,
        (Cmp::Ne, _) => IntNe,
        (Cmp::Lt, true) => IntLt,
        (Cmp::Le, true) => IntLe,
        (Cmp::Gt, true) => IntGt,
        (Cmp::Ge, true) => IntGe,
        (Cmp::Lt, false) => UintLt,
        (Cmp::Le, false) => UintLe,
        (Cmp::Gt, false) => UintGt,
        (Cmp::Ge, false) => UintGe,
    }
}

fn float_cmp_opcode(cmp: Cmp) -> Opcode {
    use Opcode::*;
    match cmp {
        Cmp::Eq => FloatEq,
        Cmp::Ne => FloatNe,
        Cmp::Lt => FloatLt,
        Cmp::Le => FloatLe,
        Cmp::Gt => FloatGt,
        Cmp::Ge => FloatGe,
    }
}

fn typed(kind: Kind, i: Opcode, r: Opcode, f: Opcode) -> Opcode {
    match kind {
        Kind::Int(_) => i,
        Kind::Ref => r,
        Kind::Float => f,
    }
}

fn cast_is_identity(from: IntKind, to: IntKind) -> bool {
    to.bits == 64 || from == to || (to.bits > from.bits && (!from.signed || to.signed))
}

fn all_const(v: &[Value]) -> bool {
    v.iter().all(|v| v.is_const())
}

impl Machine<'_> {
    fn tracing(&self) -> bool {
        self.act.rec.is_some()
    }

    fn top(&mut self) -> Result<&mut Frame, String> {
        self.act.frames.last_mut().ok_or_else(|| "no frame".into())
    }

    /// Drops the recorder: the rest of the iteration runs blackholed.
    pub fn abort(&mut self, why: &str) {
        if let Some(rec) = self.act.rec.take() {
            self.stats.aborts += 1;
            if self.stats.abort_reasons.len() >= 16 {
                self.stats.abort_reasons.remove(0);
            }
            self.stats.abort_reasons.push(why.to_string());
            self.act.aborted = Some(rec.origin);
            for f in &mut self.act.frames {
                f.drop_vals();
            }
        }
    }

    /// Aborts a trace that grew past the limit. The inlined function that
    /// recorded the most of it in one call (calls it made included) is not
    /// inlined from now on, so that the next attempt can fit (as RPython
    /// does), if that call recorded at least `1 / BIG_CALLEE` of the
    /// limit: small helpers called many times (a tape's `get`) stay
    /// inlined, the trace is then simply too long.
    fn too_long(&mut self) {
        if let Some(rec) = &mut self.act.rec {
            for f in self.act.frames.iter().skip(1) {
                rec.note_callee(f.jitcode, f.trace_start);
            }
            let big = (self.trace_limit / BIG_CALLEE).max(1);
            if let Some(j) = rec
                .biggest_callee()
                .filter(|&(_, n)| n >= big)
                .map(|(j, _)| j)
            {
                self.env.not_inlined.insert(j);
                let name = self
                    .prog
                    .jitcodes
                    .get(j as usize)
                    .map_or("?", |c| c.name.as_str());
                self.abort(&format!(
                    "trace too long; `{name}` is not inlined from now on"
                ));
                return;
            }
        }
        self.abort("trace too long");
    }

    /// An operand's concrete word and (while tracing) its trace value.
    fn read(&mut self, o: &Opnd) -> Result<(u64, Value), String> {
        let (w, bank) = match *o {
            Opnd::Reg(r) => {
                let f = self.act.frames.last().ok_or("no frame")?;
                let w = f.get(r)?;
                if let Some(v) = f.val(r) {
                    return Ok((w, v));
                }
                (w, r.bank)
            }
            Opnd::Int(i) => return Ok((i as u64, Value::ConstInt(i))),
            Opnd::Float(b) => return Ok((b, Value::ConstFloat(b))),
            Opnd::Null => return Ok((0, Value::Null)),
            Opnd::RefConst(i) => {
                if i >= self.prog.num_refconsts {
                    return Err(format!("refconst {i} out of range"));
                }
                // SAFETY: the table has `num_refconsts` entries.
                (unsafe { *self.env.refconsts.add(i as usize) }, Bank::Ref)
            }
        };
        let v = match &mut self.act.rec {
            Some(rec) => rec.const_of(bank, w),
            None => Value::ConstInt(w as i64),
        };
        Ok((w, v))
    }

    fn reads(&mut self, os: &[Opnd]) -> Result<(Vec<u64>, Vec<Value>), String> {
        let mut ws = Vec::with_capacity(os.len());
        let mut vs = Vec::with_capacity(os.len());
        for o in os {
            let (w, v) = self.read(o)?;
            ws.push(w);
            vs.push(v);
        }
        Ok((ws, vs))
    }

    fn write(&mut self, r: Reg, w: u64, v: Value) -> Result<(), String> {
        let tracing = self.tracing();
        self.top()?.set(r, w, tracing.then_some(v))
    }

    fn next(&mut self) -> Result<(), String> {
        self.top()?.pc += 1;
        Ok(())
    }

    /// `op(args)` recorded (or folded) while tracing; a dummy otherwise.
    fn rec_pure(
        &mut self,
        bank: Bank,
        w: u64,
        args: &[Value],
        f: impl FnOnce(&mut Recorder) -> Value,
    ) -> Value {
        match &mut self.act.rec {
            Some(rec) if all_const(args) => rec.const_of(bank, w),
            Some(rec) => f(rec),
            None => Value::ConstInt(0),
        }
    }

    fn rec_op(&mut self, opcode: Opcode, args: Vec<Value>, descr: Descr) -> Value {
        match &mut self.act.rec {
            Some(rec) => rec.push(opcode, args, descr),
            None => Value::ConstInt(0),
        }
    }

    fn guard(&mut self, opcode: Opcode, args: Vec<Value>) {
        let Active { frames, rec, .. } = &mut *self.act;
        if let Some(rec) = rec {
            rec.guard(opcode, args, frames, self.live);
        }
    }

    fn stub(&mut self, call: u32) -> Result<(), String> {
        if !self.env.stubs.contains_key(&call) {
            let d = self.prog.calls.get(call as usize).ok_or("bad call")?;
            let s = self.env.backend.call_stub(d)?;
            self.env.stubs.insert(call, s);
        }
        Ok(())
    }

    fn jump(&mut self, j: &Jump) -> Result<(), String> {
        let mut vals = Vec::with_capacity(j.moves.len());
        for (_, src) in &j.moves {
            vals.push(self.read(src)?);
        }
        for ((dst, _), (w, v)) in j.moves.iter().zip(vals) {
            self.write(*dst, w, v)?;
        }
        self.top()?.pc = j.target;
        Ok(())
    }

    /// Runs until the bottom frame reaches a merge point (or the loop
    /// closes, or the portal returns).
    pub fn run(&mut self) -> Result<Stop, String> {
        let prog = self.prog;
        loop {
            let f = self.act.frames.last().ok_or("no frame")?;
            let code = prog.jitcodes.get(f.jitcode as usize).ok_or("bad jitcode")?;
            let insn = code.insns.get(f.pc as usize).ok_or("pc out of range")?;
            if let Insn::MergePoint {
                driver,
                greens,
                reds,
            } = insn
            {
                if self.act.frames.len() == 1 {
                    if !self.tracing() {
                        return Ok(Stop::MergePoint);
                    }
                    match self.trace_merge_point(*driver, greens, reds)? {
                        Some(stop) => return Ok(stop),
                        None => continue,
                    }
                }
            }
            if let Some(w) = self.step(insn)? {
                return Ok(Stop::Returned(w));
            }
            if let Some(rec) = &self.act.rec {
                if rec.trace.ops.len() > self.trace_limit as usize {
                    self.too_long();
                }
            }
        }
    }

    /// Tracing, the bottom frame at a merge point: closes the loop if the
    /// greens are the start key, else goes on (None).
    fn trace_merge_point(
        &mut self,
        driver: u32,
        greens: &[Opnd],
        reds: &[Opnd],
    ) -> Result<Option<Stop>, String> {
        let mut key = Vec::with_capacity(greens.len());
        let prog = self.prog;
        let immutable = prog
            .drivers
            .get(driver as usize)
            .map(|d| d.immutable_greens.as_slice())
            .unwrap_or(&[]);
        for (i, g) in greens.iter().enumerate() {
            let (w, mut v) = self.read(g)?;
            if !v.is_const() {
                let c = match &mut self.act.rec {
                    Some(rec) => rec.const_of(g.bank(), w),
                    None => continue,
                };
                self.guard(Opcode::GuardValue, vec![v, c]);
                if let Opnd::Reg(r) = g {
                    self.write(*r, w, c)?;
                }
                v = c;
            }
            if immutable.get(i).copied().unwrap_or(false) {
                if let Some(rec) = &mut self.act.rec {
                    rec.mark_immutable(v);
                }
            }
            key.push(w);
        }
        let Some(rec) = &self.act.rec else {
            return Ok(None);
        };
        if rec.closes_at(driver, &key) {
            let (_, vals) = self.reads(reds)?;
            self.rec_op(Opcode::Jump, vals, Descr::None);
            return Ok(Some(Stop::LoopClosed));
        }
        let refs = self
            .green_refs
            .get(driver as usize)
            .map(|r| r.as_slice())
            .unwrap_or(&[]);
        if let Some(target) = self.warm.loop_of(driver, refs, &key) {
            let (_, vals) = self.reads(reds)?;
            self.rec_op(Opcode::Jump, vals, Descr::Target(target as u32));
            return Ok(Some(Stop::ReachedLoop));
        }

        let text = match self.location(driver, &key) {
            Some(t) => t,
            None => format!("{} {key:?}", prog_name(self.prog, driver)),
        };
        self.rec_op(Opcode::DebugMergePoint, vec![], Descr::Text(text));
        self.next()?;
        Ok(None)
    }

    /// Executes one instruction (not a bottom-frame merge point). Returns
    /// the portal's result when it returns.
    fn step(&mut self, insn: &Insn) -> Result<Option<u64>, String> {
        match insn {
            Insn::IntBin {
                op,
                kind,
                dst,
                a,
                b,
            } => {
                let (a, va) = self.read(a)?;
                let (b, vb) = self.read(b)?;
                let r = exec::int_bin(*op, *kind, a, b)?;
                let v = self.rec_pure(Bank::Int, r, &[va, vb], |rec| {
                    record_int_bin(rec, *op, *kind, va, vb)
                });
                self.write(*dst, r, v)?;
            }
            Insn::IntUn { op, kind, dst, a } => {
                let (a, va) = self.read(a)?;
                let k = *kind;
                let (r, v) = match op {
                    IntUnOp::Neg => {
                        let r = exec::int_neg(k, a);
                        (
                            r,
                            self.rec_pure(Bank::Int, r, &[va], |rec| {
                                let n = rec.pure(Opcode::IntNeg, vec![va], Descr::None);
                                rec.renorm(n, k)
                            }),
                        )
                    }
                    IntUnOp::Not => {
                        let r = exec::int_not(k, a);
                        (
                            r,
                            self.rec_pure(Bank::Int, r, &[va], |rec| {
                                if !k.signed && k.bits < 64 {
                                    let m = Value::ConstInt(exec::mask(k) as i64);
                                    rec.pure(Opcode::IntXor, vec![va, m], Descr::None)
                                } else {
                                    rec.pure(Opcode::IntInvert, vec![va], Descr::None)
                                }
                            }),
                        )
                    }
                };
                self.write(*dst, r, v)?;
            }
            Insn::IntCmp {
                cmp,
                kind,
                dst,
                a,
                b,
            } => {
                let (a, va) = self.read(a)?;
                let (b, vb) = self.read(b)?;
                let r = exec::int_cmp(*cmp, kind.signed, a, b);
                let opc = cmp_opcode(*cmp, kind.signed);
                let v = self.rec_pure(Bank::Int, r, &[va, vb], |rec| {
                    rec.pure(opc, vec![va, vb], Descr::None)
                });
                self.write(*dst, r, v)?;
            }
            Insn::FloatBin { op, dst, a, b } => {
                let (a, va) = self.read(a)?;
                let (b, vb) = self.read(b)?;
                let (x, y) = (f64::from_bits(a), f64::from_bits(b));
                let (r, opc) = match op {
                    FloatBinOp::Add => (x + y, Opcode::FloatAdd),
                    FloatBinOp::Sub => (x - y, Opcode::FloatSub),
                    FloatBinOp::Mul => (x * y, Opcode::FloatMul),
                    FloatBinOp::Div => (x / y, Opcode::FloatTrueDiv),
                    FloatBinOp::Rem => {
                        if self.tracing() && !all_const(&[va, vb]) {
                            self.abort("float remainder");
                        }
                        (x % y, Opcode::FloatAdd)
                    }
                };
                let r = r.to_bits();
                let v = self.rec_pure(Bank::Float, r, &[va, vb], |rec| {
                    rec.pure(opc, vec![va, vb], Descr::None)
                });
                self.write(*dst, r, v)?;
            }
            Insn::FloatNeg { dst, a } => {
                let (a, va) = self.read(a)?;
                let r = (-f64::from_bits(a)).to_bits();
                let v = self.rec_pure(Bank::Float, r, &[va], |rec| {
                    rec.pure(Opcode::FloatNeg, vec![va], Descr::None)
                });
                self.write(*dst, r, v)?;
            }
            Insn::FloatCmp { cmp, dst, a, b } => {
                let (a, va) = self.read(a)?;
                let (b, vb) = self.read(b)?;
                let r = exec::float_cmp(*cmp, a, b);
                let opc = float_cmp_opcode(*cmp);
                let v = self.rec_pure(Bank::Int, r, &[va, vb], |rec| {
                    rec.pure(opc, vec![va, vb], Descr::None)
                });
                self.write(*dst, r, v)?;
            }
            Insn::Cast { from, to, dst, a } => {
                let (a, va) = self.read(a)?;
                let (r, bank) = match (*from, *to) {
                    (Scalar::Int(_), Scalar::Int(k)) => (k.normalise(a as i64) as u64, Bank::Int),
                    (Scalar::Int(k), Scalar::Float) => (exec::int_to_float(k, a), Bank::Float),
                    (Scalar::Float, Scalar::Int(k)) => (exec::float_to_int(k, a), Bank::Int),
                    (Scalar::Float, Scalar::Float) => (a, Bank::Float),
                };
                let (from, to) = (*from, *to);
                let v = self.rec_pure(bank, r, &[va], |rec| match (from, to) {
                    (Scalar::Int(f), Scalar::Int(t)) if cast_is_identity(f, t) => va,
                    (Scalar::Int(_), Scalar::Int(t)) => rec.renorm(va, t),
                    (Scalar::Int(k), Scalar::Float) if k.signed => {
                        rec.pure(Opcode::CastIntToFloat, vec![va], Descr::None)
                    }
                    (Scalar::Int(_), Scalar::Float) => {
                        rec.pure(Opcode::CastUintToFloat, vec![va], Descr::None)
                    }
                    (Scalar::Float, Scalar::Int(k)) => {
                        rec.pure(Opcode::CastFloatToInt, vec![va], Descr::IntKind(k))
                    }
                    (Scalar::Float, Scalar::Float) => va,
                });
                self.write(*dst, r, v)?;
            }
            Insn::Move { dst, src } => {
                let (w, v) = self.read(src)?;
                self.write(*dst, w, v)?;
            }
            Insn::Check { kind, args, loc } => {
                let (ws, vs) = self.reads(args)?;
                let holds = check_holds(*kind, &ws).ok_or("check: missing arguments")?;
                if !holds {
                    if self.sandbox {
                        return Err("location: a check fails".into());
                    }
                    if self.tracing() {
                        // Re-executed blackholed: it panics there.
                        self.abort("a check fails");
                        return Ok(None);
                    }
                    return Err(self.fail_check(*kind, &ws, *loc));
                }
                if self.tracing() && !all_const(&vs) {
                    self.record_check(*kind, &vs);
                }
            }
            Insn::New { dst, type_id, size } => {
                // SAFETY: the runtime's allocator; no reference is held here.
                let p = unsafe { (self.env.host.malloc)(*type_id as u64, *size as u64) } as u64;
                if p == 0 {
                    return Err("malloc returned null".into());
                }
                let v = self.rec_op(
                    Opcode::New,
                    vec![],
                    Descr::Size {
                        type_id: *type_id,
                        size: *size,
                    },
                );
                self.write(*dst, p, v)?;
            }
            Insn::NewArray {
                dst,
                type_id,
                item_size,
                len,
            } => {
                let (n, vn) = self.read(len)?;
                // SAFETY: as above.
                let p =
                    unsafe { (self.env.host.malloc_array)(*type_id as u64, *item_size as u64, n) }
                        as u64;
                if p == 0 {
                    return Err("malloc_array returned null".into());
                }
                let d = Descr::ArrayAlloc {
                    type_id: *type_id,
                    item_size: *item_size,
                };
                let v = self.rec_op(Opcode::NewArray, vec![vn], d);
                self.write(*dst, p, v)?;
            }
            Insn::GetField { dst, obj, field } => {
                let (o, vo) = self.read(obj)?;
                if o == 0 {
                    return Err("getfield on null".into());
                }
                // SAFETY: a live object with this field.
                let w = unsafe { exec::load(o + field.offset as u64, field.kind) };
                let v = match &mut self.act.rec {
                    Some(rec) if rec.is_immutable(vo) => {
                        rec.immutable_read(vo, field.offset as u64, field.kind, w)
                    }
                    _ => {
                        let opc = typed(
                            field.kind,
                            Opcode::GetfieldGcI,
                            Opcode::GetfieldGcR,
                            Opcode::GetfieldGcF,
                        );
                        self.rec_op(opc, vec![vo], Descr::Field(*field))
                    }
                };
                self.write(*dst, w, v)?;
            }
            Insn::SetField { obj, value, field } => {
                let (o, vo) = self.read(obj)?;
                let (w, vw) = self.read(value)?;
                if o == 0 {
                    return Err("setfield on null".into());
                }
                // SAFETY: a live object with this field.
                unsafe {
                    if field.kind == Kind::Ref {
                        exec::barrier(&self.env.host, o, w, None);
                    }
                    exec::store(o + field.offset as u64, field.kind, w);
                }
                self.rec_op(Opcode::SetfieldGc, vec![vo, vw], Descr::Field(*field));
            }
            Insn::GetArrayItem {
                dst,
                array,
                index,
                array_descr: d,
            } => {
                let (a, va) = self.read(array)?;
                let (i, vi) = self.read(index)?;
                // SAFETY: a live array, the index checked against its length.
                let w = unsafe {
                    if a == 0 || i >= exec::array_len(a) {
                        return Err("getarrayitem out of bounds".into());
                    }
                    exec::load(exec::item_addr(a, i, d.item_size), d.item)
                };
                let v = match &mut self.act.rec {
                    Some(rec) if rec.is_immutable(va) && vi.is_const() => {
                        let off = exec::item_addr(a, i, d.item_size) - a;
                        rec.immutable_read(va, off, d.item, w)
                    }
                    _ => {
                        let opc = typed(
                            d.item,
                            Opcode::GetarrayitemGcI,
                            Opcode::GetarrayitemGcR,
                            Opcode::GetarrayitemGcF,
                        );
                        self.rec_op(opc, vec![va, vi], Descr::Array(*d))
                    }
                };
                self.write(*dst, w, v)?;
            }
            Insn::SetArrayItem {
                array,
                index,
                value,
                array_descr: d,
            } => {
                let (a, va) = self.read(array)?;
                let (i, vi) = self.read(index)?;
                let (w, vw) = self.read(value)?;
                // SAFETY: as above.
                unsafe {
                    if a == 0 || i >= exec::array_len(a) {
                        return Err("setarrayitem out of bounds".into());
                    }
                    if d.item == Kind::Ref {
                        exec::barrier(&self.env.host, a, w, Some(i));
                    }
                    exec::store(exec::item_addr(a, i, d.item_size), d.item, w);
                }
                self.rec_op(Opcode::SetarrayitemGc, vec![va, vi, vw], Descr::Array(*d));
            }
            Insn::ArrayLen { dst, array } => {
                let (a, va) = self.read(array)?;
                if a == 0 {
                    return Err("arraylen on null".into());
                }
                // SAFETY: a live array.
                let n = unsafe { exec::array_len(a) };
                let v = self.rec_pure(Bank::Int, n, &[va], |rec| {
                    rec.pure(Opcode::ArraylenGc, vec![va], Descr::None)
                });
                self.write(*dst, n, v)?;
            }
            Insn::TypeIdOf { dst, obj } => {
                let (o, vo) = self.read(obj)?;
                if o == 0 {
                    return Err("type_id_of on null".into());
                }
                // SAFETY: a live object.
                let t = unsafe { exec::type_id_of(o) };
                let v = match &mut self.act.rec {
                    Some(rec) => rec.type_id_of(vo, t),
                    None => Value::ConstInt(0),
                };
                self.write(*dst, t, v)?;
            }
            Insn::PtrEq { dst, a, b, ne } => {
                let (a, va) = self.read(a)?;
                let (b, vb) = self.read(b)?;
                let r = ((a == b) != *ne) as u64;
                let opc = if *ne { Opcode::PtrNe } else { Opcode::PtrEq };
                let v = self.rec_pure(Bank::Int, r, &[va, vb], |rec| {
                    rec.pure(opc, vec![va, vb], Descr::None)
                });
                self.write(*dst, r, v)?;
            }
            Insn::Call { call, args, dst } => return self.call(*call, args, *dst).map(|_| None),
            Insn::Promote { dst, src } => {
                let (w, v) = self.read(src)?;
                let mut out = v;
                if let Some(rec) = &mut self.act.rec {
                    let c = rec.const_of(src.bank(), w);
                    if !v.is_const() {
                        self.guard(Opcode::GuardValue, vec![v, c]);
                    }
                    out = c;
                }
                self.write(*dst, w, out)?;
            }
            Insn::IsJitted { dst } => self.write(*dst, 1, Value::ConstInt(1))?,
            Insn::MergePoint { .. } => {}
            Insn::Goto { jump } => {
                self.jump(jump)?;
                return Ok(None);
            }
            Insn::Branch {
                cond,
                then_jump,
                else_jump,
            } => {
                let (c, vc) = self.read(cond)?;
                if self.tracing() && !vc.is_const() {
                    let opc = if c != 0 {
                        Opcode::GuardTrue
                    } else {
                        Opcode::GuardFalse
                    };
                    self.guard(opc, vec![vc]);
                }
                self.jump(if c != 0 { then_jump } else { else_jump })?;
                return Ok(None);
            }
            Insn::Switch {
                value,
                cases,
                default,
            } => {
                let (w, v) = self.read(value)?;
                if self.tracing() && !v.is_const() {
                    self.guard(Opcode::GuardValue, vec![v, Value::ConstInt(w as i64)]);
                }
                let j = cases.iter().find(|(c, _)| *c as u64 == w).map(|(_, j)| j);
                self.jump(j.unwrap_or(default))?;
                return Ok(None);
            }
            Insn::Return { value } => {
                let (w, v) = match value {
                    Some(o) => self.read(o)?,
                    None => (0, Value::ConstInt(0)),
                };
                if self.act.frames.len() == 1 {
                    // A bridge may end where the portal returns: its last
                    // op is `finish(value)`, and the compiled code gives the
                    // value back as the portal's (RPython's `finish`). A
                    // loop must close, so its trace is given up.
                    let bridge = matches!(
                        self.act.rec.as_ref().map(|r| &r.origin),
                        Some(crate::warmstate::Origin::Bridge { .. })
                    );
                    if self.tracing() && !bridge {
                        self.abort("the portal returns");
                        return Ok(None);
                    }
                    if let Some(rec) = &mut self.act.rec {
                        let args = if value.is_some() { vec![v] } else { vec![] };
                        rec.push(Opcode::Finish, args, Descr::None);
                    }
                    return Ok(Some(w));
                }
                if let (Some(f), Some(rec)) = (self.act.frames.pop(), &mut self.act.rec) {
                    rec.note_callee(f.jitcode, f.trace_start);
                }
                let f = self.act.frames.last().ok_or("no frame")?;
                let caller = self
                    .prog
                    .jitcodes
                    .get(f.jitcode as usize)
                    .ok_or("bad jitcode")?;
                if let Some(Insn::Call { dst: Some(d), .. }) = caller.insns.get(f.pc as usize) {
                    self.write(*d, w, v)?;
                }
            }
            Insn::Unreachable => return Err("reached Unreachable".into()),
        }
        self.next()?;
        Ok(None)
    }

    /// The text of the driver's `get_printable_location` for `key`, run
    /// by this interpreter (the recorder set aside) above the portal's
    /// frame, which stands at the merge point. It is user code that the
    /// untranslated program never runs, so it must not change what the
    /// program does: a check that fails (Brainfuck's `program[pc]` at the
    /// final merge point, where `pc == len`), a call of anything but a
    /// harmless runtime function, or too many steps give no text (None).
    fn location(&mut self, driver: u32, key: &[u64]) -> Option<String> {
        if !self.locations || self.act.rec.is_none() {
            return None;
        }
        let prog = self.prog;
        let call = prog.drivers.get(driver as usize)?.get_printable_location?;
        let j = prog.calls.get(call as usize)?.jitcode?;
        let code = prog.jitcodes.get(j as usize)?;
        let mut f = Frame::new(j, code, 0, false);
        for (p, w) in code.params.iter().zip(key) {
            f.set(*p, *w, None).ok()?;
        }
        let depth = self.act.frames.len() + 1;
        self.act.parked = self.act.rec.take();
        self.sandbox = true;
        self.act.frames.push(f);
        let r = self.run_location(depth);
        self.act.frames.truncate(depth - 1);
        self.sandbox = false;
        self.act.rec = self.act.parked.take();
        let s = r.ok()?;
        // A `String` is a list: its length, then its items array.
        // SAFETY: the callee returned a live `String`; nothing collects
        // until the bytes are copied.
        unsafe {
            use abi::layout::{ARRAY_ITEMS_OFFSET, LIST_ITEMS_OFFSET, LIST_LENGTH_OFFSET};
            if s == 0 {
                return None;
            }
            let len = ((s + LIST_LENGTH_OFFSET as u64) as *const u64).read_unaligned();
            let items = ((s + LIST_ITEMS_OFFSET as u64) as *const u64).read_unaligned();
            if len > 0 && items == 0 {
                return None;
            }
            let bytes = (items + ARRAY_ITEMS_OFFSET as u64) as *const u8;
            let b = std::slice::from_raw_parts(bytes, len.min(4096) as usize);
            Some(String::from_utf8_lossy(b).into_owned())
        }
    }

    /// Runs the frame at `depth` (and what it calls) to its return.
    fn run_location(&mut self, depth: usize) -> Result<u64, String> {
        let prog = self.prog;
        for _ in 0..LOCATION_STEPS {
            if self.act.frames.len() < depth {
                return Err("location: frame lost".into());
            }
            let f = self.act.frames.last().ok_or("no frame")?;
            let code = prog.jitcodes.get(f.jitcode as usize).ok_or("bad jitcode")?;
            let insn = code.insns.get(f.pc as usize).ok_or("pc out of range")?;
            if let Insn::Return { value } = insn {
                if self.act.frames.len() == depth {
                    return match value {
                        Some(o) => Ok(self.read(o)?.0),
                        None => Ok(0),
                    };
                }
            }
            self.step(insn)?;
        }
        Err("location: too many steps".into())
    }

    fn record_check(&mut self, kind: CheckKind, vs: &[Value]) {
        let Some(rec) = &mut self.act.rec else { return };
        let (opc, cond) = match kind {
            CheckKind::Bounds => (
                Opcode::GuardTrue,
                rec.pure(Opcode::UintLt, vs.to_vec(), Descr::None),
            ),
            CheckKind::DivZero | CheckKind::RemZero => {
                let c = rec.pure(Opcode::IntNe, vec![vs[0], Value::ConstInt(0)], Descr::None);
                (Opcode::GuardTrue, c)
            }
            CheckKind::DivOverflow(k) | CheckKind::RemOverflow(k) => {
                if !k.signed {
                    return;
                }
                let min = Value::ConstInt(exec::int_min(k) as i64);
                let e1 = rec.pure(Opcode::IntEq, vec![vs[0], min], Descr::None);
                let e2 = rec.pure(Opcode::IntEq, vec![vs[1], Value::ConstInt(-1)], Descr::None);
                if e1 == Value::ConstInt(0) || e2 == Value::ConstInt(0) {
                    return;
                }
                (
                    Opcode::GuardFalse,
                    rec.pure(Opcode::IntAnd, vec![e1, e2], Descr::None),
                )
            }
            CheckKind::UnwrapNone | CheckKind::Expect => (Opcode::GuardTrue, vs[0]),
        };
        if !cond.is_const() {
            self.guard(opc, vec![cond]);
        }
    }

    /// A failing check outside tracing: panics through the host (the
    /// result is only an error for a malformed location).
    fn fail_check(&self, kind: CheckKind, w: &[u64], loc: u32) -> String {
        let Some(l) = self.prog.strings.get(loc as usize) else {
            return format!("check location {loc} out of range");
        };
        let (lp, ll) = (l.as_ptr(), l.len() as u64);
        let h = &self.env.host;
        let msg = |m: &str| -> ! {
            // SAFETY: the runtime's panic function; it never returns.
            unsafe { (h.panic_msg)(m.as_ptr(), m.len() as u64, lp, ll) }
        };
        // SAFETY: the runtime's panic functions never return.
        unsafe {
            match kind {
                CheckKind::Bounds => (h.panic_bounds)(w[0], w[1], lp, ll),
                CheckKind::DivZero => msg("attempt to divide by zero"),
                CheckKind::RemZero => {
                    msg("attempt to calculate the remainder with a divisor of zero")
                }
                CheckKind::DivOverflow(_) => msg("attempt to divide with overflow"),
                CheckKind::RemOverflow(_) => {
                    msg("attempt to calculate the remainder with overflow")
                }
                CheckKind::UnwrapNone => msg("called `Option::unwrap()` on a `None` value"),
                CheckKind::Expect => {
                    (h.panic_expect)(w.get(1).copied().unwrap_or(0) as *mut u8, lp, ll)
                }
            }
        }
    }

    fn call(&mut self, call: u32, args: &[Opnd], dst: Option<Reg>) -> Result<(), String> {
        let prog = self.prog;
        let d = prog.calls.get(call as usize).ok_or("bad call index")?;
        let (ws, vs) = self.reads(args)?;
        if self.sandbox {
            // Interpreted when it has a jitcode; else only harmless
            // runtime functions run.
            if let Some(j) = d.jitcode {
                let code = prog.jitcodes.get(j as usize).ok_or("bad callee jitcode")?;
                let mut f = Frame::new(j, code, 0, false);
                for (p, w) in code.params.iter().zip(&ws) {
                    f.set(*p, *w, None)?;
                }
                self.act.frames.push(f);
                return Ok(());
            }
            let e = d.effects;
            if !harmless(&d.name) || e.can_panic || e.noreturn {
                return Err(format!("location: calls `{}`", d.name));
            }
        }
        // An elidable (`#[purefunction]`) callee is not inlined, as in
        // RPython: on constant arguments its result is a constant, else
        // the trace keeps one `call_pure` that the optimiser may share.
        if self.tracing() && self.act.frames.len() < MAX_INLINE_DEPTH && !d.effects.elidable {
            if let Some(j) = d.jitcode {
                let code = prog.jitcodes.get(j as usize).ok_or("bad callee jitcode")?;
                if !code.has_loop && !self.env.not_inlined.contains(&j) {
                    let mut f = Frame::new(j, code, 0, true);
                    f.trace_start = self
                        .act
                        .rec
                        .as_ref()
                        .map_or(0, |r| r.trace.ops.len() as u32);
                    for ((p, w), v) in code.params.iter().zip(&ws).zip(&vs) {
                        f.set(*p, *w, Some(*v))?;
                    }
                    self.act.frames.push(f);
                    return Ok(());
                }
            }
        }
        if d.fnptr >= prog.num_fnptrs {
            return Err(format!("fnptr {} out of range", d.fnptr));
        }
        // SAFETY: the table has `num_fnptrs` entries.
        let fnptr = unsafe { *self.env.fnptrs.add(d.fnptr as usize) };
        self.stub(call)?;
        let stub = self.env.stubs.get(&call).ok_or("no stub")?;
        self.reentered.set(false);
        let mut r = stub(fnptr, &ws);
        if let Some(Kind::Int(k)) = d.ret {
            r = k.normalise(r as i64) as u64;
        }
        let v = match &mut self.act.rec {
            Some(rec) if d.effects.elidable && all_const(&vs) => match d.ret {
                Some(k) => rec.const_of(k.bank(), r),
                None => Value::ConstInt(0),
            },
            Some(rec) => {
                use Opcode::*;
                let opc = match (d.ret, d.effects.elidable) {
                    (None, false) => CallN,
                    (None, true) => CallPureN,
                    (Some(k), false) => typed(k, CallI, CallR, CallF),
                    (Some(k), true) => typed(k, CallPureI, CallPureR, CallPureF),
                };
                rec.push(opc, vs, Descr::Call(call))
            }
            None => Value::ConstInt(0),
        };
        if let Some(dst) = dst {
            self.write(dst, r, v)?;
        }
        self.next()?;
        if self.reentered.get() {
            self.abort("re-entrant call");
        }
        Ok(())
    }
}

fn prog_name(prog: &JitProgram, driver: u32) -> &str {
    prog.drivers
        .get(driver as usize)
        .map(|d| d.name.as_str())
        .unwrap_or("?")
}

fn record_int_bin(rec: &mut Recorder, op: IntBinOp, k: IntKind, a: Value, b: Value) -> Value {
    use Opcode::*;
    let p = |rec: &mut Recorder, opc, x, y| rec.pure(opc, vec![x, y], Descr::None);
    match op {
        IntBinOp::Add => {
            let r = p(rec, IntAdd, a, b);
            rec.renorm(r, k)
        }
        IntBinOp::Sub => {
            let r = p(rec, IntSub, a, b);
            rec.renorm(r, k)
        }
        IntBinOp::Mul => {
            let r = p(rec, IntMul, a, b);
            rec.renorm(r, k)
        }
        IntBinOp::Div => p(rec, if k.signed { IntFloorDiv } else { UintFloorDiv }, a, b),
        IntBinOp::Rem => p(rec, if k.signed { IntMod } else { UintMod }, a, b),
        IntBinOp::And => p(rec, IntAnd, a, b),
        IntBinOp::Or => p(rec, IntOr, a, b),
        IntBinOp::Xor => p(rec, IntXor, a, b),
        IntBinOp::Shl | IntBinOp::Shr => {
            let amt = p(rec, IntAnd, b, Value::ConstInt(k.bits as i64 - 1));
            match op {
                IntBinOp::Shl => {
                    let r = p(rec, IntLshift, a, amt);
                    rec.renorm(r, k)
                }
                _ if k.signed => p(rec, IntRshift, a, amt),
                _ => p(rec, UintRshift, a, amt),
            }
        }
    }
}
