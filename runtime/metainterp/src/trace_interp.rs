//! Runs a `Trace` on concrete values: a `CompiledCode` without machine
//! code, for tests and debugging, and the folding rules of the recorder
//! (`eval_pure`).
//!
//! Values live in Rust vectors the collector does not see: use it only
//! with a non-moving heap (tests) or where no collection can happen.

use crate::exec::{self, float_cmp, int_cmp};
use crate::{CompiledCode, Host};
use abi::{Cmp, Kind};
use traceir::{Descr, Opcode, Trace, Value};

fn f(x: u64) -> f64 {
    f64::from_bits(x)
}

/// The result of a pure operation on concrete words (None: not pure, or
/// undefined such as a division by zero). `arraylen_gc` reads the array,
/// `type_id_gc` the object's header.
pub fn eval_pure(op: Opcode, a: &[u64], descr: &Descr) -> Option<u64> {
    use Opcode::*;
    let x = *a.first()?;
    let y = a.get(1).copied().unwrap_or(0);
    let (sx, sy) = (x as i64, y as i64);
    Some(match op {
        IntAdd => sx.wrapping_add(sy) as u64,
        IntSub => sx.wrapping_sub(sy) as u64,
        IntMul => sx.wrapping_mul(sy) as u64,
        IntFloorDiv | IntMod | UintFloorDiv | UintMod if y == 0 => return None,
        IntFloorDiv => sx.wrapping_div(sy) as u64,
        IntMod => sx.wrapping_rem(sy) as u64,
        UintFloorDiv => x / y,
        UintMod => x % y,
        IntAnd => x & y,
        IntOr => x | y,
        IntXor => x ^ y,
        IntLshift => x.wrapping_shl(y as u32),
        IntRshift => sx.wrapping_shr(y as u32) as u64,
        UintRshift => x.wrapping_shr(y as u32),
        IntNeg => sx.wrapping_neg() as u64,
        IntInvert => !x,
        IntSignext => exec::signext(x, y),
        IntLt => int_cmp(Cmp::Lt, true, x, y),
        IntLe => int_cmp(Cmp::Le, true, x, y),
        IntGt => int_cmp(Cmp::Gt, true, x, y),
        IntGe => int_cmp(Cmp::Ge, true, x, y),
        IntEq | PtrEq => (x == y) as u64,
        IntNe | PtrNe => (x != y) as u64,
        UintLt => int_cmp(Cmp::Lt, false, x, y),
        UintLe => int_cmp(Cmp::Le, false, x, y),
        UintGt => int_cmp(Cmp::Gt, false, x, y),
        UintGe => int_cmp(Cmp::Ge, false, x, y),
        FloatAdd => (f(x) + f(y)).to_bits(),
        FloatSub => (f(x) - f(y)).to_bits(),
        FloatMul => (f(x) * f(y)).to_bits(),
        FloatTrueDiv => (f(x) / f(y)).to_bits(),
        FloatNeg => (-f(x)).to_bits(),
        FloatLt => float_cmp(Cmp::Lt, x, y),
        FloatLe => float_cmp(Cmp::Le, x, y),
        FloatGt => float_cmp(Cmp::Gt, x, y),
        FloatGe => float_cmp(Cmp::Ge, x, y),
        FloatEq => float_cmp(Cmp::Eq, x, y),
        FloatNe => float_cmp(Cmp::Ne, x, y),
        CastFloatToInt => match descr {
            Descr::IntKind(k) => exec::float_to_int(*k, x),
            _ => exec::float_to_int(abi::IntKind::I64, x),
        },
        CastIntToFloat => (sx as f64).to_bits(),
        CastUintToFloat => (x as f64).to_bits(),
        SameAsI | SameAsR | SameAsF => x,
        // SAFETY: a constant array argument is a live object.
        ArraylenGc if x != 0 => unsafe { exec::array_len(x) },
        // SAFETY: a constant object argument is a live object.
        TypeIdGc if x != 0 => unsafe { exec::type_id_of(x) },
        _ => return None,
    })
}

/// Performs `calls[i]` on argument words.
pub type CallFn = Box<dyn Fn(u32, &[u64]) -> u64>;

/// A trace run by interpretation.
pub struct TraceInterp {
    pub trace: Trace,
    /// The reference-constant table (`Trace::gcrefs` of the stored trace).
    pub gcrefs: *const u64,
    pub host: Host,
    /// Performs `calls[i]` on argument words.
    pub call: CallFn,
    /// `Link::exit_base`. Bridge slots and targets are not followed: the
    /// trace returns at a jump to another trace (its args in the frame).
    pub exit_base: u32,
}

struct Vals {
    inputs: Vec<u64>,
    ops: Vec<u64>,
    gcrefs: *const u64,
    nrefs: usize,
}

