//! A text form of low-level graphs, for tests and debugging:
//!
//! ```text
//! graph Tape::get(v0: Ptr(Tape)) -> u8
//! block0(v0):
//!   v1: usize = getfield<Tape.1>(v0)
//!   ...
//!   return v5
//! ```

use crate::llgraph::*;
use crate::lltype::{GcTypeKind, GcTypes, LLType};
use std::fmt::Write;

pub fn ty_name(types: &GcTypes, t: LLType) -> String {
    match t {
        LLType::Void => "void".into(),
        LLType::Bool => "bool".into(),
        LLType::Int(i) => i.name().into(),
        LLType::Char => "char".into(),
        LLType::Float => "f64".into(),
        LLType::Ptr(p) => format!("*{}", types.get(p).map(|d| d.name.as_str()).unwrap_or("?")),
    }
}

pub fn value(v: &LLValue) -> String {
    match v {
        LLValue::Var(x) => format!("{x}"),
        LLValue::Const(c) => match c {
            LLConst::Int(n, t) => format!("{n}_{}", t.name()),
            LLConst::Bool(b) => format!("{b}"),
            LLConst::Char(c) => format!("{c:?}"),
            LLConst::Float(f) => format!("{f:?}"),
            LLConst::Null(_) => "null".into(),
            LLConst::Prebuilt(p) => format!("{p}"),
            LLConst::Void => "void".into(),
        },
    }
}

/// The op's name as in the dumps: `int_add`, `getfield`, `check_bounds`.
pub fn op_name(types: &GcTypes, k: &LLOpKind) -> String {
    let tn = |t: &crate::lltype::GcTypeId| {
        types
            .get(*t)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| "?".into())
    };
    match k {
        LLOpKind::GetField { ty, field } | LLOpKind::SetField { ty, field } => {
            let fname = match types.get(*ty).map(|d| &d.kind) {
                Some(GcTypeKind::Struct { fields, .. }) => fields
                    .get(*field as usize)
                    .map(|f| f.name.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let op = if matches!(k, LLOpKind::GetField { .. }) {
                "getfield"
            } else {
                "setfield"
            };
            format!("{op}<{}.{fname}>", tn(ty))
        }
        LLOpKind::Malloc(t) => format!("malloc<{}>", tn(t)),
        LLOpKind::MallocArray(t) => format!("malloc_array<{}>", tn(t)),
        LLOpKind::GetArrayItem(t) => format!("getarrayitem<{}>", tn(t)),
        LLOpKind::SetArrayItem(t) => format!("setarrayitem<{}>", tn(t)),
        LLOpKind::ArrayLen(t) => format!("arraylen<{}>", tn(t)),
        LLOpKind::DirectCall(g) => format!("direct_call<{g}>"),
        LLOpKind::RuntimeCall(n) => format!("call<{n}>"),
        LLOpKind::Check(c) => format!("check<{c:?}>"),
        LLOpKind::IntCmp(c) => format!("int_cmp<{c:?}>"),
        LLOpKind::FloatCmp(c) => format!("float_cmp<{c:?}>"),
        other => {
            // IntAdd -> int_add
            let s = format!("{other:?}");
            let mut out = String::new();
            for (i, ch) in s.chars().enumerate() {
                if ch.is_uppercase() {
                    if i > 0 {
                        out.push('_');
                    }
                    out.extend(ch.to_lowercase());
                } else {
                    out.push(ch);
                }
            }
            out
        }
    }
}

fn link(l: &LLLink) -> String {
    let args: Vec<String> = l.args.iter().map(value).collect();
    format!("{}({})", l.target, args.join(", "))
}

/// One graph as text.
pub fn graph_to_text(p: &LLProgram, id: LLGraphId) -> String {
    let mut out = String::new();
    let Some(g) = p.graphs.get(id) else {
        return out;
    };
    let params: Vec<String> = g.params().iter().map(|v| typed_var(p, g, *v)).collect();
    let _ = writeln!(
        out,
        "graph {}({}) -> {}",
        g.name,
        params.join(", "),
        ty_name(&p.types, g.ret)
    );
    for (b, bd) in g.blocks.iter() {
        let inputs: Vec<String> = bd.inputs.iter().map(|v| format!("{v}")).collect();
        let _ = writeln!(out, "{b}({}):", inputs.join(", "));
        for op in &bd.ops {
            let args: Vec<String> = op.args.iter().map(value).collect();
            let t = g.vars.get(op.result).map(|d| d.ty).unwrap_or(LLType::Void);
            let _ = writeln!(
                out,
                "  {}: {} = {}({})",
                op.result,
                ty_name(&p.types, t),
                op_name(&p.types, &op.kind),
                args.join(", ")
            );
        }
        let exit = match &bd.exit {
            LLExit::Goto(l) => format!("goto {}", link(l)),
            LLExit::If {
                cond,
                then_link,
                else_link,
            } => format!(
                "if {} then {} else {}",
                value(cond),
                link(then_link),
                link(else_link)
            ),
            LLExit::Switch {
                value: v,
                cases,
                default,
            } => {
                let cs: Vec<String> = cases
                    .iter()
                    .map(|(n, l)| format!("{n} => {}", link(l)))
                    .collect();
                format!(
                    "switch {} [{}] default {}",
                    value(v),
                    cs.join(", "),
                    link(default)
                )
            }
            LLExit::Return(v) => format!("return {}", value(v)),
            LLExit::Unreachable => "unreachable".into(),
        };
        let _ = writeln!(out, "  {exit}");
    }
    out
}

/// The whole program as text (graphs in id order).
pub fn program_to_text(p: &LLProgram) -> String {
    let mut out = String::new();
    for id in p.graphs.keys() {
        out.push_str(&graph_to_text(p, id));
        out.push('\n');
    }
    out
}

/// `v3: Int(u8)`: a variable with its low-level type (dumps and dot).
pub fn typed_var(p: &LLProgram, g: &LLGraph, v: flowspace::model::Var) -> String {
    let ty = g.vars.get(v).map(|d| d.ty).unwrap_or(LLType::Void);
    format!("{v}: {}", ty_name(&p.types, ty))
}
