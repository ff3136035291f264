//! The recorder: the trace being built, its resume entries, and helpers
//! that fold operations on constants instead of recording them.

use crate::frame::Frame;
use crate::resume::{self, const_word, ResumeEntry};
use crate::trace_interp::eval_pure;
use crate::warmstate::Origin;
use abi::{Bank, IntKind};
use traceir::ops::Type;
use traceir::{Descr, Op, Opcode, Trace, Value};

pub struct Recorder {
    pub trace: Trace,
    pub resumes: Vec<ResumeEntry>,
    pub driver: u32,
    /// A loop: the green key the trace started at (a GC root for ref
    /// greens); empty for a bridge.
    pub key: Vec<u64>,
    pub origin: Origin,
    /// Reference constants (gcref indices) known to point to data that
    /// does not change while the portal runs (immutable greens and what
    /// is read from them): reads from them fold to constants.
    pub immutable: std::collections::HashSet<u32>,
    /// The reads from immutable data that the trace folded to constants:
    /// the data may change between two calls of the portal, which the
    /// metainterp then checks (`JitState::note_epoch`).
    pub frozen: Vec<Frozen>,
    /// Per inlined jitcode: the most trace ops one call of it recorded
    /// (its own callees' included).
    pub callee_ops: std::collections::HashMap<u32, u32>,
}

/// A word a trace read from immutable data and holds as a constant: at
/// byte `offset` of the object `Trace::gcrefs[obj]`, of `kind`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Frozen {
    pub obj: u32,
    pub offset: u64,
    pub kind: abi::Kind,
    pub word: u64,
}

pub fn bank_type(b: Bank) -> Type {
    match b {
        Bank::Int => Type::Int,
        Bank::Ref => Type::Ref,
        Bank::Float => Type::Float,
    }
}

impl Recorder {
    /// A loop starting at `key` (warm-state cell `cell`): its inputs are
    /// the label's arguments.
    pub fn new(driver: u32, key: Vec<u64>, cell: usize, inputs: Vec<Type>) -> Recorder {
        let mut rec = Recorder::bridge(driver, Origin::Loop(cell), inputs);
        let args = (0..rec.trace.inputs.len() as u32)
            .map(Value::Input)
            .collect();
        rec.trace.push(Op::new(Opcode::Label, args));
        rec.key = key;
        rec
    }

    /// A bridge (no label; its inputs are its guard's fail args).
    pub fn bridge(driver: u32, origin: Origin, inputs: Vec<Type>) -> Recorder {
        Recorder {
            trace: Trace {
                inputs,
                ..Trace::default()
            },
            resumes: Vec::new(),
            driver,
            key: Vec::new(),
            origin,
            immutable: Default::default(),
            frozen: Vec::new(),
            callee_ops: Default::default(),
        }
    }

    /// Whether reaching `key` of `driver` closes this trace's own loop.
    pub fn closes_at(&self, driver: u32, key: &[u64]) -> bool {
        matches!(self.origin, Origin::Loop(_)) && self.driver == driver && self.key == key
    }

    pub fn const_of(&mut self, bank: Bank, w: u64) -> Value {
        match bank {
            Bank::Int => Value::ConstInt(w as i64),
            Bank::Ref => self.trace.const_ref(w),
            Bank::Float => Value::ConstFloat(w),
        }
    }

    /// Notes that a call of `jitcode`, inlined when the trace had `start`
    /// ops, has recorded up to now.
    pub fn note_callee(&mut self, jitcode: u32, start: u32) {
        let n = (self.trace.ops.len() as u32).saturating_sub(start);
        let e = self.callee_ops.entry(jitcode).or_insert(0);
        *e = (*e).max(n);
    }

    /// The inlined jitcode that recorded the most in one call, and how
    /// many ops (ties: the lowest number, so that the choice does not
    /// depend on hashing).
    pub fn biggest_callee(&self) -> Option<(u32, u32)> {
        self.callee_ops
            .iter()
            .filter(|(_, &n)| n > 0)
            .max_by_key(|(&j, &n)| (n, std::cmp::Reverse(j)))
            .map(|(&j, &n)| (j, n))
    }

