//! Lowering of each `LLOpKind`, as its doc comment in `llgraph.rs` says.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, AliasRegionData, InstBuilder, MemFlagsData, Value};
use cranelift_entity::EntityRef;
use rtyper::llgraph::{Cmp, LLConst, LLOp, LLOpKind, LLValue};
use rtyper::lltype::{GcTypeId, GcTypeKind, LLType, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};
use std::borrow::Cow;

use super::cast::cast;
use super::function::{FnLower, LResult};
use super::module::{check_runtime_call, const_as, fits, runtime_cl_type, CallArg};
use super::types::{cl_type, is_signed, mask_imm};
use abi::runtime_fns;

/// Alias region of all array items (`user_id`s below it are the byte
/// offsets of fixed-offset accesses).
const ITEMS_REGION: u32 = u32::MAX - 1;

impl FnLower<'_, '_, '_> {
    /// Flags of a heap access: aligned and non-trapping (the rtyper checks
    /// bounds and nulls explicitly), in an alias region by kind of access:
    /// fixed-offset accesses (struct fields, array lengths) by their offset,
    /// all array items in one region. Objects never overlap and each is
    /// either a struct or an array, so two accesses in different regions
    /// never touch the same bytes (calls, which may move or free objects,
    /// clobber every region anyway).
    fn heap(&mut self, region: u32) -> MemFlagsData {
        let description = if region == ITEMS_REGION {
            Cow::Borrowed("array items")
        } else {
            Cow::Owned(format!("offset {region}"))
        };
        let r = self.b.func.dfg.alias_regions.insert(AliasRegionData {
            user_id: region,
            description,
        });
        MemFlagsData::trusted().with_alias_region(Some(r))
    }

    /// Exactly `n` non-Void operands.
    fn operands(&mut self, op: &LLOp, n: usize) -> LResult<Vec<Value>> {
        if op.args.len() != n {
            return Err(self.err(format!(
                "{:?} takes {n} operands, got {}",
                op.kind,
                op.args.len()
            )));
        }
        op.args.iter().map(|a| self.value1(a)).collect()
    }

    fn first_type(&self, op: &LLOp) -> LResult<LLType> {
        match op.args.first() {
            Some(a) => self.value_type(a),
            None => Err(self.err(format!("{:?} without operands", op.kind))),
        }
    }

    pub(crate) fn lower_op(&mut self, op: &LLOp) -> LResult<()> {
        use LLOpKind as K;
        let v: Option<Value> = match &op.kind {
            K::IntAdd
            | K::IntSub
            | K::IntMul
            | K::IntAnd
            | K::IntOr
            | K::IntXor
            | K::IntShl
            | K::IntShr
            | K::IntDiv
            | K::IntRem => {
                let signed = is_signed(self.first_type(op)?);
                let a = self.operands(op, 2)?;
                let (x, y) = (a[0], a[1]);
                let ins = self.b.ins();
                Some(match op.kind {
                    K::IntAdd => ins.iadd(x, y),
                    K::IntSub => ins.isub(x, y),
                    K::IntMul => ins.imul(x, y),
                    K::IntAnd => ins.band(x, y),
                    K::IntOr => ins.bor(x, y),
                    K::IntXor => ins.bxor(x, y),
                    // Cranelift masks the amount to the width of `x`, as
                    // rustc's release build does.
                    K::IntShl => ins.ishl(x, y),
                    K::IntShr if signed => ins.sshr(x, y),
                    K::IntShr => ins.ushr(x, y),
                    K::IntDiv if signed => ins.sdiv(x, y),
                    K::IntDiv => ins.udiv(x, y),
                    K::IntRem if signed => ins.srem(x, y),
                    K::IntRem => ins.urem(x, y),
                    _ => unreachable!("matched above"),
                })
            }
            K::IntNeg => {
                let a = self.operands(op, 1)?;
                Some(self.b.ins().ineg(a[0]))
            }
            K::IntNot => {
                let is_bool = self.first_type(op)? == LLType::Bool;
                let a = self.operands(op, 1)?;
                Some(if is_bool {
                    self.b.ins().bxor_imm_u(a[0], 1)
                } else {
                    self.b.ins().bnot(a[0])
                })
            }
            K::IntCmp(c) => {
                let t = self.first_type(op)?;
                let a = self.operands(op, 2)?;
                Some(self.b.ins().icmp(int_cc(*c, is_signed(t)), a[0], a[1]))
            }
            K::FloatAdd | K::FloatSub | K::FloatMul | K::FloatDiv => {
                let a = self.operands(op, 2)?;
                let ins = self.b.ins();
                Some(match op.kind {
                    K::FloatAdd => ins.fadd(a[0], a[1]),
                    K::FloatSub => ins.fsub(a[0], a[1]),
                    K::FloatMul => ins.fmul(a[0], a[1]),
                    _ => ins.fdiv(a[0], a[1]),
                })
            }
            K::FloatRem => {
                // Rust's `%` on f64 is C's fmod.
                let a = self.operands(op, 2)?;
                let f = self
                    .cx
                    .import_typed("fmod", &[types::F64, types::F64], Some(types::F64))
                    .map_err(|m| self.err(m))?;
                self.call(f, &a)
            }
            K::FloatNeg => {
                let a = self.operands(op, 1)?;
                Some(self.b.ins().fneg(a[0]))
            }
            K::FloatCmp(c) => {
                let a = self.operands(op, 2)?;
                Some(self.b.ins().fcmp(float_cc(*c), a[0], a[1]))
            }
            K::Cast => {
                let from = self.first_type(op)?;
                let to = self.var_type(op.result)?;
                let a = self.operands(op, 1)?;
                let v = cast(&mut self.b, from, to, a[0]).map_err(|m| self.err(m))?;
                Some(v)
            }
            // `promote` is for the JIT's tracer; AOT code has the value.
            K::SameAs | K::JitPromote => {
                if op.args.len() != 1 {
                    return Err(self.err("SameAs takes one operand"));
                }
                self.value(&op.args[0])?
            }
            K::JitIsJitted => Some(self.b.ins().iconst(types::I8, 0)),
            K::Check(kind) => {
                self.lower_check(*kind, op)?;
                None
            }
            K::Malloc(ty) => {
                let size = match self.type_kind(*ty)? {
                    GcTypeKind::Struct { size, .. } => *size,
                    _ => return Err(self.err(format!("Malloc of non-struct type {ty}"))),
                };
                self.operands(op, 0)?;
                let f = self
                    .cx
                    .import_words("rr_malloc", 2, true)
                    .map_err(|m| self.err(m))?;
                let tid = self.b.ins().iconst(types::I64, ty.as_u32() as i64);
                let sz = self.b.ins().iconst(types::I64, size as i64);
                self.call(f, &[tid, sz])
            }
            K::MallocArray(ty) => {
                let item_size = self.array_item(*ty)?.1;
                let a = self.operands(op, 1)?;
                let len = self.word(a[0]);
                let f = self
                    .cx
                    .import_words("rr_malloc_array", 3, true)
                    .map_err(|m| self.err(m))?;
                let tid = self.b.ins().iconst(types::I64, ty.as_u32() as i64);
                let isz = self.b.ins().iconst(types::I64, item_size as i64);
                self.call(f, &[tid, isz, len])
            }
            K::GetField { ty, field } => {
                let (fty, off) = self.field(*ty, *field)?;
                let a = self.operands(op, 1)?;
                match cl_type(fty) {
                    Some(t) => {
                        let flags = self.heap(off);
                        Some(self.b.ins().load(t, flags, a[0], off as i32))
                    }
                    None => None,
                }
            }
            K::SetField { ty, field } => {
                let (fty, off) = self.field(*ty, *field)?;
                if op.args.len() != 2 {
                    return Err(self.err("SetField takes two operands"));
                }
                let obj = self.value1(&op.args[0])?;
                if let Some(v) = self.value(&op.args[1])? {
                    self.check_stored(v, fty)?;
                    if self.needs_barrier(op, fty, 1) {
                        self.write_barrier(obj, None)?;
                    }
                    let flags = self.heap(off);
                    self.b.ins().store(flags, v, obj, off as i32);
                }
                None
            }
            K::GetArrayItem(ty) => {
                let (item, item_size) = self.array_item(*ty)?;
                if op.args.len() != 2 {
                    return Err(self.err("GetArrayItem takes two operands"));
                }
                let a = self.operands(op, 2)?;
                match cl_type(item) {
                    Some(t) => {
                        let addr = self.item_addr(a[0], a[1], item_size);
                        let flags = self.heap(ITEMS_REGION);
                        Some(self.b.ins().load(t, flags, addr, ARRAY_ITEMS_OFFSET as i32))
                    }
                    None => None,
                }
            }
            K::SetArrayItem(ty) => {
                let (item, item_size) = self.array_item(*ty)?;
                if op.args.len() != 3 {
                    return Err(self.err("SetArrayItem takes three operands"));
                }
                let arr = self.value1(&op.args[0])?;
                let idx = self.value1(&op.args[1])?;
                if let Some(v) = self.value(&op.args[2])? {
                    self.check_stored(v, item)?;
                    if self.needs_barrier(op, item, 2) {
                        self.write_barrier(arr, Some(idx))?;
                    }
                    let addr = self.item_addr(arr, idx, item_size);
                    let flags = self.heap(ITEMS_REGION);
                    self.b
                        .ins()
                        .store(flags, v, addr, ARRAY_ITEMS_OFFSET as i32);
                }
                None
            }
            K::ArrayLen(ty) => {
                self.array_item(*ty)?;
                let a = self.operands(op, 1)?;
                // The length of an array never changes (lists grow by
                // replacing their items array).
                let flags = self.heap(ARRAY_LENGTH_OFFSET).with_readonly();
                Some(
                    self.b
                        .ins()
                        .load(types::I64, flags, a[0], ARRAY_LENGTH_OFFSET as i32),
                )
            }
            K::PtrEq | K::PtrNe => {
                let a = self.operands(op, 2)?;
                let cc = if op.kind == K::PtrEq {
                    IntCC::Equal
                } else {
                    IntCC::NotEqual
                };
                Some(self.b.ins().icmp(cc, a[0], a[1]))
            }
            K::TypeIdOf => {
                if !self.first_type(op)?.is_ptr() {
                    return Err(self.err("TypeIdOf of a value that is not a reference"));
                }
                let a = self.operands(op, 1)?;
                // The header's low half (little-endian), in the region of
                // offset 0 with the flags the write barrier tests. An
                // object's type never changes (the collector only sets
                // flags in the high half), so the load is read-only: two
                // of one object are one.
                let off = abi::layout::TYPE_ID_OFFSET;
                let flags = self.heap(off).with_readonly();
                Some(self.b.ins().load(types::I32, flags, a[0], off as i32))
            }
            // The same reference at another type: no code.
            K::PtrCast => {
                if !self.first_type(op)?.is_ptr() || !self.var_type(op.result)?.is_ptr() {
                    return Err(self.err("PtrCast between values that are not references"));
                }
                let a = self.operands(op, 1)?;
                Some(a[0])
            }
            K::DirectCall(g) => {
                let program = self.cx.program;
                let Some(callee) = program.graphs.get(*g) else {
                    return Err(self.err(format!("call of unknown graph {g}")));
                };
                if callee.params().len() != op.args.len() {
                    return Err(self.err(format!(
                        "call of `{}` with {} arguments for {} parameters",
                        callee.name,
                        op.args.len(),
                        callee.params().len()
                    )));
                }
                let args = self.call_args(op)?;
                let f = self.cx.graph_funcs[g.index()];
                self.call(f, &args)
            }
            K::RuntimeCall(name) => self.lower_runtime_call(name, op)?,
            K::JitMergePoint { driver, .. } if self.cx.jit => {
                self.lower_merge_point(*driver, op)?;
                None
            }
            // Without the JIT the merge point is only a mark.
            K::JitMergePoint { .. } => None,
        };
        self.set_result(op.result, v)
    }

    /// A call of a runtime function with the signature of its entry in
    /// `abi::runtime_fns`; a name not in the table, or arguments or a
    /// result that do not fit the entry, are errors. `Void` arguments carry
    /// nothing and are dropped; an integer constant that fits the parameter
    /// but not by its type is passed as the parameter's type; a `Char`
    /// result of a `Word` function is the word's low 32 bits.
    fn lower_runtime_call(&mut self, name: &str, op: &LLOp) -> LResult<Option<Value>> {
        let Some(f) = runtime_fns::lookup(name) else {
            return Err(self.err(format!(
                "call of `{name}`, which is not a runtime function of the table \
                 (abi::runtime_fns)"
            )));
        };
        let mut args = Vec::with_capacity(op.args.len());
        let mut site = Vec::with_capacity(op.args.len());
        for a in &op.args {
            let ty = self.value_type(a)?;
            if ty == LLType::Void {
                continue;
            }
            let int_const = match a {
                LLValue::Const(LLConst::Int(v, t)) => Some((*v, *t)),
                _ => None,
            };
            args.push(a);
            site.push(CallArg { ty, int_const });
        }
        let ret = self.var_type(op.result)?;
        check_runtime_call(self.cx.program, f, &site, ret).map_err(|m| self.err(m))?;
        let fid = self.cx.import_runtime(f).map_err(|m| self.err(m))?;
        let mut vals = Vec::with_capacity(args.len());
        for ((a, s), &want) in args.iter().zip(&site).zip(f.params) {
            let v = if fits(want, s.ty, false) {
                self.value1(a)?
            } else {
                // An integer constant that fits by its value (checked).
                let n = s.int_const.and_then(|(v, t)| const_as(want, v, t));
                match (n, runtime_cl_type(want)) {
                    (Some(n), Some(ty)) => self.b.ins().iconst(ty, mask_imm(n, ty.bits())),
                    _ => return Err(self.err(format!("{name}: argument {a:?} does not fit"))),
                }
            };
            vals.push(v);
        }
        let r = self.call(fid, &vals);
        Ok(match (r, cl_type(ret)) {
            (Some(v), Some(t)) if self.b.func.dfg.value_type(v) != t => {
                Some(self.b.ins().ireduce(t, v))
            }
            (r, _) => r,
        })
    }

    fn call_args(&mut self, op: &LLOp) -> LResult<Vec<Value>> {
        let mut out = Vec::with_capacity(op.args.len());
        for a in &op.args {
            if let Some(v) = self.value(a)? {
                out.push(v);
            }
        }
        Ok(out)
    }

    fn type_kind(&self, ty: GcTypeId) -> LResult<&'_ GcTypeKind> {
        match self.cx.program.types.get(ty) {
            Some(t) => Ok(&t.kind),
            None => Err(self.err(format!("unknown type {ty}"))),
        }
    }

    /// Type and offset of a struct field.
    fn field(&self, ty: GcTypeId, field: u32) -> LResult<(LLType, u32)> {
        match self.type_kind(ty)? {
            GcTypeKind::Struct { fields, .. } => match fields.get(field as usize) {
                Some(f) => Ok((f.ty, f.offset)),
                None => Err(self.err(format!("type {ty} has no field {field}"))),
            },
            _ => Err(self.err(format!("field access on non-struct type {ty}"))),
        }
    }

    /// Item type and size of an array type.
    fn array_item(&self, ty: GcTypeId) -> LResult<(LLType, u32)> {
        match self.type_kind(ty)? {
            GcTypeKind::Array { item, item_size } => Ok((*item, *item_size)),
            _ => Err(self.err(format!("array access on non-array type {ty}"))),
        }
    }

    /// Whether storing `op.args[value]` (into a slot of type `slot`) into
    /// `op.args[0]` needs the write barrier: not for non-references, the
    /// null constant, or an object allocated in this block since the last
    /// call that may collect (it is young).
    fn needs_barrier(&self, op: &LLOp, slot: LLType, value: usize) -> bool {
        if !slot.is_ptr() || matches!(op.args[value], LLValue::Const(LLConst::Null(_))) {
            return false;
        }
        !matches!(op.args[0], LLValue::Var(obj) if self.fresh.contains(&obj))
    }

    fn check_stored(&self, v: Value, slot: LLType) -> LResult<()> {
        let have = self.b.func.dfg.value_type(v);
        if Some(have) != cl_type(slot) {
            return Err(self.err(format!("stores a {have} value into a {slot:?} slot")));
        }
        Ok(())
    }

    /// `array + index * item_size`; the caller adds `ARRAY_ITEMS_OFFSET` as
    /// the access's offset, so x86 folds it all into one addressing mode.
    fn item_addr(&mut self, arr: Value, idx: Value, item_size: u32) -> Value {
        let idx = self.word(idx);
        let off = match item_size {
            1 => idx,
            s if s.is_power_of_two() => self.b.ins().ishl_imm_u(idx, s.trailing_zeros() as i64),
            s => self.b.ins().imul_imm_u(idx, s as i64),
        };
        self.b.ins().iadd(arr, off)
    }
}

