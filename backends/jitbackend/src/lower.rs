//! Trace → Cranelift IR. Every trace value with a result is a frontend
//! `Variable`, so redefinitions (a label's arguments at the jump, reloads
//! of references after a collection) are plain `def_var`s and the SSA
//! builder makes the loop's block parameters.

use crate::compile::Env;
use crate::roots::var_index;
use crate::CompileError;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::immediates::Ieee64;
use cranelift_codegen::ir::{self, types, AbiParam, Block, InstBuilder, MemFlagsData, Signature};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, Variable};
use std::collections::HashSet;
use traceir::ops::Type as TType;
use traceir::{Descr, Op, Opcode, Trace, Value};

/// Adds one to the word at `addr` (`Link::counters`).
pub(crate) fn count(b: &mut FunctionBuilder, addr: u64) {
    let a = b.ins().iconst(types::I64, addr as i64);
    let n = b.ins().load(types::I64, MemFlagsData::trusted(), a, 0);
    let n = b.ins().iadd_imm_s(n, 1);
    b.ins().store(MemFlagsData::trusted(), n, a, 0);
}

pub(crate) struct Lower<'a, 'b> {
    pub b: FunctionBuilder<'b>,
    pub trace: &'a Trace,
    pub env: &'a Env<'a>,
    pub call_conv: CallConv,
    /// By `var_index`.
    pub vars: Vec<Option<Variable>>,
    pub frame: ir::Value,
    /// Base of this code's shadow-stack slots and their number.
    pub shadow: Option<(ir::Value, usize)>,
    /// Per op: the reference variables to spill around it.
    pub spills: Vec<Option<Vec<usize>>>,
    /// Variables holding objects allocated since the last operation that
    /// may collect (their stores need no write barrier).
    pub fresh: HashSet<usize>,
    /// The last label seen: its block and its arguments' variables and
    /// types.
    pub label: Option<(Block, Vec<(Variable, TType)>)>,
    /// A loop's body (`traceir::ShortEntry::body`): per op, the loop's op
    /// whose exit id and bridge slot it uses.
    pub loop_op: Option<&'a [u32]>,
    /// The one way out shared by the guards (`finish_exits`): its block
    /// takes the exit op's index, the fail args already in the frame.
    pub guard_out: Option<Block>,
}

impl<'a, 'b> Lower<'a, 'b> {
    pub(crate) fn use_index(&mut self, var: usize, op: usize) -> Result<ir::Value, CompileError> {
        match self.vars.get(var).copied().flatten() {
            Some(v) => Ok(self.b.use_var(v)),
            None => Err(CompileError::bad(op, "use of a value without a result")),
        }
    }

    pub(crate) fn def_index(
        &mut self,
        var: usize,
        val: ir::Value,
        op: usize,
    ) -> Result<(), CompileError> {
        match self.vars.get(var).copied().flatten() {
            Some(v) => {
                self.b.def_var(v, val);
                Ok(())
            }
            None => Err(CompileError::bad(op, "definition of a void value")),
        }
    }

    /// The Cranelift value of trace value `v` used by op `op`.
    pub(crate) fn value(&mut self, v: Value, op: usize) -> Result<ir::Value, CompileError> {
        match v {
            Value::Input(_) | Value::Op(_) => {
                let idx = var_index(self.trace, v).unwrap_or(usize::MAX);
                self.use_index(idx, op)
            }
            Value::ConstInt(c) => Ok(self.b.ins().iconst(types::I64, c)),
            Value::ConstFloat(bits) => Ok(self.b.ins().f64const(Ieee64::with_bits(bits))),
            Value::ConstRef(i) => {
                if i as usize >= self.trace.gcrefs.len() {
                    return Err(CompileError::bad(op, format!("gcref {i} out of range")));
                }
                let table = self.b.ins().iconst(types::I64, self.env.gcrefs as i64);
                Ok(self
                    .b
                    .ins()
                    .load(types::I64, MemFlagsData::trusted(), table, 8 * i as i32))
            }
            Value::Null => Ok(self.b.ins().iconst(types::I64, 0)),
        }
    }

