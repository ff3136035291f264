//! Allocation removal (RPython's virtuals; "Allocation Removal by Partial
//! Evaluation in a Tracing JIT", Bolz et al. 2011): a `new` whose object
//! does not escape is not done. Until it escapes, the object is its fields:
//! a `setfield_gc` into it only notes the value, a `getfield_gc_*` of it is
//! the value noted last (0 for a field never stored: `new` zeroes), a
//! `ptr_eq` with anything else is false (nothing else can be this object),
//! `type_id_gc` of it is its `new`'s type id and `guard_nonnull` of it
//! holds.
//!
//! A guard whose fail args hold it gets a description of it instead
//! (`Op::virtuals`): its slot is null, its fields' values are fail args,
//! and whoever resumes from the guard allocates it from there (the
//! metainterp when it rebuilds frames; a bridge starts by recording the
//! `new` and the stores, so that its own optimiser sees a virtual again).
//!
//! Any other use forces the object: the `new` and the stores of its fields
//! (and of the virtuals they hold, first) are emitted right before that
//! use, and from there on it is an ordinary object. Uses that force: being
//! stored into an object that is not virtual, a call's argument, `jump`,
//! `label` and `finish` arguments, the fail args of a restart guard (they
//! are another trace's inputs), any op not named above. At a label, every
//! virtual that the loop after it uses is forced before it (the loop is
//! compiled once for all iterations; RPython keeps such objects virtual
//! across the back edge, which this pass does not yet do).

use super::rewrite::pinned_ops;
use crate::ops::{Opcode, Type};
use crate::trace::{Descr, Op, Trace, Value, VirtualObj};
use abi::{FieldDescr, Kind};

/// What an op of the input trace became: a value of the output, or a
/// virtual (an index into `State::objs`).
#[derive(Copy, Clone, PartialEq, Debug)]
enum V {
    Val(Value),
    Virt(usize),
}

struct Obj {
    type_id: u32,
    size: u32,
    /// The input op that allocated it.
    origin: usize,
    fields: Vec<(FieldDescr, V)>,
    /// Its `new` in the output, once forced.
    forced: Option<Value>,
}

struct State {
    objs: Vec<Obj>,
    out: Vec<Op>,
    /// Output index of the last label emitted (values defined before it
    /// may be loop-carried after it).
    last_label: Option<usize>,
}

/// Removes allocations that do not escape; returns how many `new`s went
/// (net of those forced again later).
pub fn virtualize(trace: &mut Trace) -> usize {
    if !trace.ops.iter().any(|op| op.opcode == Opcode::New) {
        return 0;
    }
    let pinned = pinned_ops(trace);
    let n = trace.ops.len();
    let mut last_use = vec![0usize; n];
    for (i, op) in trace.ops.iter().enumerate() {
        for v in op.uses() {
            if let Value::Op(j) = *v {
                if let Some(l) = last_use.get_mut(j as usize) {
                    *l = i;
                }
            }
        }
    }
    let news_before = trace
        .ops
        .iter()
        .filter(|op| op.opcode == Opcode::New)
        .count();
    let mut st = State {
        objs: Vec::new(),
        out: Vec::with_capacity(n),
        last_label: None,
    };
    let mut map: Vec<V> = Vec::with_capacity(n);
    for (i, op) in std::mem::take(&mut trace.ops).into_iter().enumerate() {
        let v = st.op(i, op, &map, &pinned, &last_use);
        map.push(v);
    }
    trace.ops = st.out;
    let news_after = trace
        .ops
        .iter()
        .filter(|op| op.opcode == Opcode::New)
        .count();
    news_before.saturating_sub(news_after)
}

impl State {
    /// `v` of the input as the output names it.
    fn get(&self, v: Value, map: &[V]) -> V {
        match v {
            Value::Op(j) => match map.get(j as usize).copied() {
                Some(V::Virt(k)) => match self.objs[k].forced {
                    Some(f) => V::Val(f),
                    None => V::Virt(k),
                },
                Some(x) => x,
                None => V::Val(v),
            },
            _ => V::Val(v),
        }
    }

    /// `v` as an ordinary value, forcing it if it is a virtual.
    fn real(&mut self, v: Value, map: &[V]) -> Value {
        match self.get(v, map) {
            V::Val(x) => x,
            V::Virt(k) => self.force(k),
        }
    }