fn int_cc(c: Cmp, signed: bool) -> IntCC {
    match (c, signed) {
        (Cmp::Eq, _) => IntCC::Equal,
        (Cmp::Ne, _) => IntCC::NotEqual,
        (Cmp::Lt, true) => IntCC::SignedLessThan,
        (Cmp::Le, true) => IntCC::SignedLessThanOrEqual,
        (Cmp::Gt, true) => IntCC::SignedGreaterThan,
        (Cmp::Ge, true) => IntCC::SignedGreaterThanOrEqual,
        (Cmp::Lt, false) => IntCC::UnsignedLessThan,
        (Cmp::Le, false) => IntCC::UnsignedLessThanOrEqual,
        (Cmp::Gt, false) => IntCC::UnsignedGreaterThan,
        (Cmp::Ge, false) => IntCC::UnsignedGreaterThanOrEqual,
    }
}

/// Rust's float comparisons: all false on NaN except `!=`.
fn float_cc(c: Cmp) -> FloatCC {
    match c {
        Cmp::Eq => FloatCC::Equal,
        Cmp::Ne => FloatCC::NotEqual,
        Cmp::Lt => FloatCC::LessThan,
        Cmp::Le => FloatCC::LessThanOrEqual,
        Cmp::Gt => FloatCC::GreaterThan,
        Cmp::Ge => FloatCC::GreaterThanOrEqual,
    }
}