    /// Argument `k` of op `i`, which must have type `ty`.
    pub(crate) fn arg(&mut self, i: usize, k: usize, ty: TType) -> Result<ir::Value, CompileError> {
        let v = self.trace.ops[i].args[k];
        let got = self.trace.type_of(v);
        if got != ty {
            return Err(CompileError::bad(
                i,
                format!("argument {k} is {got:?}, expected {ty:?}"),
            ));
        }
        self.value(v, i)
    }

    fn set(&mut self, i: usize, val: ir::Value) -> Result<(), CompileError> {
        let idx = self.trace.inputs.len() + i;
        self.def_index(idx, val, i)
    }

    /// Calls the function at `addr` with a signature of these types.
    pub(crate) fn call_addr(
        &mut self,
        addr: u64,
        params: Vec<AbiParam>,
        ret: Option<types::Type>,
        args: &[ir::Value],
    ) -> Option<ir::Value> {
        let mut sig = Signature::new(self.call_conv);
        sig.params = params;
        if let Some(r) = ret {
            sig.returns.push(AbiParam::new(r));
        }
        let sigref = self.b.import_signature(sig);
        let callee = self.b.ins().iconst(types::I64, addr as i64);
        let call = self.b.ins().call_indirect(sigref, callee, args);
        self.b.inst_results(call).first().copied()
    }

    /// Leaves the trace: the values into the frame, the shadow stack
    /// popped, `index` returned.
    pub(crate) fn exit(&mut self, i: usize, values: &[Value]) -> Result<(), CompileError> {
        self.store_frame(i, values)?;
        self.pop_roots();
        self.leave(i);
        Ok(())
    }

    /// Stores `values` (all read before any store) into `frame[0..]`.
    fn store_frame(&mut self, i: usize, values: &[Value]) -> Result<(), CompileError> {
        let mut vals = Vec::with_capacity(values.len());
        for &v in values {
            if self.trace.type_of(v) == TType::Void {
                return Err(CompileError::bad(i, "exit value without a result"));
            }
            vals.push(self.value(v, i)?);
        }
        for (k, v) in vals.into_iter().enumerate() {
            self.b
                .ins()
                .store(MemFlagsData::trusted(), v, self.frame, (8 * k) as i32);
        }
        Ok(())
    }

    /// The op whose exit id and bridge slot op `i` has.
    fn exit_op(&self, i: usize) -> u32 {
        self.loop_op.map_or(i as u32, |m| m[i])
    }

    /// Returns exit id `exit_base + i` (the frame already holds the values).
    fn leave(&mut self, i: usize) {
        let id = self.env.link.exit_base.wrapping_add(self.exit_op(i));
        let idx = self.b.ins().iconst(types::I32, id as i64);
        self.b.ins().return_(&[idx]);
    }

    /// Tail-calls the trace at `entry` with the frame (which holds its
    /// inputs).
    fn tail_call(&mut self, entry: ir::Value) {
        let sigref = self
            .b
            .import_signature(crate::trampoline::trace_signature());
        let frame = self.frame;
        self.b.ins().return_call_indirect(sigref, entry, &[frame]);
    }

    /// A failing guard's exit: the fail args into the frame, then its
    /// bridge if one is attached (the slot is read at run time), else back
    /// to the runtime.
    fn guard_exit(&mut self, i: usize) -> Result<(), CompileError> {
        let trace: &'a Trace = self.trace;
        for s in &trace.ops[i].exit_stores {
            self.exit_store(i, s)?;
        }
        let fail_args = self.trace.ops[i].fail_args.clone();
        if let Descr::Restart(n) = self.trace.ops[i].descr {
            // An inlined short preamble's guard: its fail args are loop
            // `n`'s inputs; enter the loop at its top instead.
            return self.enter_trace(i, self.env.link.targets, n, &fail_args);
        }
        if self.env.link.bridge_slots.is_null() {
            return self.exit(i, &fail_args);
        }
        self.store_frame(i, &fail_args)?;
        let out = match self.guard_out {
            Some(b) => b,
            None => {
                let b = self.b.create_block();
                self.b.append_block_param(b, types::I64);
                self.b.set_cold_block(b);
                self.guard_out = Some(b);
                b
            }
        };
        let op = self.exit_op(i) as i64;
        let k = self.b.ins().iconst(types::I64, op);
        self.b.ins().jump(out, &[ir::BlockArg::Value(k)]);
        Ok(())
    }

