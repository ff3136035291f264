//! Low-level ops as jitcode instructions.

use crate::error::CwResult;
use crate::graph::GraphWriter;
use crate::kinds::{int_kind, kind, scalar};
use abi::{ArrayDescr, FieldDescr, FloatBinOp, Insn, IntBinOp, IntKind, IntUnOp, Opnd, Reg};
use cranelift_entity::EntityRef;
use rtyper::llgraph::{CheckKind, Cmp, LLOp, LLOpKind, LLValue};
use rtyper::lltype::{GcTypeId, GcTypeKind, LLType};

pub fn cmp(c: Cmp) -> abi::Cmp {
    match c {
        Cmp::Eq => abi::Cmp::Eq,
        Cmp::Ne => abi::Cmp::Ne,
        Cmp::Lt => abi::Cmp::Lt,
        Cmp::Le => abi::Cmp::Le,
        Cmp::Gt => abi::Cmp::Gt,
        Cmp::Ge => abi::Cmp::Ge,
    }
}

fn int_bin(k: &LLOpKind) -> Option<IntBinOp> {
    Some(match k {
        LLOpKind::IntAdd => IntBinOp::Add,
        LLOpKind::IntSub => IntBinOp::Sub,
        LLOpKind::IntMul => IntBinOp::Mul,
        LLOpKind::IntDiv => IntBinOp::Div,
        LLOpKind::IntRem => IntBinOp::Rem,
        LLOpKind::IntAnd => IntBinOp::And,
        LLOpKind::IntOr => IntBinOp::Or,
        LLOpKind::IntXor => IntBinOp::Xor,
        LLOpKind::IntShl => IntBinOp::Shl,
        LLOpKind::IntShr => IntBinOp::Shr,
        _ => return None,
    })
}

fn float_bin(k: &LLOpKind) -> Option<FloatBinOp> {
    Some(match k {
        LLOpKind::FloatAdd => FloatBinOp::Add,
        LLOpKind::FloatSub => FloatBinOp::Sub,
        LLOpKind::FloatMul => FloatBinOp::Mul,
        LLOpKind::FloatDiv => FloatBinOp::Div,
        LLOpKind::FloatRem => FloatBinOp::Rem,
        _ => return None,
    })
}

impl GraphWriter<'_, '_> {
    fn args(&self, op: &LLOp, n: usize) -> CwResult<()> {
        if op.args.len() != n {
            return Err(self.err(format!(
                "{:?} has {} operands, expected {n}",
                op.kind,
                op.args.len()
            )));
        }
        Ok(())
    }

    fn arg(&mut self, op: &LLOp, i: usize) -> CwResult<Opnd> {
        match op.args.get(i) {
            Some(v) => self.opnd_req(v),
            None => Err(self.err(format!("{:?} lacks operand {i}", op.kind))),
        }
    }

    fn dst(&self, op: &LLOp) -> CwResult<Option<Reg>> {
        self.reg(op.result)
    }

    fn dst_req(&self, op: &LLOp) -> CwResult<Reg> {
        self.dst(op)?
            .ok_or_else(|| self.err(format!("{:?} has a Void result", op.kind)))
    }

    fn int_kind_of(&self, ty: LLType, op: &LLOp) -> CwResult<IntKind> {
        int_kind(ty).ok_or_else(|| self.err(format!("{:?} on {ty:?}", op.kind)))
    }

    fn arg_type(&self, op: &LLOp, i: usize) -> CwResult<LLType> {
        match op.args.get(i) {
            Some(v) => self.value_type(v),
            None => Err(self.err(format!("{:?} lacks operand {i}", op.kind))),
        }
    }

