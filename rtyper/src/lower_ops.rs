//! Lowering of the core operations: arithmetic, casts, fields, list
//! indexing (inline, so the JIT sees it), constructors, variants, calls.

use crate::build::{LResult, Lowerer};
use crate::llgraph::*;
use crate::lltype::{well_known, LLType};
use crate::repr::*;
use annotator::{Resolution, SomeValue};
use flowspace::model::{BinOp, Block, IntTy, Op, OpKind, SliceKind, UnOp};

fn cmp_of(op: BinOp) -> Option<Cmp> {
    Some(match op {
        BinOp::Eq => Cmp::Eq,
        BinOp::Ne => Cmp::Ne,
        BinOp::Lt => Cmp::Lt,
        BinOp::Le => Cmp::Le,
        BinOp::Gt => Cmp::Gt,
        BinOp::Ge => Cmp::Ge,
        _ => return None,
    })
}

impl Lowerer<'_, '_> {
    pub fn lower_op(&mut self, b: Block, i: usize, op: &Op) -> LResult<()> {
        let res = op.result;
        let args: Vec<LLValue> = (0..op.args.len())
            .map(|j| self.arg(b, i, op, j))
            .collect::<LResult<_>>()?;
        let a0 = self.op_arg_ann(b, i, op, 0);
        let want = |n: usize| -> LResult<()> {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "internal error: {} operand(s), expected {n}",
                    args.len()
                ))
            }
        };
        match &op.kind {
            OpKind::Bin(bop) => {
                want(2)?;
                let a1 = self.op_arg_ann(b, i, op, 1);
                let method = match self.reprs.anns.resolution(self.g, res) {
                    Some(Resolution::UserMethod(m)) => Some(m),
                    _ => None,
                };
                let is_opt = |a: &SomeValue| matches!(a, SomeValue::Option(_));
                if matches!(bop, BinOp::Eq | BinOp::Ne)
                    && (method.is_some() || is_opt(&a0) || is_opt(&a1))
                {
                    let eq = self.value_eq(args[0], &a0, args[1], &a1, method)?;
                    let v = if *bop == BinOp::Ne {
                        self.emit(LLOpKind::IntNot, vec![eq], LLType::Bool)
                    } else {
                        eq
                    };
                    self.assign(res, v);
                    return Ok(());
                }
                self.lower_bin(*bop, op, &args)
            }
            OpKind::Un(u) => {
                want(1)?;
                let kind = match (u, self.ty_of(&args[0])) {
                    (UnOp::Neg, LLType::Float) => LLOpKind::FloatNeg,
                    (UnOp::Neg, _) => LLOpKind::IntNeg,
                    (UnOp::Not, _) => LLOpKind::IntNot,
                };
                self.emit_to(kind, args, res);
                Ok(())
            }
            OpKind::Cast(_) => {
                want(1)?;
                let (from, to) = (self.ty_of(&args[0]), self.var_ty(res));
                let kind = if from == to {
                    LLOpKind::SameAs
                } else {
                    LLOpKind::Cast
                };
                self.emit_to(kind, args, res);
                Ok(())
            }
            OpKind::SameAs | OpKind::Deref | OpKind::Ref { .. } => {
                want(1)?;
                let mut v = args[0];
                if self.ty_of(&v) != self.var_ty(res) {
                    // `let r: Result<i64, String> = Err(e);` that `widen`
                    // could not give the full type.
                    v = self.convert(v, &a0, &self.ann(res))?;
                }
                self.assign(res, v);
                Ok(())
            }
            OpKind::GetField(name) => {
                want(1)?;
                let (ty, field) = self.field_of(&a0, name)?;
                if self.var_ty(res) != LLType::Void {
                    self.emit_to(LLOpKind::GetField { ty, field }, args, res);
                }
                Ok(())
            }
            OpKind::SetField(name) => {
                want(2)?;
                let (ty, field) = self.field_of(&a0, name)?;
                if self.ty_of(&args[1]) != LLType::Void {
                    self.emit_to(LLOpKind::SetField { ty, field }, args, res);
                }
                Ok(())
            }
            OpKind::GetIndex => {
                want(2)?;
                match a0 {
                    SomeValue::List(l) => {
                        let lr = self.reprs.list_repr(l)?;
                        let items = self.checked_items(lr, args[0], args[1]);
                        self.emit_to(LLOpKind::GetArrayItem(lr.array), vec![items, args[1]], res);
                        Ok(())
                    }
                    SomeValue::Dict(_) => {
                        let key = self.word_of(args[1])?;
                        let loc = self.loc();
                        let ty = self.var_ty(res);
                        let v = self.call_returning_word(
                            "rr_dict_getitem",
                            vec![args[0], key, loc],
                            ty,
                        )?;
                        self.assign(res, v);
                        Ok(())
                    }
                    _ => Err("cannot index this value".into()),
                }
            }
            OpKind::Slice(kind) => {
                want(if *kind == SliceKind::From { 2 } else { 3 })?;
                let u64c = |n: u64| Self::int(n as i64, IntTy::U64);
                // `a..` passes no end; the runtime takes the length.
                let end = args.get(2).copied().unwrap_or(u64c(0));
                let loc = self.loc();
                let v = match self.ann(res) {
                    SomeValue::List(l) => {
                        let lr = self.reprs.list_repr(l)?;
                        self.call(
                            "rr_list_slice",
                            vec![
                                args[0],
                                u64c(lr.list.as_u32() as u64),
                                u64c(lr.array.as_u32() as u64),
                                u64c(lr.item.size() as u64),
                                args[1],
                                end,
                                u64c(kind.code()),
                                loc,
                            ],
                            LLType::Ptr(lr.list),
                        )
                    }
                    SomeValue::Str { .. } => self.call(
                        "rr_str_slice",
                        vec![args[0], args[1], end, u64c(kind.code()), loc],
                        LLType::Ptr(well_known::STRING),
                    ),
                    _ => {
                        return Err("internal error: a slice of neither a list nor a string".into())
                    }
                };
                self.assign(res, v);
                Ok(())
            }
            OpKind::SetIndex => {
                want(3)?;
                let SomeValue::List(l) = a0 else {
                    return Err("cannot assign into this value".into());
                };
                let lr = self.reprs.list_repr(l)?;
                let items = self.checked_items(lr, args[0], args[1]);
                self.emit(
                    LLOpKind::SetArrayItem(lr.array),
                    vec![items, args[1], args[2]],
                    LLType::Void,
                );
                Ok(())
            }
            OpKind::NewStruct(s) => {
                let ty = self.reprs.struct_type(*s)?;
                self.new_object(ty, &args, res);
                Ok(())
            }
            OpKind::NewTuple => {
                let LLType::Ptr(ty) = self.var_ty(res) else {
                    return Ok(()); // `()`
                };
                self.new_object(ty, &args, res);
                Ok(())
            }
            OpKind::NewVec => {
                let SomeValue::List(l) = self.ann(res) else {
                    return Err("internal error: vec! without a list annotation".into());
                };
                let lr = self.reprs.list_repr(l)?;
                let n = Self::int(args.len() as i64, IntTy::Usize);
                let arr = self.emit(
                    LLOpKind::MallocArray(lr.array),
                    vec![n],
                    LLType::Ptr(lr.array),
                );
                for (k, a) in args.iter().enumerate() {
                    self.emit(
                        LLOpKind::SetArrayItem(lr.array),
                        vec![arr, Self::int(k as i64, IntTy::Usize), *a],
                        LLType::Void,
                    );
                }
                self.emit_to(LLOpKind::Malloc(lr.list), vec![], res);
                let list = LLValue::Var(res);
                self.set_field(lr.list, LIST_LENGTH, list, n);
                self.set_field(lr.list, LIST_ITEMS, list, arr);
                Ok(())
            }
            OpKind::NewVecRepeat => {
                want(2)?;
                let SomeValue::List(l) = self.ann(res) else {
                    return Err("internal error: vec! without a list annotation".into());
                };
                let lr = self.reprs.list_repr(l)?;
                if let Some(inner) = self.value_ann(&op.args[0]).filter(|a| a.is_heap()) {
                    return self.repeat_clones(lr, &inner, args[0], args[1], res);
                }
                let word = match (self.ty_of(&args[0]), args[0]) {
                    (LLType::Float, LLValue::Const(LLConst::Float(f)))
                        if f == 0.0 && f.is_sign_positive() =>
                    {
                        Self::int(0, IntTy::U64)
                    }
                    (LLType::Float, _) => {
                        return Err("`vec![x; n]` with a non-zero `f64` is not supported".into())
                    }
                    _ => self.word_of(args[0])?,
                };
                self.emit_to(
                    LLOpKind::RuntimeCall("rr_list_new_filled".into()),
                    vec![
                        Self::int(lr.list.as_u32() as i64, IntTy::U64),
                        Self::int(lr.array.as_u32() as i64, IntTy::U64),
                        Self::int(lr.item.size() as i64, IntTy::U64),
                        args[1],
                        word,
                    ],
                    res,
                );
                Ok(())
            }
            OpKind::NewVariant(name) => {
                want(1)?;
                let v = match (name.as_str(), self.ann(res)) {
                    ("Some", SomeValue::Option(inner)) => self.make_some(&inner, args[0])?,
                    ("Ok" | "Err", SomeValue::Result(o, e)) => {
                        let r = self.reprs.result_repr(&o, &e)?;
                        let obj = self.emit(LLOpKind::Malloc(r.ty), vec![], LLType::Ptr(r.ty));
                        let is_ok = name == "Ok";
                        self.set_field(r.ty, RES_IS_OK, obj, LLValue::Const(LLConst::Bool(is_ok)));
                        let f = if is_ok { RES_OK } else { RES_ERR };
                        self.set_field(r.ty, f, obj, args[0]);
                        obj
                    }
                    _ => return Err(format!("variant `{name}` is not supported here")),
                };
                self.assign(res, v);
                Ok(())
            }
            OpKind::IsVariant(name) => {
                want(1)?;
                let v = match (&a0, name.as_str()) {
                    (SomeValue::Option(inner), "Some" | "None") => {
                        let is_some = self.option_is_some(inner, args[0])?;
                        if name == "Some" {
                            is_some
                        } else {
                            self.emit(LLOpKind::IntNot, vec![is_some], LLType::Bool)
                        }
                    }
                    (SomeValue::Result(o, e), "Ok" | "Err") => {
                        let r = self.reprs.result_repr(o, e)?;
                        let ok = self.get_field(r.ty, RES_IS_OK, args[0], LLType::Bool);
                        if name == "Ok" {
                            ok
                        } else {
                            self.emit(LLOpKind::IntNot, vec![ok], LLType::Bool)
                        }
                    }
                    _ => return Err(format!("pattern `{name}` is not supported here")),
                };
                self.assign(res, v);
                Ok(())
            }
            OpKind::VariantField { variant, .. } => {
                want(1)?;
                let v = match (&a0, variant.as_str()) {
                    (SomeValue::Option(inner), "Some") => self.option_value(inner, args[0])?,
                    (SomeValue::Result(o, e), "Ok" | "Err") => {
                        let r = self.reprs.result_repr(o, e)?;
                        let (f, t) = if variant == "Ok" {
                            (RES_OK, r.ok)
                        } else {
                            (RES_ERR, r.err)
                        };
                        self.get_field(r.ty, f, args[0], t)
                    }
                    _ => return Err(format!("pattern `{variant}(..)` is not supported here")),
                };
                self.assign(res, v);
                Ok(())
            }
            OpKind::TryContinues | OpKind::TryUnwrap => {
                want(1)?;
                let v = match (&a0, &op.kind) {
                    (SomeValue::Option(inner), OpKind::TryContinues) => {
                        self.option_is_some(inner, args[0])?
                    }
                    (SomeValue::Option(inner), _) => self.option_value(inner, args[0])?,
                    (SomeValue::Result(o, e), kind) => {
                        let r = self.reprs.result_repr(o, e)?;
                        if *kind == OpKind::TryContinues {
                            self.get_field(r.ty, RES_IS_OK, args[0], LLType::Bool)
                        } else {
                            self.get_field(r.ty, RES_OK, args[0], r.ok)
                        }
                    }
                    _ => return Err("internal error: `?` on a value that is not tested".into()),
                };
                self.assign(res, v);
                Ok(())
            }
            OpKind::TryResidual => {
                want(1)?;
                let v = match (&a0, self.ann(res)) {
                    (SomeValue::Option(_), SomeValue::Option(inner)) => {
                        LLValue::Const(self.none_of(&inner)?)
                    }
                    (SomeValue::Result(ho, he), SomeValue::Result(o, e)) => {
                        let from = self.reprs.result_repr(ho, he)?;
                        let err = self.get_field(from.ty, RES_ERR, args[0], from.err);
                        let r = self.reprs.result_repr(&o, &e)?;
                        let obj = self.emit(LLOpKind::Malloc(r.ty), vec![], LLType::Ptr(r.ty));
                        self.set_field(r.ty, RES_IS_OK, obj, LLValue::Const(LLConst::Bool(false)));
                        self.set_field(r.ty, RES_ERR, obj, err);
                        obj
                    }
                    _ => return Err("internal error: `?` on a value that is not tested".into()),
                };
                self.assign(res, v);
                Ok(())
            }
            OpKind::NewEnum { ty, variant } => {
                let v = self.new_enum(*ty, *variant, &args)?;
                self.assign(res, v);
                Ok(())
            }
            OpKind::IsEnumVariant { ty, variant } => {
                want(1)?;
                let v = match self.reprs.fieldless_enum(*ty) {
                    Some(t) => {
                        let d = self.discriminant(*ty, *variant)?;
                        self.emit(
                            LLOpKind::IntCmp(Cmp::Eq),
                            vec![args[0], Self::int(d, t)],
                            LLType::Bool,
                        )
                    }
                    None => {
                        let obj = self.reprs.struct_type(*ty)?;
                        let tag = self.get_field(obj, ENUM_TAG, args[0], LLType::Int(IntTy::U32));
                        let k = Self::int(*variant as i64, IntTy::U32);
                        self.emit(LLOpKind::IntCmp(Cmp::Eq), vec![tag, k], LLType::Bool)
                    }
                };
                self.assign(res, v);
                Ok(())
            }
            OpKind::EnumField { ty, field } => {
                want(1)?;
                let obj = self.reprs.struct_type(*ty)?;
                let t = self.var_ty(res);
                let v = self.get_field(obj, ENUM_FIELDS + *field as u32, args[0], t);
                self.assign(res, v);
                Ok(())
            }
            OpKind::Call(callee) => {
                let anns = (0..args.len())
                    .map(|j| self.op_arg_ann(b, i, op, j))
                    .collect();
                let callee = match self.reprs.anns.resolution(self.g, res) {
                    Some(Resolution::Instance(inst)) => inst,
                    _ => *callee,
                };
                self.direct_call(callee, args, anns, res)
            }
            OpKind::MethodCall { name, .. } => match self.reprs.anns.resolution(self.g, res) {
                Some(Resolution::UserMethod(m) | Resolution::Instance(m)) => {
                    let anns = (0..args.len())
                        .map(|j| self.op_arg_ann(b, i, op, j))
                        .collect();
                    self.direct_call(m, args, anns, res)
                }
                Some(Resolution::FuncValue(m)) => {
                    let anns = (1..args.len())
                        .map(|j| self.op_arg_ann(b, i, op, j))
                        .collect();
                    self.direct_call(m, args[1..].to_vec(), anns, res)
                }
                Some(Resolution::DynMethod) => {
                    let anns = (0..args.len())
                        .map(|j| self.op_arg_ann(b, i, op, j))
                        .collect();
                    self.dyn_call(args, anns, res)
                }
                Some(Resolution::Builtin(bi)) => self.lower_builtin(bi, op, &a0, &args),
                None => Err(format!("internal error: method `{name}` was not resolved")),
            },
            OpKind::CallPath(path) => match self.reprs.anns.resolution(self.g, res) {
                Some(Resolution::Builtin(bi)) => self.lower_builtin(bi, op, &a0, &args),
                _ => Err(format!(
                    "internal error: `{}` was not resolved",
                    path.join("::")
                )),
            },
            OpKind::Format(pieces) => {
                let s = self.lower_format(pieces, &args, op)?;
                self.assign(res, s);
                Ok(())
            }
            OpKind::Print(stream) => {
                want(1)?;
                let n = match stream {
                    flowspace::model::Stream::Stdout => 1,
                    flowspace::model::Stream::Stderr => 2,
                };
                self.call(
                    "rr_print",
                    vec![args[0], Self::int(n, IntTy::U64)],
                    LLType::Void,
                );
                Ok(())
            }
            OpKind::Panic => {
                want(1)?;
                let loc = self.loc();
                self.call("rr_panic_str", vec![args[0], loc], LLType::Void);
                self.close(LLExit::Unreachable);
                Ok(())
            }
        }
    }

    fn lower_bin(&mut self, bop: BinOp, op: &Op, args: &[LLValue]) -> LResult<()> {
        let res = op.result;
        let (a, b) = (args[0], args[1]);
        let ta = match self.ty_of(&a) {
            LLType::Void => self.ty_of(&b),
            t => t,
        };
        if ta == LLType::Ptr(well_known::STRING) {
            return self.lower_str_bin(bop, a, b, res);
        }
        if let Some(c) = cmp_of(bop) {
            let kind = if ta == LLType::Float {
                LLOpKind::FloatCmp(c)
            } else {
                LLOpKind::IntCmp(c)
            };
            self.emit_to(kind, vec![a, b], res);
            return Ok(());
        }
        if ta == LLType::Float {
            let kind = match bop {
                BinOp::Add => LLOpKind::FloatAdd,
                BinOp::Sub => LLOpKind::FloatSub,
                BinOp::Mul => LLOpKind::FloatMul,
                BinOp::Div => LLOpKind::FloatDiv,
                BinOp::Rem => LLOpKind::FloatRem,
                _ => return Err(format!("`{}` on f64 is not supported", bop.name())),
            };
            self.emit_to(kind, vec![a, b], res);
            return Ok(());
        }
        let signed = matches!(ta, LLType::Int(t) if t.signed());
        let kind = match bop {
            BinOp::Add => LLOpKind::IntAdd,
            BinOp::Sub => LLOpKind::IntSub,
            BinOp::Mul => LLOpKind::IntMul,
            BinOp::Div | BinOp::Rem => {
                let div = bop == BinOp::Div;
                let zero = if div {
                    CheckKind::DivZero
                } else {
                    CheckKind::RemZero
                };
                self.emit(LLOpKind::Check(zero), vec![b], LLType::Void);
                if signed {
                    let ovf = if div {
                        CheckKind::DivOverflow
                    } else {
                        CheckKind::RemOverflow
                    };
                    self.emit(LLOpKind::Check(ovf), vec![a, b], LLType::Void);
                }
                if div {
                    LLOpKind::IntDiv
                } else {
                    LLOpKind::IntRem
                }
            }
            BinOp::BitAnd => LLOpKind::IntAnd,
            BinOp::BitOr => LLOpKind::IntOr,
            BinOp::BitXor => LLOpKind::IntXor,
            BinOp::Shl => LLOpKind::IntShl,
            BinOp::Shr => LLOpKind::IntShr,
            _ => return Err(format!("internal error: `{}`", bop.name())),
        };
        self.emit_to(kind, vec![a, b], res);
        Ok(())
    }

    fn lower_str_bin(
        &mut self,
        bop: BinOp,
        a: LLValue,
        b: LLValue,
        res: flowspace::model::Var,
    ) -> LResult<()> {
        match bop {
            BinOp::Eq => {
                self.emit_to(LLOpKind::RuntimeCall("rr_str_eq".into()), vec![a, b], res);
            }
            BinOp::Ne => {
                let e = self.call("rr_str_eq", vec![a, b], LLType::Bool);
                self.emit_to(LLOpKind::IntNot, vec![e], res);
            }
            BinOp::Add => {
                self.emit_to(
                    LLOpKind::RuntimeCall("rr_str_concat".into()),
                    vec![a, b],
                    res,
                );
            }
            _ => {
                let Some(c) = cmp_of(bop) else {
                    return Err(format!("`{}` on strings is not supported", bop.name()));
                };
                let r = self.call("rr_str_cmp", vec![a, b], LLType::Int(IntTy::I32));
                self.emit_to(LLOpKind::IntCmp(c), vec![r, Self::int(0, IntTy::I32)], res);
            }
        }
        Ok(())
    }

    /// `a == b` as Rust's `PartialEq` gives it, for `Option`s (equal when
    /// both are `None`, or both `Some` with equal contents) and for values
    /// whose derived `eq` method is `method`; scalars and strings inside.
    pub(crate) fn value_eq(
        &mut self,
        a: LLValue,
        ha: &SomeValue,
        b: LLValue,
        hb: &SomeValue,
        method: Option<flowspace::model::GraphId>,
    ) -> LResult<LLValue> {
        if let (SomeValue::Option(x), SomeValue::Option(y)) = (ha, hb) {
            let is_some = |me: &mut Self, inner: &SomeValue, v: LLValue| {
                if *inner == SomeValue::Impossible {
                    Ok(LLValue::Const(LLConst::Bool(false)))
                } else {
                    me.option_is_some(inner, v)
                }
            };
            let sa = is_some(self, x, a)?;
            let sb = is_some(self, y, b)?;
            let neither = |me: &mut Self| {
                let any = me.emit(LLOpKind::IntOr, vec![sa, sb], LLType::Bool);
                Ok(me.emit(LLOpKind::IntNot, vec![any], LLType::Bool))
            };
            if **x == SomeValue::Impossible || **y == SomeValue::Impossible {
                return neither(self);
            }
            let both = self.emit(LLOpKind::IntAnd, vec![sa, sb], LLType::Bool);
            let (x, y) = ((**x).clone(), (**y).clone());
            return self.emit_select(
                both,
                &[a, b, sa, sb],
                LLType::Bool,
                |me| {
                    let va = me.option_value(&x, a)?;
                    let vb = me.option_value(&y, b)?;
                    me.value_eq(va, &x, vb, &y, method)
                },
                neither,
            );
        }
        if let (SomeValue::Instance(_), Some(m)) = (ha, method) {
            let id = *self
                .graph_ids
                .get(&m)
                .ok_or("internal error: a derived `eq` that was not annotated")?;
            return Ok(self.emit(LLOpKind::DirectCall(id), vec![a, b], LLType::Bool));
        }
        let t = match self.ty_of(&a) {
            LLType::Void => self.ty_of(&b),
            t => t,
        };
        Ok(match t {
            LLType::Ptr(well_known::STRING) => self.call("rr_str_eq", vec![a, b], LLType::Bool),
            LLType::Float => self.emit(LLOpKind::FloatCmp(Cmp::Eq), vec![a, b], LLType::Bool),
            LLType::Int(_) | LLType::Bool | LLType::Char => {
                self.emit(LLOpKind::IntCmp(Cmp::Eq), vec![a, b], LLType::Bool)
            }
            _ => {
                let describe = |x: &SomeValue| self.reprs.anns.describe(self.reprs.prog, x);
                return Err(format!(
                    "internal error: `==` on `{}` has no lowering",
                    describe(ha)
                ));
            }
        })
    }

    /// A method call on a `dyn` object (`Resolution::DynMethod`).
    fn dyn_call(
        &mut self,
        args: Vec<LLValue>,
        arg_anns: Vec<SomeValue>,
        res: flowspace::model::Var,
    ) -> LResult<()> {
        let targets = self
            .reprs
            .anns
            .dyn_calls
            .get(&(self.g, res))
            .cloned()
            .ok_or("internal error: a `dyn` call without targets")?;
        let want = self.ann(res);
        let v = self.dyn_dispatch(&targets, args, arg_anns, &want, &[])?;
        self.assign(res, v);
        Ok(())
    }

    /// A switch on the type id of the object `args[0]` with one arm per
    /// (type, method) of `targets`, each casting the reference to its type
    /// and calling that type's method; the result has the representation
    /// of `want`. `keep` are more values used after the switch.
    pub(crate) fn dyn_dispatch(
        &mut self,
        targets: &[(flowspace::model::StructId, flowspace::model::GraphId)],
        args: Vec<LLValue>,
        arg_anns: Vec<SomeValue>,
        want: &SomeValue,
        keep: &[LLValue],
    ) -> LResult<LLValue> {
        let Some(&obj) = args.first() else {
            return Err("internal error: a `dyn` call without receiver".into());
        };
        let rt = self.reprs.ll(want)?;
        if targets.is_empty() {
            // No object ever reaches this value, so the call is never
            // made; should it be, it stops the program rather than run on.
            let msg = LLValue::Const(LLConst::Prebuilt(
                self.reprs
                    .str_const(b"internal error: a `dyn` call on a value no object reaches"),
            ));
            let loc = self.loc();
            self.call("rr_panic_str", vec![msg, loc], LLType::Void);
            self.close(LLExit::Unreachable);
            return Ok(LLValue::Const(Reprs::zero(rt)));
        }
        let mut cases = Vec::with_capacity(targets.len());
        let mut types = Vec::with_capacity(targets.len());
        for (s, _) in targets {
            let t = self.reprs.struct_type(*s)?;
            cases.push(cranelift_entity::EntityRef::index(t) as i64);
            types.push(t);
        }
        let tid = if targets.len() > 1 {
            self.emit(LLOpKind::TypeIdOf, vec![obj], LLType::Int(IntTy::U32))
        } else {
            LLValue::Const(LLConst::Void)
        };
        let mut carried = args.clone();
        carried.extend_from_slice(keep);
        self.emit_switch(tid, &cases, &carried, rt, |me, k| {
            let (s, m) = targets[k];
            let this = me.emit(LLOpKind::PtrCast, vec![obj], LLType::Ptr(types[k]));
            let mut own_args = args.clone();
            own_args[0] = this;
            let mut own_anns = arg_anns.clone();
            if let Some(a) = own_anns.first_mut() {
                *a = SomeValue::Instance(s);
            }
            me.call_returning(m, own_args, own_anns, want)
        })
    }

    fn direct_call(
        &mut self,
        callee: flowspace::model::GraphId,
        args: Vec<LLValue>,
        arg_anns: Vec<SomeValue>,
        res: flowspace::model::Var,
    ) -> LResult<()> {
        let (kind, args) = self.call_of(callee, args, arg_anns)?;
        self.emit_to(kind, args, res);
        Ok(())
    }

    /// Calls graph `m` with `args` (annotated `arg_anns`); the result has
    /// the representation of `want` (which holds what `m` returns).
    pub(crate) fn call_returning(
        &mut self,
        m: flowspace::model::GraphId,
        args: Vec<LLValue>,
        arg_anns: Vec<SomeValue>,
        want: &SomeValue,
    ) -> LResult<LLValue> {
        let (kind, call_args) = self.call_of(m, args, arg_anns)?;
        let have = self
            .reprs
            .anns
            .returns
            .get(&m)
            .cloned()
            .unwrap_or(SomeValue::Impossible);
        let ret = self.reprs.ll(&have)?;
        let r = self.emit(kind, call_args, ret);
        if self.reprs.ll(want)? == LLType::Void {
            return Ok(LLValue::Const(LLConst::Void));
        }
        self.convert(r, &have, want)
    }

    /// The call of graph `callee` with `args` (annotated `arg_anns`), each
    /// converted to its parameter's representation.
    pub(crate) fn call_of(
        &mut self,
        callee: flowspace::model::GraphId,
        args: Vec<LLValue>,
        arg_anns: Vec<SomeValue>,
    ) -> LResult<(LLOpKind, Vec<LLValue>)> {
        let id = *self
            .graph_ids
            .get(&callee)
            .ok_or_else(|| "internal error: call of a graph that was not annotated".to_string())?;
        // Each argument gets the parameter's representation: a value whose
        // annotation is narrower (`(Some(3), None)` passed as `(Option<i64>,
        // Option<i64>)`) is converted, never passed on as the wrong bits.
        let anns = self.reprs.anns;
        let params: Vec<SomeValue> = self
            .reprs
            .prog
            .graphs
            .get(callee)
            .map(|gr| gr.params().iter().map(|p| anns.var(callee, *p)).collect())
            .unwrap_or_default();
        let mut converted = Vec::with_capacity(args.len());
        for (k, a) in args.into_iter().enumerate() {
            match (arg_anns.get(k), params.get(k)) {
                (Some(have), Some(want)) => converted.push(self.convert(a, have, want)?),
                _ => converted.push(a),
            }
        }
        let args: Vec<LLValue> = converted
            .into_iter()
            .filter(|a| self.ty_of(a) != LLType::Void)
            .collect();
        Ok((LLOpKind::DirectCall(id), args))
    }

    /// `v` (annotated `have`) in the representation of `want`, which
    /// contains it: the same value when the representations agree, the
    /// target's `None` for a value that is only ever `None`, a rebuilt
    /// tuple when the elements differ. Anything else is refused.
    pub(crate) fn convert(
        &mut self,
        v: LLValue,
        have: &SomeValue,
        want: &SomeValue,
    ) -> LResult<LLValue> {
        let (hty, wty) = (self.ty_of(&v), self.reprs.ll(want)?);
        if hty.fits(wty) || hty == LLType::Void || wty == LLType::Void {
            return Ok(v);
        }
        match (have, want) {
            (SomeValue::Option(h), SomeValue::Option(inner)) if **h == SomeValue::Impossible => {
                Ok(LLValue::Const(self.none_of(inner)?))
            }
            (SomeValue::Result(ho, he), SomeValue::Result(wo, we)) => {
                // A side the value never has (`Ok` of an `Err(e)`) is left
                // zero; the other keeps its bits, which must not change.
                let (from, to) = (
                    self.reprs.result_repr(ho, he)?,
                    self.reprs.result_repr(wo, we)?,
                );
                let side = |h: &SomeValue, f: LLType, t: LLType| {
                    h.is_impossible() || f == t || f == LLType::Void
                };
                if !side(ho, from.ok, to.ok) || !side(he, from.err, to.err) {
                    return Err(self.no_conversion(have, want));
                }
                let is_ok = self.get_field(from.ty, RES_IS_OK, v, LLType::Bool);
                let mut parts = vec![];
                for (h, f, t, k) in [
                    (ho, from.ok, to.ok, RES_OK),
                    (he, from.err, to.err, RES_ERR),
                ] {
                    if !h.is_impossible() && t != LLType::Void {
                        parts.push((k, self.get_field(from.ty, k, v, f)));
                    }
                }
                let obj = self.emit(LLOpKind::Malloc(to.ty), vec![], LLType::Ptr(to.ty));
                self.set_field(to.ty, RES_IS_OK, obj, is_ok);
                for (k, x) in parts {
                    self.set_field(to.ty, k, obj, x);
                }
                Ok(obj)
            }
            (SomeValue::Tuple(hs), SomeValue::Tuple(ws)) if hs.len() == ws.len() => {
                let (LLType::Ptr(from), LLType::Ptr(to)) = (hty, wty) else {
                    return Err("internal error: a tuple that is not an object".into());
                };
                let mut fields = Vec::with_capacity(hs.len());
                for (k, (h, w)) in hs.iter().zip(ws).enumerate() {
                    let t = self.reprs.ll(h)?;
                    let x = self.get_field(from, k as u32, v, t);
                    fields.push(self.convert(x, h, w)?);
                }
                let obj = self.emit(LLOpKind::Malloc(to), vec![], LLType::Ptr(to));
                for (k, x) in fields.into_iter().enumerate() {
                    self.set_field(to, k as u32, obj, x);
                }
                Ok(obj)
            }
            _ => Err(self.no_conversion(have, want)),
        }
    }

    fn no_conversion(&self, have: &SomeValue, want: &SomeValue) -> String {
        let describe = |x: &SomeValue| self.reprs.anns.describe(self.reprs.prog, x);
        format!(
            "a value of type `{}` is used where `{}` is expected, and their representations \
             differ: the translator cannot convert it yet\nhelp: give the value its full type \
             through a variable first: `let x: {} = ...;`",
            describe(have),
            describe(want),
            describe(want)
        )
    }

    /// `vec![x; n]` for a string or list `x`: `n` fresh copies.
    fn repeat_clones(
        &mut self,
        lr: ListRepr,
        inner: &SomeValue,
        x: LLValue,
        n: LLValue,
        res: flowspace::model::Var,
    ) -> LResult<()> {
        let xr = match inner {
            SomeValue::List(l) => self.reprs.list_repr(*l)?,
            _ => self.reprs.list_of(LLType::Int(IntTy::U8)),
        };
        let u = |k: i64| Self::int(k, IntTy::U64);
        let list = self.call(
            "rr_list_new",
            vec![
                u(lr.list.as_u32() as i64),
                u(lr.array.as_u32() as i64),
                u(lr.item.size() as i64),
                n,
            ],
            LLType::Ptr(lr.list),
        );
        // A `Copy` struct or enum is never written: every item is `x`.
        let shared = matches!(inner, SomeValue::Instance(_));
        self.emit_counted_loop(n, &[list, x], |me, i| {
            let c = if shared {
                x
            } else {
                me.call(
                    "rr_list_clone",
                    vec![
                        x,
                        u(xr.list.as_u32() as i64),
                        u(xr.array.as_u32() as i64),
                        u(xr.item.size() as i64),
                    ],
                    LLType::Ptr(xr.list),
                )
            };
            let items = me.get_field(lr.list, LIST_ITEMS, list, LLType::Ptr(lr.array));
            me.emit(
                LLOpKind::SetArrayItem(lr.array),
                vec![items, i, c],
                LLType::Void,
            );
            Ok(())
        })?;
        self.set_field(lr.list, LIST_LENGTH, list, n);
        self.assign(res, list);
        Ok(())
    }

    // ------------------------------------------------------- helpers

    pub fn get_field(
        &mut self,
        ty: crate::lltype::GcTypeId,
        f: u32,
        obj: LLValue,
        t: LLType,
    ) -> LLValue {
        if t == LLType::Void {
            return LLValue::Const(LLConst::Void);
        }
        self.emit(LLOpKind::GetField { ty, field: f }, vec![obj], t)
    }

    pub fn set_field(&mut self, ty: crate::lltype::GcTypeId, f: u32, obj: LLValue, v: LLValue) {
        if self.ty_of(&v) == LLType::Void {
            return;
        }
        self.emit(
            LLOpKind::SetField { ty, field: f },
            vec![obj, v],
            LLType::Void,
        );
    }

    /// A value of a user enum's variant: the discriminant of a fieldless
    /// enum, the shared object of a unit variant, or a new object.
    fn new_enum(
        &mut self,
        ty: flowspace::model::StructId,
        variant: u32,
        args: &[LLValue],
    ) -> LResult<LLValue> {
        if let Some(t) = self.reprs.fieldless_enum(ty) {
            let d = self.discriminant(ty, variant)?;
            return Ok(Self::int(d, t));
        }
        let obj = self.reprs.struct_type(ty)?;
        let first = self
            .reprs
            .prog
            .structs
            .get(ty)
            .and_then(|d| d.enum_def.as_ref())
            .and_then(|e| e.variants.get(variant as usize))
            .map(|v| v.first_field)
            .ok_or("internal error: unknown variant")?;
        if args.is_empty() {
            let p = self.reprs.unit_variant_const(obj, variant);
            return Ok(LLValue::Const(LLConst::Prebuilt(p)));
        }
        let v = self.emit(LLOpKind::Malloc(obj), vec![], LLType::Ptr(obj));
        let tag = Self::int(variant as i64, IntTy::U32);
        self.set_field(obj, ENUM_TAG, v, tag);
        for (k, a) in args.iter().enumerate() {
            self.set_field(obj, ENUM_FIELDS + (first + k) as u32, v, *a);
        }
        Ok(v)
    }

    /// The discriminant of a variant, as `as` gives it.
    fn discriminant(&self, ty: flowspace::model::StructId, variant: u32) -> LResult<i64> {
        self.reprs
            .prog
            .structs
            .get(ty)
            .and_then(|d| d.enum_def.as_ref())
            .and_then(|e| e.variants.get(variant as usize))
            .map(|v| v.discriminant as i64)
            .ok_or_else(|| "internal error: unknown variant".to_string())
    }

    /// A new struct object with its fields set from `args`.
    fn new_object(
        &mut self,
        ty: crate::lltype::GcTypeId,
        args: &[LLValue],
        res: flowspace::model::Var,
    ) {
        self.emit_to(LLOpKind::Malloc(ty), vec![], res);
        for (k, a) in args.iter().enumerate() {
            self.set_field(ty, k as u32, LLValue::Var(res), *a);
        }
    }

    /// `list.items` after the bounds check of `index`.
    pub fn checked_items(&mut self, lr: ListRepr, list: LLValue, index: LLValue) -> LLValue {
        let len = self.get_field(lr.list, LIST_LENGTH, list, LLType::Int(IntTy::Usize));
        self.emit(
            LLOpKind::Check(CheckKind::Bounds),
            vec![index, len],
            LLType::Void,
        );
        self.get_field(lr.list, LIST_ITEMS, list, LLType::Ptr(lr.array))
    }

    fn field_of(&mut self, obj: &SomeValue, name: &str) -> LResult<(crate::lltype::GcTypeId, u32)> {
        match obj {
            SomeValue::Instance(s) => {
                let ty = self.reprs.struct_type(*s)?;
                let idx = self
                    .reprs
                    .prog
                    .structs
                    .get(*s)
                    .and_then(|d| d.field_index(name))
                    .ok_or_else(|| format!("no field `{name}`"))?;
                Ok((ty, idx as u32))
            }
            SomeValue::Tuple(_) => {
                let LLType::Ptr(ty) = self.reprs.ll(obj)? else {
                    return Err("internal error: tuple representation".into());
                };
                let idx: u32 = name.parse().map_err(|_| format!("no field `{name}`"))?;
                Ok((ty, idx))
            }
            _ => Err(format!("no field `{name}` here")),
        }
    }

    /// The `None` of `Option<inner>`: a null pointer or a prebuilt object.
    pub fn none_of(&mut self, inner: &SomeValue) -> LResult<LLConst> {
        Ok(match self.reprs.option_repr(inner)? {
            OptRepr::Nullable(t) => LLConst::Null(t),
            OptRepr::Boxed { ty, value } => LLConst::Prebuilt(self.reprs.none_const(ty, value)),
        })
    }

    pub fn make_some(&mut self, inner: &SomeValue, v: LLValue) -> LResult<LLValue> {
        Ok(match self.reprs.option_repr(inner)? {
            OptRepr::Nullable(_) => v,
            OptRepr::Boxed { ty, .. } => {
                let obj = self.emit(LLOpKind::Malloc(ty), vec![], LLType::Ptr(ty));
                self.set_field(ty, OPT_IS_SOME, obj, LLValue::Const(LLConst::Bool(true)));
                self.set_field(ty, OPT_VALUE, obj, v);
                obj
            }
        })
    }

    pub fn make_none(&mut self, inner: &SomeValue) -> LResult<LLValue> {
        Ok(LLValue::Const(match self.reprs.option_repr(inner)? {
            OptRepr::Nullable(t) => LLConst::Null(t),
            OptRepr::Boxed { ty, value } => LLConst::Prebuilt(self.reprs.none_const(ty, value)),
        }))
    }

    pub fn option_is_some(&mut self, inner: &SomeValue, opt: LLValue) -> LResult<LLValue> {
        Ok(match self.reprs.option_repr(inner)? {
            OptRepr::Nullable(t) => self.emit(
                LLOpKind::PtrNe,
                vec![opt, LLValue::Const(LLConst::Null(t))],
                LLType::Bool,
            ),
            OptRepr::Boxed { ty, .. } => self.get_field(ty, OPT_IS_SOME, opt, LLType::Bool),
        })
    }

    pub fn option_value(&mut self, inner: &SomeValue, opt: LLValue) -> LResult<LLValue> {
        Ok(match self.reprs.option_repr(inner)? {
            OptRepr::Nullable(_) => opt,
            OptRepr::Boxed { ty, value } => self.get_field(ty, OPT_VALUE, opt, value),
        })
    }

    /// A value as the 64-bit word the runtime's dicts and fills take.
    pub fn word_of(&mut self, v: LLValue) -> LResult<LLValue> {
        Ok(match self.ty_of(&v) {
            LLType::Int(IntTy::U64) | LLType::Ptr(_) => v,
            LLType::Int(_) | LLType::Bool | LLType::Char => {
                self.emit(LLOpKind::Cast, vec![v], LLType::Int(IntTy::U64))
            }
            LLType::Void => Self::int(0, IntTy::U64),
            LLType::Float => return Err("`f64` keys and values are not supported here".into()),
        })
    }

    /// Calls a runtime function returning a word, converted to `ty`.
    pub fn call_returning_word(
        &mut self,
        name: &str,
        args: Vec<LLValue>,
        ty: LLType,
    ) -> LResult<LLValue> {
        Ok(match ty {
            // A char comes back in the low 32 bits of the word register.
            LLType::Int(IntTy::U64) | LLType::Ptr(_) | LLType::Char => self.call(name, args, ty),
            LLType::Int(_) => {
                let w = self.call(name, args, LLType::Int(IntTy::U64));
                self.emit(LLOpKind::Cast, vec![w], ty)
            }
            LLType::Bool => {
                let w = self.call(name, args, LLType::Int(IntTy::U64));
                self.emit(
                    LLOpKind::IntCmp(Cmp::Ne),
                    vec![w, Self::int(0, IntTy::U64)],
                    LLType::Bool,
                )
            }
            LLType::Void => {
                self.call(name, args, LLType::Int(IntTy::U64));
                LLValue::Const(LLConst::Void)
            }
            LLType::Float => return Err("`f64` values in a HashMap are not supported".into()),
        })
    }
}