    /// The guards' shared way out, once all ops are lowered: the shadow
    /// stack popped, then the guard's bridge if its slot has one (read at
    /// run time), else back to the runtime with its exit id. One copy per
    /// trace instead of one per guard keeps the code (and the time
    /// Cranelift spends on it) small.
    pub(crate) fn finish_exits(&mut self) {
        let Some(out) = self.guard_out else {
            return;
        };
        self.b.seal_block(out);
        self.b.switch_to_block(out);
        let k = self.b.block_params(out)[0];
        self.pop_roots();
        let slots = self
            .b
            .ins()
            .iconst(types::I64, self.env.link.bridge_slots as i64);
        let off = self.b.ins().ishl_imm_u(k, 3);
        let addr = self.b.ins().iadd(slots, off);
        let target = self
            .b
            .ins()
            .load(types::I64, MemFlagsData::trusted(), addr, 0);
        let bridge = self.b.create_block();
        let back = self.b.create_block();
        self.b.set_cold_block(bridge);
        self.b.set_cold_block(back);
        self.b.ins().brif(target, bridge, &[], back, &[]);
        self.b.seal_block(bridge);
        self.b.seal_block(back);
        self.b.switch_to_block(bridge);
        self.tail_call(target);
        self.b.switch_to_block(back);
        let id = self.b.ins().iadd_imm_s(k, self.env.link.exit_base as i64);
        let id = self.b.ins().ireduce(types::I32, id);
        self.b.ins().return_(&[id]);
    }

    /// A guard continuing when `cond` is nonzero (or zero if `!when`).
    fn guard(&mut self, i: usize, cond: ir::Value, when: bool) -> Result<(), CompileError> {
        let cont = self.b.create_block();
        let cold = self.b.create_block();
        self.b.set_cold_block(cold);
        if when {
            self.b.ins().brif(cond, cont, &[], cold, &[]);
        } else {
            self.b.ins().brif(cond, cold, &[], cont, &[]);
        }
        self.b.seal_block(cont);
        self.b.seal_block(cold);
        self.b.switch_to_block(cold);
        self.guard_exit(i)?;
        self.b.switch_to_block(cont);
        Ok(())
    }

    fn int2(&mut self, i: usize) -> Result<(ir::Value, ir::Value), CompileError> {
        Ok((self.arg(i, 0, TType::Int)?, self.arg(i, 1, TType::Int)?))
    }

    fn float2(&mut self, i: usize) -> Result<(ir::Value, ir::Value), CompileError> {
        Ok((self.arg(i, 0, TType::Float)?, self.arg(i, 1, TType::Float)?))
    }

    fn icmp(&mut self, i: usize, cc: IntCC, ty: TType) -> Result<ir::Value, CompileError> {
        let a = self.arg(i, 0, ty)?;
        let c = self.arg(i, 1, ty)?;
        let r = self.b.ins().icmp(cc, a, c);
        Ok(self.b.ins().uextend(types::I64, r))
    }

    fn fcmp(&mut self, i: usize, cc: FloatCC) -> Result<ir::Value, CompileError> {
        let (a, c) = self.float2(i)?;
        let r = self.b.ins().fcmp(cc, a, c);
        Ok(self.b.ins().uextend(types::I64, r))
    }