    fn push(&mut self, op: Op) -> Value {
        self.out.push(op);
        Value::Op(self.out.len() as u32 - 1)
    }

    /// Emits object `k`'s allocation and stores (its virtual fields' first,
    /// unless already being forced: a cycle).
    fn force(&mut self, k: usize) -> Value {
        if let Some(f) = self.objs[k].forced {
            return f;
        }
        let o = &self.objs[k];
        let new = Op::new(Opcode::New, vec![]).with_descr(Descr::Size {
            type_id: o.type_id,
            size: o.size,
        });
        let p = self.push(new);
        self.objs[k].forced = Some(p);
        for (fd, fv) in self.objs[k].fields.clone() {
            let v = match fv {
                V::Val(v) => v,
                V::Virt(m) => self.force(m),
            };
            if is_zero(v) {
                continue; // `new` zeroes
            }
            let store = Op::new(Opcode::SetfieldGc, vec![p, v]).with_descr(Descr::Field(fd));
            self.push(store);
        }
        p
    }

    /// Handles input op `i`; returns what its result became.
    fn op(&mut self, i: usize, mut op: Op, map: &[V], pinned: &[bool], last_use: &[usize]) -> V {
        use Opcode::*;
        let arg = |st: &State, k: usize| op.args.get(k).map(|&a| st.get(a, map));
        match (op.opcode, &op.descr) {
            (New, Descr::Size { type_id, size }) if !pinned.get(i).copied().unwrap_or(true) => {
                self.objs.push(Obj {
                    type_id: *type_id,
                    size: *size,
                    origin: i,
                    fields: Vec::new(),
                    forced: None,
                });
                return V::Virt(self.objs.len() - 1);
            }
            (SetfieldGc, Descr::Field(fd)) if op.args.len() == 2 => {
                if let Some(V::Virt(k)) = arg(self, 0) {
                    let value = arg(self, 1).unwrap_or(V::Val(Value::Null));
                    let fields = &mut self.objs[k].fields;
                    fields.retain(|(f, _)| f.offset != fd.offset);
                    fields.push((*fd, value));
                    return V::Val(Value::Null);
                }
            }
            (GetfieldGcI | GetfieldGcR | GetfieldGcF, Descr::Field(fd)) if op.args.len() == 1 => {
                if let Some(V::Virt(k)) = arg(self, 0) {
                    let fd = *fd;
                    let known = self.objs[k]
                        .fields
                        .iter()
                        .find(|(f, _)| f.offset == fd.offset);
                    match known {
                        None => return V::Val(zero(op.result_type())),
                        Some(&(f, value)) if f == fd => return self.read(value, fd.kind),
                        // Another layout at this offset (never made by the
                        // tracer): read it from the real object.
                        Some(_) => {}
                    }
                }
            }
            (GuardNonnull, _) if matches!(arg(self, 0), Some(V::Virt(_))) => {
                return V::Val(Value::Null);
            }
            (PtrEq | PtrNe, _) if op.args.len() == 2 => {
                let (a, b) = (arg(self, 0), arg(self, 1));
                if matches!(a, Some(V::Virt(_))) || matches!(b, Some(V::Virt(_))) {
                    let same = a == b;
                    return V::Val(Value::ConstInt((same == (op.opcode == PtrEq)) as i64));
                }
            }
            // The header of an object not allocated: its descr's type id.
            (TypeIdGc, _) if op.args.len() == 1 => {
                if let Some(V::Virt(k)) = arg(self, 0) {
                    return V::Val(Value::ConstInt(self.objs[k].type_id as i64));
                }
            }
            (SameAsR, _) if matches!(arg(self, 0), Some(V::Virt(_))) => {
                return arg(self, 0).unwrap_or(V::Val(Value::Null));
            }
            (Label, _) => {
                // The loop after the label sees only real objects.
                for k in 0..self.objs.len() {
                    if self.objs[k].forced.is_none() && last_use[self.objs[k].origin] > i {
                        self.force(k);
                    }
                }
            }
            _ => {}
        }
        // Every other use of a virtual forces it.
        for a in op.args.iter_mut() {
            *a = self.real(*a, map);
        }
        for s in op.exit_stores.iter_mut() {
            for a in s.args.iter_mut() {
                *a = self.real(*a, map);
            }
        }
        if op.opcode.flags().guard {
            self.guard_fail_args(&mut op, map);
        }
        let is_label = op.opcode == Label;
        let has_result = op.result_type() != Type::Void;
        let v = self.push(op);
        if is_label {
            self.last_label = Some(self.out.len() - 1);
        }
        if has_result {
            V::Val(v)
        } else {
            V::Val(Value::Null)
        }
    }

