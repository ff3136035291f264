//! The recorder: the trace being built, its resume entries, and helpers
//! that fold operations on constants instead of recording them.

use crate::frame::Frame;
use crate::resume::{self, const_word, ResumeEntry};
use crate::trace_interp::eval_pure;
use abi::{Bank, IntKind};
use traceir::ops::Type;
use traceir::{Descr, Op, Opcode, Trace, Value};

pub struct Recorder {
    pub trace: Trace,
    pub resumes: Vec<ResumeEntry>,
    pub driver: u32,
    /// The green key the trace started at (a GC root for ref greens).
    pub key: Vec<u64>,
    /// The warm-state cell of `key`.
    pub cell: usize,
}

pub fn bank_type(b: Bank) -> Type {
    match b {
        Bank::Int => Type::Int,
        Bank::Ref => Type::Ref,
        Bank::Float => Type::Float,
    }
}

impl Recorder {
    pub fn new(driver: u32, key: Vec<u64>, cell: usize, inputs: Vec<Type>) -> Recorder {
        let mut trace = Trace {
            inputs,
            ..Trace::default()
        };
        let args = (0..trace.inputs.len() as u32).map(Value::Input).collect();
        trace.push(Op::new(Opcode::Label, args));
        Recorder {
            trace,
            resumes: Vec::new(),
            driver,
            key,
            cell,
        }
    }

    pub fn const_of(&mut self, bank: Bank, w: u64) -> Value {
        match bank {
            Bank::Int => Value::ConstInt(w as i64),
            Bank::Ref => self.trace.const_ref(w),
            Bank::Float => Value::ConstFloat(w),
        }
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

    /// Records a guard whose failure resumes `frames` as they are now.
    pub fn guard(&mut self, opcode: Opcode, args: Vec<Value>, frames: &[Frame]) {
        let (entry, fail_args) = resume::capture(frames, &self.trace);
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