    /// Lowers op `i`; returns whether it ended the function.
    pub(crate) fn op(&mut self, i: usize) -> Result<bool, CompileError> {
        let trace: &'a Trace = self.trace;
        let op: &Op = &trace.ops[i];
        let opc = op.opcode;
        let int = TType::Int;
        let result = match opc {
            Opcode::IntAdd => self.int2(i).map(|(a, c)| self.b.ins().iadd(a, c))?,
            Opcode::IntSub => self.int2(i).map(|(a, c)| self.b.ins().isub(a, c))?,
            Opcode::IntMul => self.int2(i).map(|(a, c)| self.b.ins().imul(a, c))?,
            Opcode::IntFloorDiv => self.int2(i).map(|(a, c)| self.b.ins().sdiv(a, c))?,
            Opcode::UintFloorDiv => self.int2(i).map(|(a, c)| self.b.ins().udiv(a, c))?,
            Opcode::IntMod => self.int2(i).map(|(a, c)| self.b.ins().srem(a, c))?,
            Opcode::UintMod => self.int2(i).map(|(a, c)| self.b.ins().urem(a, c))?,
            Opcode::IntAnd => self.int2(i).map(|(a, c)| self.b.ins().band(a, c))?,
            Opcode::IntOr => self.int2(i).map(|(a, c)| self.b.ins().bor(a, c))?,
            Opcode::IntXor => self.int2(i).map(|(a, c)| self.b.ins().bxor(a, c))?,
            Opcode::IntLshift => self.int2(i).map(|(a, c)| self.b.ins().ishl(a, c))?,
            Opcode::IntRshift => self.int2(i).map(|(a, c)| self.b.ins().sshr(a, c))?,
            Opcode::UintRshift => self.int2(i).map(|(a, c)| self.b.ins().ushr(a, c))?,
            Opcode::IntNeg => {
                let a = self.arg(i, 0, int)?;
                self.b.ins().ineg(a)
            }
            Opcode::IntInvert => {
                let a = self.arg(i, 0, int)?;
                self.b.ins().bnot(a)
            }
            Opcode::IntSignext => {
                let a = self.arg(i, 0, int)?;
                let narrow = match op.args[1] {
                    Value::ConstInt(1) => types::I8,
                    Value::ConstInt(2) => types::I16,
                    Value::ConstInt(4) => types::I32,
                    _ => {
                        return Err(CompileError::bad(
                            i,
                            "int_signext needs a constant 1, 2 or 4",
                        ))
                    }
                };
                let r = self.b.ins().ireduce(narrow, a);
                self.b.ins().sextend(types::I64, r)
            }
            Opcode::IntLt => self.icmp(i, IntCC::SignedLessThan, int)?,
            Opcode::IntLe => self.icmp(i, IntCC::SignedLessThanOrEqual, int)?,
            Opcode::IntGt => self.icmp(i, IntCC::SignedGreaterThan, int)?,
            Opcode::IntGe => self.icmp(i, IntCC::SignedGreaterThanOrEqual, int)?,
            Opcode::IntEq => self.icmp(i, IntCC::Equal, int)?,
            Opcode::IntNe => self.icmp(i, IntCC::NotEqual, int)?,
            Opcode::UintLt => self.icmp(i, IntCC::UnsignedLessThan, int)?,
            Opcode::UintLe => self.icmp(i, IntCC::UnsignedLessThanOrEqual, int)?,
            Opcode::UintGt => self.icmp(i, IntCC::UnsignedGreaterThan, int)?,
            Opcode::UintGe => self.icmp(i, IntCC::UnsignedGreaterThanOrEqual, int)?,
            Opcode::FloatAdd => self.float2(i).map(|(a, c)| self.b.ins().fadd(a, c))?,
            Opcode::FloatSub => self.float2(i).map(|(a, c)| self.b.ins().fsub(a, c))?,
            Opcode::FloatMul => self.float2(i).map(|(a, c)| self.b.ins().fmul(a, c))?,
            Opcode::FloatTrueDiv => self.float2(i).map(|(a, c)| self.b.ins().fdiv(a, c))?,
            Opcode::FloatNeg => {
                let a = self.arg(i, 0, TType::Float)?;
                self.b.ins().fneg(a)
            }
            Opcode::FloatLt => self.fcmp(i, FloatCC::LessThan)?,
            Opcode::FloatLe => self.fcmp(i, FloatCC::LessThanOrEqual)?,
            Opcode::FloatGt => self.fcmp(i, FloatCC::GreaterThan)?,
            Opcode::FloatGe => self.fcmp(i, FloatCC::GreaterThanOrEqual)?,
            Opcode::FloatEq => self.fcmp(i, FloatCC::Equal)?,
            Opcode::FloatNe => self.fcmp(i, FloatCC::NotEqual)?,
            Opcode::CastFloatToInt => {
                let kind = match op.descr {
                    Descr::IntKind(k) => k,
                    Descr::None => abi::IntKind::I64,
                    _ => return Err(CompileError::bad(i, "cast_float_to_int needs an IntKind")),
                };
                let a = self.arg(i, 0, TType::Float)?;
                self.float_to_int(i, a, kind)?
            }
            Opcode::CastIntToFloat => {
                let a = self.arg(i, 0, int)?;
                self.b.ins().fcvt_from_sint(types::F64, a)
            }
            Opcode::CastUintToFloat => {
                let a = self.arg(i, 0, int)?;
                self.b.ins().fcvt_from_uint(types::F64, a)
            }
            Opcode::PtrEq => self.icmp(i, IntCC::Equal, TType::Ref)?,
            Opcode::PtrNe => self.icmp(i, IntCC::NotEqual, TType::Ref)?,
            Opcode::SameAsI => self.arg(i, 0, int)?,
            Opcode::SameAsR => self.arg(i, 0, TType::Ref)?,
            Opcode::SameAsF => self.arg(i, 0, TType::Float)?,
            Opcode::ArraylenGc => {
                let a = self.arg(i, 0, TType::Ref)?;
                let off = abi::layout::ARRAY_LENGTH_OFFSET as i32;
                self.b
                    .ins()
                    .load(types::I64, MemFlagsData::trusted(), a, off)
            }
            // The header's low half, zero-extended to the int word.
            Opcode::TypeIdGc => {
                let a = self.arg(i, 0, TType::Ref)?;
                let off = abi::layout::TYPE_ID_OFFSET as i32;
                self.b.ins().uload32(MemFlagsData::trusted(), a, off)
            }
            Opcode::GetfieldGcI | Opcode::GetfieldGcR | Opcode::GetfieldGcF => self.getfield(i)?,
            Opcode::SetfieldGc => return self.setfield(i).map(|_| false),
            Opcode::GetarrayitemGcI | Opcode::GetarrayitemGcR | Opcode::GetarrayitemGcF => {
                self.getarrayitem(i)?
            }
            Opcode::SetarrayitemGc => return self.setarrayitem(i).map(|_| false),
            Opcode::New => self.new_object(i)?,
            Opcode::NewArray => self.new_array(i)?,
            Opcode::CallI
            | Opcode::CallR
            | Opcode::CallF
            | Opcode::CallPureI
            | Opcode::CallPureR
            | Opcode::CallPureF => self.call(i)?.ok_or_else(|| {
                CompileError::bad(i, "call with a result of a function returning nothing")
            })?,
            Opcode::CallN | Opcode::CallPureN => {
                self.call(i)?;
                return Ok(false);
            }
            Opcode::GuardTrue | Opcode::GuardFalse => {
                let c = self.arg(i, 0, int)?;
                self.guard(i, c, opc == Opcode::GuardTrue)?;
                return Ok(false);
            }
            Opcode::GuardNonnull | Opcode::GuardIsnull => {
                let c = self.arg(i, 0, TType::Ref)?;
                self.guard(i, c, opc == Opcode::GuardNonnull)?;
                return Ok(false);
            }
            Opcode::GuardValue => {
                let ty = self.trace.type_of(op.args[0]);
                let (mut a, mut c) = match ty {
                    TType::Void => return Err(CompileError::bad(i, "guard_value of void")),
                    _ => (self.arg(i, 0, ty)?, self.arg(i, 1, ty)?),
                };
                if ty == TType::Float {
                    a = self.b.ins().bitcast(types::I64, MemFlagsData::new(), a);
                    c = self.b.ins().bitcast(types::I64, MemFlagsData::new(), c);
                }
                let eq = self.b.ins().icmp(IntCC::Equal, a, c);
                self.guard(i, eq, true)?;
                return Ok(false);
            }
            Opcode::Label => {
                self.label(i)?;
                return Ok(false);
            }
            Opcode::Jump => {
                self.jump(i)?;
                return Ok(true);
            }
            Opcode::Finish => {
                let args = op.args.clone();
                self.exit(i, &args)?;
                return Ok(true);
            }
            Opcode::DebugMergePoint => return Ok(false),
        };
        self.set(i, result)?;
        Ok(false)
    }