    /// A read of a virtual's field that holds `value`: a narrow int field
    /// gives the value as memory would hold it.
    fn read(&mut self, value: V, kind: Kind) -> V {
        let (Kind::Int(k), V::Val(v)) = (kind, value) else {
            return value;
        };
        if k.bits >= 64 {
            return value;
        }
        if let Value::ConstInt(c) = v {
            return V::Val(Value::ConstInt(k.normalise(c)));
        }
        if let Value::Op(j) = v {
            let after_label = self.last_label.is_none_or(|l| j as usize > l);
            if after_label
                && self
                    .out
                    .get(j as usize)
                    .is_some_and(|d| super::heap::is_normalised_op(d, k))
            {
                return value;
            }
        }
        let op = if k.signed {
            Op::new(
                Opcode::IntSignext,
                vec![v, Value::ConstInt(k.bytes() as i64)],
            )
        } else {
            let mask = (1i64 << k.bits) - 1;
            Op::new(Opcode::IntAnd, vec![v, Value::ConstInt(mask)])
        };
        V::Val(self.push(op))
    }

    /// Replaces virtuals in a guard's fail args by descriptions; a restart
    /// guard's fail args are another trace's inputs and force them.
    fn guard_fail_args(&mut self, op: &mut Op, map: &[V]) {
        let restart = matches!(op.descr, Descr::Restart(_));
        let got: Vec<V> = op.fail_args.iter().map(|&v| self.get(v, map)).collect();
        let mut slots: Vec<(usize, u32)> = Vec::new(); // virtual → its slot
        for (s, g) in got.iter().enumerate() {
            op.fail_args[s] = match *g {
                V::Val(x) => x,
                V::Virt(k) => {
                    // One object in two slots (the recorder saves a value
                    // once, but optimised values may meet): a real one.
                    let twice = got.iter().filter(|&&x| x == V::Virt(k)).count() > 1;
                    if restart || twice {
                        self.force(k)
                    } else {
                        slots.push((k, s as u32));
                        Value::Null
                    }
                }
            };
        }
        let mut done = 0;
        while done < slots.len() {
            let (k, slot) = slots[done];
            done += 1;
            let mut fields = Vec::new();
            for (fd, fv) in self.objs[k].fields.clone() {
                let fv = match fv {
                    V::Virt(m) => self.objs[m].forced.map_or(fv, V::Val),
                    _ => fv,
                };
                let index = match fv {
                    V::Val(v) if is_zero(v) => continue,
                    V::Val(v) => match op.fail_args.iter().position(|&x| x == v) {
                        Some(p) => p as u32,
                        None => {
                            op.fail_args.push(v);
                            op.fail_args.len() as u32 - 1
                        }
                    },
                    V::Virt(m) => match slots.iter().find(|(o, _)| *o == m) {
                        Some(&(_, s)) => s,
                        None => {
                            op.fail_args.push(Value::Null);
                            let s = op.fail_args.len() as u32 - 1;
                            slots.push((m, s));
                            s
                        }
                    },
                };
                fields.push((fd, index));
            }
            let o = &self.objs[k];
            op.virtuals.push(VirtualObj {
                slot,
                type_id: o.type_id,
                size: o.size,
                fields,
            });
        }
    }
}

/// The zero value of a type (what `new` leaves in a field).
fn zero(ty: Type) -> Value {
    match ty {
        Type::Ref => Value::Null,
        Type::Float => Value::ConstFloat(0),
        _ => Value::ConstInt(0),
    }
}

fn is_zero(v: Value) -> bool {
    matches!(v, Value::ConstInt(0) | Value::ConstFloat(0) | Value::Null)
}

#[cfg(test)]
mod tests;