    /// Notes that `v` (if a reference constant) points to immutable data.
    pub fn mark_immutable(&mut self, v: Value) {
        if let Value::ConstRef(i) = v {
            self.immutable.insert(i);
        }
    }

    pub fn is_immutable(&self, v: Value) -> bool {
        matches!(v, Value::ConstRef(i) if self.immutable.contains(&i))
    }

    /// The constant read from immutable data: word `w` of kind `k` (a
    /// reference read is immutable too: `&T` is immutable all the way).
    /// `obj` is the immutable object (a `ConstRef`), `offset` where in it.
    pub fn immutable_read(&mut self, obj: Value, offset: u64, k: abi::Kind, w: u64) -> Value {
        if let Value::ConstRef(i) = obj {
            self.frozen.push(Frozen {
                obj: i,
                offset,
                kind: k,
                word: w,
            });
        }
        let c = self.const_of(k.bank(), w);
        self.mark_immutable(c);
        c
    }

    pub fn word(&self, v: Value) -> Option<u64> {
        const_word(&self.trace, v)
    }

    pub fn push(&mut self, opcode: Opcode, args: Vec<Value>, descr: Descr) -> Value {
        self.trace.push(Op::new(opcode, args).with_descr(descr))
    }

    /// A pure operation, folded when every argument is a constant.
    pub fn pure(&mut self, opcode: Opcode, args: Vec<Value>, descr: Descr) -> Value {
        let words: Option<Vec<u64>> = args.iter().map(|&a| self.word(a)).collect();
        if let Some(words) = words {
            if let Some(r) = eval_pure(opcode, &words, &descr) {
                let bank = match opcode.result() {
                    Type::Ref => Bank::Ref,
                    Type::Float => Bank::Float,
                    _ => Bank::Int,
                };
                return self.const_of(bank, r);
            }
        }
        self.push(opcode, args, descr)
    }

    /// The type id of the object `obj` (whose header holds `t`): a
    /// constant when the trace knows it, that is when `obj` is a constant
    /// (an object's type never changes, even when the collector moves it)
    /// or a `new` of this trace, which the optimiser may remove (a
    /// virtual: its descr's type id); else a `type_id_gc`.
    pub fn type_id_of(&mut self, obj: Value, t: u64) -> Value {
        if obj.is_const() {
            return Value::ConstInt(t as i64);
        }
        if let Value::Op(j) = obj {
            if let Some(Op {
                opcode: Opcode::New,
                descr: Descr::Size { type_id, .. },
                ..
            }) = self.trace.ops.get(j as usize)
            {
                return Value::ConstInt(*type_id as i64);
            }
        }
        self.push(Opcode::TypeIdGc, vec![obj], Descr::None)
    }

    /// Re-normalises a 64-bit result to a narrow `kind`.
    pub fn renorm(&mut self, v: Value, kind: IntKind) -> Value {
        if kind.bits >= 64 {
            v
        } else if kind.signed {
            let n = Value::ConstInt(kind.bytes() as i64);
            self.pure(Opcode::IntSignext, vec![v, n], Descr::None)
        } else {
            let m = Value::ConstInt(crate::exec::mask(kind) as i64);
            self.pure(Opcode::IntAnd, vec![v, m], Descr::None)
        }
    }

    /// Records a guard whose failure resumes `frames` as they are now
    /// (their live registers: `live`, by jitcode).
    pub fn guard(
        &mut self,
        opcode: Opcode,
        args: Vec<Value>,
        frames: &[Frame],
        live: &[abi::liveness::Liveness],
    ) {
        let (entry, fail_args) = resume::capture(frames, &self.trace, live);
        let mut op = Op::new(opcode, args);
        op.fail_args = fail_args;
        op.resume = self.resumes.len() as u32;
        self.resumes.push(entry);
        self.trace.push(op);
    }

    pub fn visit_roots(&mut self, f: &mut dyn FnMut(&mut u64)) {
        for g in &mut self.trace.gcrefs {
            f(g);
        }
        for e in &mut self.resumes {
            resume::visit(e, f);
        }
    }
}