    /// Rust's `f as k`: saturating, NaN to 0, normalised to 64 bits.
    fn float_to_int(
        &mut self,
        i: usize,
        a: ir::Value,
        k: abi::IntKind,
    ) -> Result<ir::Value, CompileError> {
        Ok(match (k.bits, k.signed) {
            (64, true) => self.b.ins().fcvt_to_sint_sat(types::I64, a),
            (64, false) => self.b.ins().fcvt_to_uint_sat(types::I64, a),
            (8 | 16 | 32, signed) => {
                let (lo, hi) = if signed {
                    let h = (1u64 << (k.bits - 1)) as f64;
                    (-h, h - 1.0)
                } else {
                    (0.0, ((1u64 << k.bits) - 1) as f64)
                };
                // fmax/fmin propagate NaN, which the conversion makes 0.
                let lo = self.b.ins().f64const(lo);
                let hi = self.b.ins().f64const(hi);
                let x = self.b.ins().fmax(a, lo);
                let x = self.b.ins().fmin(x, hi);
                self.b.ins().fcvt_to_sint_sat(types::I64, x)
            }
            _ => return Err(CompileError::bad(i, format!("bad int kind {k:?}"))),
        })
    }

    fn label(&mut self, i: usize) -> Result<(), CompileError> {
        let mut vars = Vec::new();
        for &a in &self.trace.ops[i].args {
            let var = var_index(self.trace, a)
                .and_then(|idx| self.vars.get(idx).copied().flatten())
                .ok_or_else(|| CompileError::bad(i, "label arguments must be variables"))?;
            vars.push((var, self.trace.type_of(a)));
        }
        let block = self.b.create_block();
        self.b.ins().jump(block, &[]);
        self.b.switch_to_block(block);
        self.label = Some((block, vars));
        self.fresh.clear();
        if !self.env.link.counters.is_null() {
            count(&mut self.b, self.env.link.counters as u64 + 8);
        }
        Ok(())
    }