impl Vals {
    fn get(&self, v: Value) -> u64 {
        match v {
            Value::Input(i) => self.inputs.get(i as usize).copied().unwrap_or(0),
            Value::Op(i) => self.ops.get(i as usize).copied().unwrap_or(0),
            Value::ConstInt(i) => i as u64,
            Value::ConstFloat(b) => b,
            // SAFETY: the table has `nrefs` entries.
            Value::ConstRef(i) if (i as usize) < self.nrefs => unsafe {
                *self.gcrefs.add(i as usize)
            },
            Value::ConstRef(_) | Value::Null => 0,
        }
    }
    fn set(&mut self, v: Value, w: u64) {
        match v {
            Value::Input(i) => {
                if let Some(s) = self.inputs.get_mut(i as usize) {
                    *s = w
                }
            }
            Value::Op(i) => {
                if let Some(s) = self.ops.get_mut(i as usize) {
                    *s = w
                }
            }
            _ => {}
        }
    }
}

impl CompiledCode for TraceInterp {
    unsafe fn run(&self, frame: *mut u64) -> u32 {
        let t = &self.trace;
        let label = t
            .ops
            .iter()
            .rposition(|o| o.opcode == Opcode::Label)
            .unwrap_or(0);
        let mut v = Vals {
            inputs: (0..t.inputs.len()).map(|i| *frame.add(i)).collect(),
            ops: vec![0; t.ops.len()],
            gcrefs: self.gcrefs,
            nrefs: t.gcrefs.len(),
        };
        let exit = |v: &Vals, args: &[Value], pc: usize| -> u32 {
            for (i, &a) in args.iter().enumerate() {
                *frame.add(i) = v.get(a);
            }
            self.exit_base + pc as u32
        };
        // A failing guard: its exit stores, then its fail args.
        let fail = |v: &Vals, op: &traceir::Op, pc: usize| -> u32 {
            for st in &op.exit_stores {
                let a: Vec<u64> = st.args.iter().map(|&x| v.get(x)).collect();
                match (&st.descr, a.as_slice()) {
                    (Descr::Field(fd), [o, w]) => exec::store(o + fd.offset as u64, fd.kind, *w),
                    (Descr::Array(ad), [arr, i, w]) => {
                        exec::store(exec::item_addr(*arr, *i, ad.item_size), ad.item, *w)
                    }
                    _ => return u32::MAX,
                }
            }
            exit(v, &op.fail_args, pc)
        };
        let mut pc = 0;
        while pc < t.ops.len() {
            let op = &t.ops[pc];
            let a: Vec<u64> = op.args.iter().map(|&x| v.get(x)).collect();
            let x = a.first().copied().unwrap_or(0);
            let y = a.get(1).copied().unwrap_or(0);
            use Opcode::*;
            let r: u64 = match (op.opcode, &op.descr) {
                (Label | DebugMergePoint, _) => 0,
                (Jump, Descr::Target(_)) => return exit(&v, &op.args, pc),
                (Jump, _) => {
                    let Some(l) = t.ops.get(label) else {
                        return u32::MAX;
                    };
                    for (dst, w) in l.args.iter().zip(a) {
                        v.set(*dst, w);
                    }
                    pc = label + 1;
                    continue;
                }
                (Finish, _) => return exit(&v, &op.args, pc),
                (GuardTrue | GuardNonnull, _) if x == 0 => return fail(&v, op, pc),
                (GuardFalse | GuardIsnull, _) if x != 0 => return fail(&v, op, pc),
                (GuardValue, _) if x != y => return fail(&v, op, pc),
                (GuardTrue | GuardFalse | GuardNonnull | GuardIsnull | GuardValue, _) => 0,
                (GetfieldGcI | GetfieldGcR | GetfieldGcF, Descr::Field(fd)) => {
                    exec::load(x + fd.offset as u64, fd.kind)
                }
                (SetfieldGc, Descr::Field(fd)) => {
                    if fd.kind == Kind::Ref {
                        exec::barrier(&self.host, x, y, None);
                    }
                    exec::store(x + fd.offset as u64, fd.kind, y);
                    0
                }
                (GetarrayitemGcI | GetarrayitemGcR | GetarrayitemGcF, Descr::Array(ad)) => {
                    exec::load(exec::item_addr(x, y, ad.item_size), ad.item)
                }
                (SetarrayitemGc, Descr::Array(ad)) => {
                    let w = a.get(2).copied().unwrap_or(0);
                    if ad.item == Kind::Ref {
                        exec::barrier(&self.host, x, w, Some(y));
                    }
                    exec::store(exec::item_addr(x, y, ad.item_size), ad.item, w);
                    0
                }
                (New, Descr::Size { type_id, size }) => {
                    (self.host.malloc)(*type_id as u64, *size as u64) as u64
                }
                (NewArray, Descr::ArrayAlloc { type_id, item_size }) => {
                    (self.host.malloc_array)(*type_id as u64, *item_size as u64, x) as u64
                }
                (
                    CallI | CallR | CallF | CallN | CallPureI | CallPureR | CallPureF | CallPureN,
                    Descr::Call(i),
                ) => (self.call)(*i, &a),
                (opc, d) => match eval_pure(opc, &a, d) {
                    Some(r) => r,
                    None => return u32::MAX,
                },
            };
            v.ops[pc] = r;
            pc += 1;
        }
        u32::MAX
    }
}
