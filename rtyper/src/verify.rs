//! A verifier of low-level graphs: SSA scoping (each variable defined once
//! and used only in its block after its definition), link arities and
//! types, and the operand types of memory, arithmetic and call operations.
//! Run by the tests on every graph the rtyper produces.

use crate::dump::{op_name, ty_name};
use crate::llgraph::*;
use crate::lltype::{GcTypeKind, LLType};
use flowspace::model::IntTy;
use std::collections::HashSet;

/// All problems found, as `graph: blockN: message` lines.
pub fn verify_program(p: &LLProgram) -> Vec<String> {
    let mut out = vec![];
    for (id, g) in p.graphs.iter() {
        verify_graph(p, id, g, &mut out);
    }
    if p.graphs.get(p.entry).is_none() {
        out.push("entry graph missing".into());
    }
    out
}

fn verify_graph(p: &LLProgram, _id: LLGraphId, g: &LLGraph, out: &mut Vec<String>) {
    let ty = |v: &LLValue| match v {
        LLValue::Var(x) => g.vars.get(*x).map(|d| d.ty).unwrap_or(LLType::Void),
        LLValue::Const(LLConst::Prebuilt(pb)) => p
            .prebuilt
            .get(*pb)
            .map(|b| LLType::Ptr(b.ty))
            .unwrap_or(LLType::Void),
        LLValue::Const(c) => c.ty(&p.prebuilt),
    };
    let mut defined_once: HashSet<flowspace::model::Var> = HashSet::new();
    for (b, bd) in g.blocks.iter() {
        let mut err = |m: String| out.push(format!("{}: {b}: {m}", g.name));
        let mut scope: HashSet<flowspace::model::Var> = HashSet::new();
        for v in &bd.inputs {
            if !defined_once.insert(*v) {
                err(format!("{v} defined twice"));
            }
            if g.vars.get(*v).map(|d| d.ty) == Some(LLType::Void) {
                err(format!("block input {v} is void"));
            }
            scope.insert(*v);
        }
        for op in &bd.ops {
            let name = op_name(p, &op.kind);
            for a in &op.args {
                if let LLValue::Var(v) = a {
                    if !scope.contains(v) {
                        err(format!(
                            "{name}: {v} used outside its block or before it is defined"
                        ));
                    }
                }
            }
            if !defined_once.insert(op.result) {
                err(format!("{} defined twice", op.result));
            }
            scope.insert(op.result);
            let rt = g.vars.get(op.result).map(|d| d.ty).unwrap_or(LLType::Void);
            let at: Vec<LLType> = op.args.iter().map(ty).collect();
            let tn = |t: LLType| ty_name(&p.types, t);
            let mut check = |ok: bool, what: &str| {
                if !ok {
                    let args: Vec<String> = at.iter().map(|t| tn(*t)).collect();
                    err(format!("{name}({}) -> {}: {what}", args.join(", "), tn(rt)));
                }
            };
            let usize_t = LLType::Int(IntTy::Usize);
            match &op.kind {
                LLOpKind::IntAdd
                | LLOpKind::IntSub
                | LLOpKind::IntMul
                | LLOpKind::IntDiv
                | LLOpKind::IntRem
                | LLOpKind::IntAnd
                | LLOpKind::IntOr
                | LLOpKind::IntXor
                | LLOpKind::FloatAdd
                | LLOpKind::FloatSub
                | LLOpKind::FloatMul
                | LLOpKind::FloatDiv
                | LLOpKind::FloatRem => {
                    check(at.len() == 2 && at[0] == rt && at[1] == rt, "operand types")
                }
                LLOpKind::IntShl | LLOpKind::IntShr => check(
                    at.len() == 2 && at[0] == rt && matches!(at[1], LLType::Int(_)),
                    "shift operand types",
                ),
                LLOpKind::IntNeg | LLOpKind::IntNot | LLOpKind::FloatNeg | LLOpKind::JitPromote => {
                    check(at.len() == 1 && at[0] == rt, "operand type")
                }
                LLOpKind::SameAs => check(at.len() == 1 && at[0].fits(rt), "operand type"),
                LLOpKind::JitIsJitted => check(at.is_empty() && rt == LLType::Bool, "no operands"),
                LLOpKind::IntCmp(_) | LLOpKind::FloatCmp(_) => check(
                    at.len() == 2 && at[0] == at[1] && rt == LLType::Bool,
                    "comparison types",
                ),
                LLOpKind::Cast => {
                    // The `as` conversions the backends implement.
                    let ok = matches!(
                        (at.first().copied(), rt),
                        (
                            Some(LLType::Int(_) | LLType::Bool | LLType::Char),
                            LLType::Int(_)
                        ) | (Some(LLType::Int(IntTy::U8)), LLType::Char)
                            | (Some(LLType::Int(_)), LLType::Float)
                            | (Some(LLType::Float), LLType::Int(_))
                    );
                    check(at.len() == 1 && ok, "unsupported cast")
                }
                LLOpKind::Check(k) => {
                    let ok = match k {
                        CheckKind::Bounds => at == [usize_t, usize_t],
                        CheckKind::DivZero | CheckKind::RemZero => at.len() == 1,
                        CheckKind::DivOverflow | CheckKind::RemOverflow => {
                            at.len() == 2 && at[0] == at[1]
                        }
                        CheckKind::UnwrapNone => at == [LLType::Bool],
                        CheckKind::Expect => at.len() == 2 && at[0] == LLType::Bool,
                    };
                    check(ok, "check operands")
                }
                LLOpKind::Malloc(t) => check(at.is_empty() && rt == LLType::Ptr(*t), "malloc"),
                LLOpKind::MallocArray(t) => {
                    check(at == [usize_t] && rt == LLType::Ptr(*t), "malloc_array")
                }
                LLOpKind::GetField { ty: t, field } | LLOpKind::SetField { ty: t, field } => {
                    let fty = match p.types.get(*t).map(|d| &d.kind) {
                        Some(GcTypeKind::Struct { fields, .. }) => {
                            fields.get(*field as usize).map(|f| f.ty)
                        }
                        _ => None,
                    };
                    let get = matches!(op.kind, LLOpKind::GetField { .. });
                    let ok = match fty {
                        None => false,
                        Some(f) if get => at == [LLType::Ptr(*t)] && f.fits(rt),
                        Some(f) => at.len() == 2 && at[0] == LLType::Ptr(*t) && at[1].fits(f),
                    };
                    check(ok, "field access types")
                }
                LLOpKind::GetArrayItem(t) | LLOpKind::SetArrayItem(t) => {
                    let item = match p.types.get(*t).map(|d| &d.kind) {
                        Some(GcTypeKind::Array { item, .. }) => Some(*item),
                        _ => None,
                    };
                    let get = matches!(op.kind, LLOpKind::GetArrayItem(_));
                    let ok = match item {
                        None => false,
                        Some(i) if get => at == [LLType::Ptr(*t), usize_t] && i.fits(rt),
                        Some(i) => {
                            at.len() == 3 && at[..2] == [LLType::Ptr(*t), usize_t] && at[2].fits(i)
                        }
                    };
                    check(ok, "array access types")
                }
                LLOpKind::ArrayLen(t) => {
                    check(at == [LLType::Ptr(*t)] && rt == usize_t, "arraylen types")
                }
                LLOpKind::PtrEq | LLOpKind::PtrNe => check(
                    at.len() == 2 && at[0].is_ptr() && at[1].is_ptr() && rt == LLType::Bool,
                    "pointer comparison",
                ),
                LLOpKind::TypeIdOf => check(
                    at.len() == 1
                        && at[0].is_ptr()
                        && !matches!(op.args[0], LLValue::Const(LLConst::Null(_)))
                        && rt == LLType::Int(IntTy::U32),
                    "type_id_of takes a reference and gives a u32",
                ),
                LLOpKind::PtrCast => check(
                    at.len() == 1 && at[0].is_ptr() && rt.is_ptr(),
                    "ptr_cast takes a reference and gives a reference",
                ),
                LLOpKind::DirectCall(callee) => {
                    let ok = match p.graphs.get(*callee) {
                        Some(c) => {
                            let params: Vec<LLType> = c
                                .params()
                                .iter()
                                .map(|v| c.vars.get(*v).map(|d| d.ty).unwrap_or(LLType::Void))
                                .collect();
                            params.len() == at.len()
                                && at.iter().zip(&params).all(|(a, p)| a.fits(*p))
                                && c.ret.fits(rt)
                        }
                        None => false,
                    };
                    check(ok, "call signature")
                }
                LLOpKind::RuntimeCall(_) => check(
                    at.iter().all(|t| *t != LLType::Void),
                    "void runtime argument",
                ),
                LLOpKind::JitMergePoint { greens, .. } => check(
                    *greens as usize <= at.len()
                        && at.iter().all(|t| *t != LLType::Void)
                        && rt == LLType::Void,
                    "merge point",
                ),
            }
        }
        let check_link = |l: &LLLink, out: &mut Vec<String>| {
            let Some(t) = g.blocks.get(l.target) else {
                out.push(format!("{}: {b}: link to a missing block", g.name));
                return;
            };
            let tys: Vec<LLType> = l.args.iter().map(ty).collect();
            let want: Vec<LLType> = t
                .inputs
                .iter()
                .map(|v| g.vars.get(*v).map(|d| d.ty).unwrap_or(LLType::Void))
                .collect();
            if tys.len() != want.len() || tys.iter().zip(&want).any(|(t, w)| !t.fits(*w)) {
                out.push(format!(
                    "{}: {b}: link to {} passes {} values for {} inputs (or wrong types)",
                    g.name,
                    l.target,
                    tys.len(),
                    want.len()
                ));
            }
            for a in &l.args {
                if let LLValue::Var(v) = a {
                    if !scope.contains(v) {
                        out.push(format!(
                            "{}: {b}: link passes {v} from another block",
                            g.name
                        ));
                    }
                }
            }
        };
        for l in bd.exit.links() {
            check_link(l, out);
        }
        let exit_value = match &bd.exit {
            LLExit::If { cond: v, .. } | LLExit::Switch { value: v, .. } | LLExit::Return(v) => {
                Some(v)
            }
            _ => None,
        };
        if let Some(LLValue::Var(v)) = exit_value {
            if !scope.contains(v) {
                out.push(format!("{}: {b}: exit uses {v} outside its block", g.name));
            }
        }
        match &bd.exit {
            LLExit::If { cond, .. } if ty(cond) != LLType::Bool => {
                out.push(format!("{}: {b}: condition is not a bool", g.name))
            }
            LLExit::Return(v) if !ty(v).fits(g.ret) => {
                out.push(format!("{}: {b}: returns the wrong type", g.name))
            }
            _ => {}
        }
    }
}
