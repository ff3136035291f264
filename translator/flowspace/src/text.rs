//! A text form of flow graphs, for tests and `--dot` labels:
//!
//! ```text
//! graph Tape::get(v0: &Tape) -> u8
//! block0(v0):
//!   v1 = getfield[thetape](v0)
//!   return v1
//! ```

use crate::model::{
    Const, Exit, FmtPiece, FunctionGraph, GraphId, Link, Op, OpKind, Program, SliceKind, Ty, UnOp,
    Value,
};
use std::fmt::Write;

pub fn ty_text(p: &Program, t: &Ty) -> String {
    match t {
        Ty::Int(i) => i.name().into(),
        Ty::Bool => "bool".into(),
        Ty::Char => "char".into(),
        Ty::F64 => "f64".into(),
        Ty::Unit => "()".into(),
        Ty::Never => "!".into(),
        // Type parameter `i` of the function (its name is in `generics`).
        Ty::Param(i) => format!("<param {i}>"),
        Ty::Str => "str".into(),
        Ty::String => "String".into(),
        Ty::FmtError => "std::fmt::Error".into(),
        Ty::ParseIntError => "std::num::ParseIntError".into(),
        Ty::ParseFloatError => "std::num::ParseFloatError".into(),
        Ty::TryFromIntError => "std::num::TryFromIntError".into(),
        Ty::Dyn(t) => format!("dyn {}", p.traits.get(*t).map_or("?", |d| d.name.as_str())),
        Ty::Vec(e) => format!("Vec<{}>", ty_text(p, e)),
        Ty::Slice(e) => format!("[{}]", ty_text(p, e)),
        Ty::Box(e) => format!("Box<{}>", ty_text(p, e)),
        Ty::Rc(e) => format!("Rc<{}>", ty_text(p, e)),
        Ty::RefCell(e) => format!("RefCell<{}>", ty_text(p, e)),
        Ty::Cell(e) => format!("Cell<{}>", ty_text(p, e)),
        Ty::Option(e) => format!("Option<{}>", ty_text(p, e)),
        Ty::Result(o, e) => format!("Result<{}, {}>", ty_text(p, o), ty_text(p, e)),
        Ty::HashMap(k, v) => format!("HashMap<{}, {}>", ty_text(p, k), ty_text(p, v)),
        Ty::Tuple(ts) => format!(
            "({})",
            ts.iter()
                .map(|t| ty_text(p, t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ty::Ref { mutable, inner } => {
            format!(
                "&{}{}",
                if *mutable { "mut " } else { "" },
                ty_text(p, inner)
            )
        }
        Ty::Struct(s) => p
            .structs
            .get(*s)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| format!("{s}")),
        Ty::Infer => "_".into(),
    }
}

pub fn const_text(p: &Program, c: &Const) -> String {
    match c {
        Const::Int(v, Some(t)) => format!("{v}{}", t.name()),
        Const::Int(v, None) => format!("{v}"),
        Const::Bool(b) => format!("{b}"),
        Const::Char(c) => format!("{c:?}"),
        Const::Float(f) => format!("{f:?}"),
        Const::Str(s) => format!("{s:?}"),
        Const::ByteStr(b) => format!("b{:?}", String::from_utf8_lossy(b)),
        Const::Unit => "()".into(),
        Const::None => "None".into(),
        Const::Fn(g) => match p.graphs.get(*g) {
            Some(gr) => format!("fn {}", gr.name),
            None => format!("fn {g}"),
        },
    }
}

pub fn value_text(p: &Program, v: &Value) -> String {
    match v {
        Value::Var(v) => format!("{v}"),
        Value::Const(c) => const_text(p, c),
    }
}

fn values_text(p: &Program, vs: &[Value]) -> String {
    vs.iter()
        .map(|v| value_text(p, v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of an op kind with its static parameters: `add`,
/// `getfield[position]`, `call[Tape::new]`.
pub fn op_kind_text(p: &Program, k: &OpKind) -> String {
    match k {
        OpKind::Bin(b) => b.name().into(),
        OpKind::Un(UnOp::Neg) => "neg".into(),
        OpKind::Un(UnOp::Not) => "not".into(),
        OpKind::Cast(t) => format!("cast[{}]", ty_text(p, t)),
        OpKind::SameAs => "same_as".into(),
        OpKind::GetField(f) => format!("getfield[{f}]"),
        OpKind::SetField(f) => format!("setfield[{f}]"),
        OpKind::GetIndex => "getindex".into(),
        OpKind::SetIndex => "setindex".into(),
        OpKind::Slice(k) => match k {
            SliceKind::Range => "slice[a..b]".into(),
            SliceKind::Inclusive => "slice[a..=b]".into(),
            SliceKind::From => "slice[a..]".into(),
        },
        OpKind::NewStruct(s) => format!("new[{}]", ty_text(p, &Ty::Struct(*s))),
        OpKind::NewTuple => "newtuple".into(),
        OpKind::NewVec => "newvec".into(),
        OpKind::NewVecRepeat => "newvec_repeat".into(),
        OpKind::NewVariant(v) => format!("new_variant[{v}]"),
        OpKind::IsVariant(v) => format!("is_variant[{v}]"),
        OpKind::TryContinues => "try_continues".into(),
        OpKind::TryUnwrap => "try_unwrap".into(),
        OpKind::TryResidual => "try_residual".into(),
        OpKind::VariantField { variant, index } => format!("variant_field[{variant}.{index}]"),
        OpKind::NewEnum { ty, variant } => format!("new_enum[{}]", variant_text(p, *ty, *variant)),
        OpKind::IsEnumVariant { ty, variant } => {
            format!("is_enum_variant[{}]", variant_text(p, *ty, *variant))
        }
        OpKind::EnumField { ty, field } => {
            match p.structs.get(*ty).and_then(|d| d.fields.get(*field)) {
                Some(f) => format!("enum_field[{}::{}]", ty_text(p, &Ty::Struct(*ty)), f.name),
                None => format!("enum_field[?{field}]"),
            }
        }
        OpKind::Call(g) => match p.graphs.get(*g) {
            Some(gr) => format!("call[{}]", gr.name),
            None => format!("call[{g}]"),
        },
        OpKind::CallPath(path) => format!("call_path[{}]", path.join("::")),
        OpKind::MethodCall { name, turbofish } => match turbofish {
            Some(t) => format!("method[{name}::<{}>]", ty_text(p, t)),
            None => format!("method[{name}]"),
        },
        OpKind::Format(pieces) => {
            let mut s = String::new();
            for pc in pieces {
                match pc {
                    FmtPiece::Lit(l) => s.push_str(&l.replace('{', "{{").replace('}', "}}")),
                    FmtPiece::Arg(spec) => {
                        if *spec == crate::model::FmtSpec::default() {
                            s.push_str("{}");
                        } else {
                            let _ = write!(s, "{{{spec:?}}}");
                        }
                    }
                }
            }
            format!("format[{s:?}]")
        }
        OpKind::Print(st) => format!("print[{st:?}]"),
        OpKind::Panic => "panic".into(),
        OpKind::Ref { mutable: true } => "ref_mut".into(),
        OpKind::Ref { mutable: false } => "ref".into(),
        OpKind::Deref => "deref".into(),
    }
}

pub fn op_text(p: &Program, op: &Op) -> String {
    format!(
        "{} = {}({})",
        op.result,
        op_kind_text(p, &op.kind),
        values_text(p, &op.args)
    )
}

fn link_text(p: &Program, l: &Link) -> String {
    format!("{}({})", l.target, values_text(p, &l.args))
}

pub fn exit_text(p: &Program, e: &Exit) -> String {
    match e {
        Exit::Goto(l) => format!("goto {}", link_text(p, l)),
        Exit::If {
            cond,
            then_link,
            else_link,
        } => format!(
            "if {} then {} else {}",
            value_text(p, cond),
            link_text(p, then_link),
            link_text(p, else_link)
        ),
        Exit::Switch {
            value,
            cases,
            default,
        } => {
            let mut s = format!("switch {}", value_text(p, value));
            for (c, l) in cases {
                let _ = write!(s, " [{} => {}]", const_text(p, c), link_text(p, l));
            }
            let _ = write!(s, " [_ => {}]", link_text(p, default));
            s
        }
        Exit::Return(v) => format!("return {}", value_text(p, v)),
        Exit::Unreachable => "unreachable".into(),
    }
}

fn var_decl(g: &FunctionGraph, p: &Program, v: crate::model::Var) -> String {
    let d = &g.vars[v];
    let mut s = format!("{v}");
    if let Some(n) = &d.name {
        let _ = write!(s, "/{n}");
    }
    if d.declared != Ty::Infer {
        let _ = write!(s, ": {}", ty_text(p, &d.declared));
    }
    s
}

/// The whole graph as text.
pub fn graph_to_text(p: &Program, id: GraphId) -> String {
    let Some(g) = p.graphs.get(id) else {
        return format!("no graph {id}\n");
    };
    let mut s = String::new();
    let params: Vec<String> = g.params().iter().map(|v| var_decl(g, p, *v)).collect();
    let _ = writeln!(
        s,
        "graph {}({}) -> {}",
        g.name,
        params.join(", "),
        ty_text(p, &g.ret_ty)
    );
    for (b, data) in g.blocks.iter() {
        let ins: Vec<String> = data.inputs.iter().map(|v| var_decl(g, p, *v)).collect();
        let _ = writeln!(s, "{b}({}):", ins.join(", "));
        for op in &data.ops {
            let _ = writeln!(s, "  {}", op_text(p, op));
        }
        let _ = writeln!(s, "  {}", exit_text(p, &data.exit));
    }
    s
}

/// `Enum::Variant`.
fn variant_text(p: &Program, ty: crate::model::StructId, variant: u32) -> String {
    let name = p
        .structs
        .get(ty)
        .and_then(|d| d.enum_def.as_ref())
        .and_then(|e| e.variants.get(variant as usize))
        .map(|v| v.name.as_str())
        .unwrap_or("?");
    format!("{}::{name}", ty_text(p, &Ty::Struct(ty)))
}