    fn jump(&mut self, i: usize) -> Result<(), CompileError> {
        match self.trace.ops[i].descr {
            Descr::Target(n) => return self.jump_to_trace(i, self.env.link.targets, n),
            Descr::Body(n) => return self.jump_to_trace(i, self.env.link.bodies, n),
            _ => {}
        }
        let Some((block, vars)) = self.label.clone() else {
            return Err(CompileError::bad(i, "jump without a label"));
        };
        let args = self.trace.ops[i].args.clone();
        if args.len() != vars.len() {
            return Err(CompileError::bad(
                i,
                format!("jump has {} args, label {}", args.len(), vars.len()),
            ));
        }
        // Parallel assignment: read every value before defining any.
        let mut vals = Vec::with_capacity(args.len());
        for &a in &args {
            vals.push(self.value(a, i)?);
        }
        for (k, ((var, ty), val)) in vars.into_iter().zip(vals).enumerate() {
            if self.trace.type_of(args[k]) != ty {
                return Err(CompileError::bad(
                    i,
                    format!("jump argument {k}: wrong type"),
                ));
            }
            self.b.def_var(var, val);
        }
        self.b.ins().jump(block, &[]);
        Ok(())
    }

    /// The code address `table[n]` (`Link::targets` or `Link::bodies`).
    fn target(&self, i: usize, table: &[u64], n: u32) -> Result<u64, CompileError> {
        table
            .get(n as usize)
            .copied()
            .filter(|&a| a != 0)
            .ok_or_else(|| CompileError::bad(i, format!("jump to unknown trace {n}")))
    }

    /// `jump(args, descr=<Target n>)` (or `<Body n>`): the args become the
    /// inputs of the code at `table[n]`.
    fn jump_to_trace(&mut self, i: usize, table: &[u64], n: u32) -> Result<(), CompileError> {
        let args = self.trace.ops[i].args.clone();
        self.enter_trace(i, table, n, &args)
    }

    /// Op `i` leaves for the code at `table[n]`, whose inputs are `values`.
    fn enter_trace(
        &mut self,
        i: usize,
        table: &[u64],
        n: u32,
        values: &[Value],
    ) -> Result<(), CompileError> {
        let entry = self.target(i, table, n)?;
        self.store_frame(i, values)?;
        self.pop_roots();
        let e = self.b.ins().iconst(types::I64, entry as i64);
        self.tail_call(e);
        Ok(())
    }
}