    /// Non-Void operands, in order.
    fn call_args(&mut self, args: &[LLValue]) -> CwResult<Vec<Opnd>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            if let Some(o) = self.opnd(a)? {
                out.push(o);
            }
        }
        Ok(out)
    }

    fn struct_field(&self, ty: GcTypeId, field: u32) -> CwResult<(u32, LLType)> {
        match self.t.program.types.get(ty).map(|d| &d.kind) {
            Some(GcTypeKind::Struct { fields, .. }) => match fields.get(field as usize) {
                Some(f) => Ok((f.offset, f.ty)),
                None => Err(self.err(format!("field {field} of type {} missing", ty.index()))),
            },
            _ => Err(self.err(format!("field access on non-struct type {}", ty.index()))),
        }
    }

    fn array_item(&self, ty: GcTypeId) -> CwResult<(LLType, u32)> {
        match self.t.program.types.get(ty).map(|d| &d.kind) {
            Some(GcTypeKind::Array { item, item_size }) => Ok((*item, *item_size)),
            _ => Err(self.err(format!("array access on non-array type {}", ty.index()))),
        }
    }

    fn type_id(&self, ty: GcTypeId) -> CwResult<u32> {
        u32::try_from(ty.index()).map_err(|_| self.err("type id out of range"))
    }

    fn location(&mut self, op: &LLOp) -> CwResult<u32> {
        let span = op.span;
        let Some(path) = self.t.program.files.get(span.file as usize) else {
            return Err(self.err(format!("span refers to unknown file {}", span.file)));
        };
        let text = format!("{}:{}:{}", path, span.line, span.col);
        self.t.string(text)
    }

    /// Writes the instruction(s) of one op.
    pub fn write_op(&mut self, op: &LLOp) -> CwResult<()> {
        if let Some(bop) = int_bin(&op.kind) {
            self.args(op, 2)?;
            let kind = self.int_kind_of(self.var_type(op.result)?, op)?;
            let insn = Insn::IntBin {
                op: bop,
                kind,
                dst: self.dst_req(op)?,
                a: self.arg(op, 0)?,
                b: self.arg(op, 1)?,
            };
            self.insns.push(insn);
            return Ok(());
        }
        if let Some(fop) = float_bin(&op.kind) {
            self.args(op, 2)?;
            let insn = Insn::FloatBin {
                op: fop,
                dst: self.dst_req(op)?,
                a: self.arg(op, 0)?,
                b: self.arg(op, 1)?,
            };
            self.insns.push(insn);
            return Ok(());
        }
        let insn = match &op.kind {
            // `!b` on a bool is `b ^ 1` (the jitcode's `U8` kind is also
            // the kind of `u8`, whose `!` flips all eight bits).
            LLOpKind::IntNot if self.var_type(op.result)? == LLType::Bool => {
                self.args(op, 1)?;
                Insn::IntBin {
                    op: IntBinOp::Xor,
                    kind: IntKind::BOOL,
                    dst: self.dst_req(op)?,
                    a: self.arg(op, 0)?,
                    b: Opnd::Int(1),
                }
            }
            LLOpKind::IntNeg | LLOpKind::IntNot => {
                self.args(op, 1)?;
                let uop = if op.kind == LLOpKind::IntNeg {
                    IntUnOp::Neg
                } else {
                    IntUnOp::Not
                };
                Insn::IntUn {
                    op: uop,
                    kind: self.int_kind_of(self.var_type(op.result)?, op)?,
                    dst: self.dst_req(op)?,
                    a: self.arg(op, 0)?,
                }
            }
            LLOpKind::IntCmp(c) => {
                self.args(op, 2)?;
                Insn::IntCmp {
                    cmp: cmp(*c),
                    kind: self.int_kind_of(self.arg_type(op, 0)?, op)?,
                    dst: self.dst_req(op)?,
                    a: self.arg(op, 0)?,
                    b: self.arg(op, 1)?,
                }
            }
            LLOpKind::FloatNeg => {
                self.args(op, 1)?;
                Insn::FloatNeg {
                    dst: self.dst_req(op)?,
                    a: self.arg(op, 0)?,
                }
            }
            LLOpKind::FloatCmp(c) => {
                self.args(op, 2)?;
                Insn::FloatCmp {
                    cmp: cmp(*c),
                    dst: self.dst_req(op)?,
                    a: self.arg(op, 0)?,
                    b: self.arg(op, 1)?,
                }
            }
            LLOpKind::Cast => {
                self.args(op, 1)?;
                let (ft, tt) = (self.arg_type(op, 0)?, self.var_type(op.result)?);
                let (Some(from), Some(to)) = (scalar(ft), scalar(tt)) else {
                    return Err(self.err(format!("cast from {ft:?} to {tt:?}")));
                };
                Insn::Cast {
                    from,
                    to,
                    dst: self.dst_req(op)?,
                    a: self.arg(op, 0)?,
                }
            }
            // `promote` is a move that the tracer turns into a constant.
            LLOpKind::SameAs | LLOpKind::JitPromote => {
                self.args(op, 1)?;
                match (self.dst(op)?, self.opnd(&op.args[0])?) {
                    (Some(dst), Some(src)) if matches!(op.kind, LLOpKind::SameAs) => {
                        Insn::Move { dst, src }
                    }
                    (Some(dst), Some(src)) => Insn::Promote { dst, src },
                    (None, None) => return Ok(()),
                    _ => return Err(self.err("same_as between different types")),
                }
            }
            LLOpKind::JitIsJitted => {
                self.args(op, 0)?;
                Insn::IsJitted {
                    dst: self.dst_req(op)?,
                }
            }
            LLOpKind::Check(k) => self.check(*k, op)?,
            LLOpKind::Malloc(t) => {
                self.args(op, 0)?;
                let size = match self.t.program.types.get(*t).map(|d| &d.kind) {
                    Some(GcTypeKind::Struct { size, .. }) => *size,
                    _ => return Err(self.err(format!("malloc of non-struct type {}", t.index()))),
                };
                Insn::New {
                    dst: self.dst_req(op)?,
                    type_id: self.type_id(*t)?,
                    size,
                }
            }
            LLOpKind::MallocArray(t) => {
                self.args(op, 1)?;
                let (_, item_size) = self.array_item(*t)?;
                Insn::NewArray {
                    dst: self.dst_req(op)?,
                    type_id: self.type_id(*t)?,
                    item_size,
                    len: self.arg(op, 0)?,
                }
            }
            LLOpKind::GetField { ty, field } => {
                self.args(op, 1)?;
                let (offset, fty) = self.struct_field(*ty, *field)?;
                let Some(k) = kind(fty) else {
                    // A Void field: nothing to read.
                    return Ok(());
                };
                Insn::GetField {
                    dst: self.dst_req(op)?,
                    obj: self.arg(op, 0)?,
                    field: FieldDescr { offset, kind: k },
                }
            }
            LLOpKind::SetField { ty, field } => {
                self.args(op, 2)?;
                let (offset, fty) = self.struct_field(*ty, *field)?;
                let Some(k) = kind(fty) else {
                    return Ok(());
                };
                Insn::SetField {
                    obj: self.arg(op, 0)?,
                    value: self.arg(op, 1)?,
                    field: FieldDescr { offset, kind: k },
                }
            }
            LLOpKind::GetArrayItem(t) => {
                self.args(op, 2)?;
                let (item, item_size) = self.array_item(*t)?;
                let Some(k) = kind(item) else {
                    return Ok(());
                };
                Insn::GetArrayItem {
                    dst: self.dst_req(op)?,
                    array: self.arg(op, 0)?,
                    index: self.arg(op, 1)?,
                    array_descr: ArrayDescr { item: k, item_size },
                }
            }
            LLOpKind::SetArrayItem(t) => {
                self.args(op, 3)?;
                let (item, item_size) = self.array_item(*t)?;
                let Some(k) = kind(item) else {
                    return Ok(());
                };
                Insn::SetArrayItem {
                    array: self.arg(op, 0)?,
                    index: self.arg(op, 1)?,
                    value: self.arg(op, 2)?,
                    array_descr: ArrayDescr { item: k, item_size },
                }
            }
            LLOpKind::ArrayLen(t) => {
                self.args(op, 1)?;
                self.array_item(*t)?;
                Insn::ArrayLen {
                    dst: self.dst_req(op)?,
                    array: self.arg(op, 0)?,
                }
            }
            LLOpKind::PtrEq | LLOpKind::PtrNe => {
                self.args(op, 2)?;
                Insn::PtrEq {
                    dst: self.dst_req(op)?,
                    a: self.arg(op, 0)?,
                    b: self.arg(op, 1)?,
                    ne: op.kind == LLOpKind::PtrNe,
                }
            }
            LLOpKind::TypeIdOf => {
                self.args(op, 1)?;
                if !self.arg_type(op, 0)?.is_ptr() {
                    return Err(self.err("type_id_of of a value that is not a reference"));
                }
                Insn::TypeIdOf {
                    dst: self.dst_req(op)?,
                    obj: self.arg(op, 0)?,
                }
            }
            // The same reference at another type: a move in the ref bank.
            LLOpKind::PtrCast => {
                self.args(op, 1)?;
                if !self.arg_type(op, 0)?.is_ptr() || !self.var_type(op.result)?.is_ptr() {
                    return Err(self.err("ptr_cast between values that are not references"));
                }
                Insn::Move {
                    dst: self.dst_req(op)?,
                    src: self.arg(op, 0)?,
                }
            }
            LLOpKind::DirectCall(callee) => {
                let call = self
                    .t
                    .graph_call(*callee)
                    .map_err(|e| self.err(e.message))?;
                let args = self.call_args(&op.args)?;
                if args.len() != self.t.calls[call as usize].args.len() {
                    return Err(self.err(format!(
                        "call of `{}` with {} arguments",
                        self.t.calls[call as usize].name,
                        args.len()
                    )));
                }
                Insn::Call {
                    call,
                    args,
                    dst: self.dst(op)?,
                }
            }
            LLOpKind::RuntimeCall(name) => {
                let mut kinds = Vec::with_capacity(op.args.len());
                for a in &op.args {
                    if let Some(k) = kind(self.value_type(a)?) {
                        kinds.push(k);
                    }
                }
                let ret = kind(self.var_type(op.result)?);
                let call = self.t.runtime_call(name, kinds, ret)?;
                Insn::Call {
                    call,
                    args: self.call_args(&op.args)?,
                    dst: self.dst(op)?,
                }
            }
            LLOpKind::JitMergePoint { driver, greens } => self.merge_point(op, *driver, *greens)?,
            _ => return Err(self.err(format!("no instruction for {:?}", op.kind))),
        };
        self.insns.push(insn);
        Ok(())
    }

    fn check(&mut self, k: CheckKind, op: &LLOp) -> CwResult<Insn> {
        let (kind, n) = match k {
            CheckKind::Bounds => (abi::CheckKind::Bounds, 2),
            CheckKind::DivZero => (abi::CheckKind::DivZero, 1),
            CheckKind::RemZero => (abi::CheckKind::RemZero, 1),
            CheckKind::DivOverflow => (
                abi::CheckKind::DivOverflow(self.int_kind_of(self.arg_type(op, 0)?, op)?),
                2,
            ),
            CheckKind::RemOverflow => (
                abi::CheckKind::RemOverflow(self.int_kind_of(self.arg_type(op, 0)?, op)?),
                2,
            ),
            CheckKind::UnwrapNone => (abi::CheckKind::UnwrapNone, 1),
            CheckKind::Expect => (abi::CheckKind::Expect, 2),
        };
        self.args(op, n)?;
        let mut args = Vec::with_capacity(n);
        for i in 0..n {
            args.push(self.arg(op, i)?);
        }
        Ok(Insn::Check {
            kind,
            args,
            loc: self.location(op)?,
        })
    }
}
