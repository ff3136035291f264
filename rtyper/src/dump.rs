//! The text form of low-level programs, for tests, fixtures and debugging.
//! `program_to_text` writes everything `text::parse_program` needs to
//! rebuild the `LLProgram`; `graph_to_text` writes one graph (the same
//! lines as in the whole program).
//!
//! ```text
//! file "targetbf.rs"
//! entry main
//!
//! type Tape = struct { data: *List<u8>, pos: usize }
//! type List<u8> = struct { length: usize, items: *Array<u8> }
//! type Foo = opaque foo_rt
//! type Array<i64> = array i64
//!
//! prebuilt0: Array<u8> = b"hey"
//! prebuilt1: String = { length: 3_usize, items: prebuilt0 }
//! prebuilt2: Array<i64> = [1_i64, -2_i64]
//!
//! #[purefunction, jit_merge_point(greens(pc), reds(tape), get_printable_location = loc)]
//! graph Tape::get(v0: *Tape) -> u8
//! block0(v0):
//!   v1: usize = getfield<Tape.pos>(v0)
//!   v2: bool = int_cmp<lt>(v1, 30000_usize)
//!   if v2 then block1(v0, v1) else block2()
//! block1(v3: *Tape, v4: usize):
//!   ...
//!   return v5
//! block2():
//!   unreachable
//! ```
//!
//! - Sections: `file` lines (the source paths spans point into, in
//!   order), `entry` (the entry graph; without it, `main` or else the
//!   first graph), `type` lines, `prebuilt` lines, then the graphs. The
//!   parser accepts the items in any order and resolves names forward.
//! - Heap types: the well-known types (`lltype::well_known`) are implied
//!   and not written; each `type` line adds the next id from
//!   `well_known::COUNT` on. Layouts (offsets, sizes) are recomputed by
//!   `GcTypeDef::new_struct`/`new_array`, which is how the rtyper makes
//!   them. A type is referred to by its name, `*Name` as a value type;
//!   names that are not words, `::` and balanced brackets are quoted
//!   (`"…"`), and a name two types share is written `Name#id`.
//! - Value types: `void bool char f64 i8 … usize *Name`.
//! - Constants: `3_usize`, `-1_i64` (64-bit unsigned ones as unsigned),
//!   `true`, `'a'` (escapes `\n \t \r \0 \\ \' \u{…}`), `0.5_f64`
//!   (`inf_f64`, `nan_f64`, `0x…_f64bits` for other NaNs), `null<Name>`,
//!   `prebuilt3`, `void`.
//! - Prebuilt objects: `prebuiltN: Type = { field: const, … }` (a
//!   struct, every field in order), `[const, …]` (an array) or `b"…"`
//!   (bytes). They are numbered by their order in the text.
//! - Graphs: an optional hints line (`#[purefunction, dont_look_inside,
//!   unroll_safe, jit_merge_point(greens(..), reds(..),
//!   immutable_greens(..), get_printable_location = g)]`; the merge
//!   point's flow-level `loop_header`, `green_vars`, `red_vars` and `span`
//!   are not kept), the header `graph Name(params) -> Type` (plus
//!   ` start blockN` when the start block is not the first), then the
//!   blocks in order. The start block's label repeats the parameters
//!   without types; other blocks' inputs have types. Each op is
//!   `vN: Type = name<param>(args)` (names in `opnames.rs`); a void op may
//!   be written without `vN: void =` (it gets a fresh variable). Exits:
//!   `goto blockN(args)`, `if v then blockA(..) else blockB(..)`,
//!   `switch v [3 => blockA(..), …] default blockB(..)`, `return v`,
//!   `unreachable`.
//! - Variables keep their numbers (`vN` is `Var` N; unused numbers become
//!   unused void variables); blocks and prebuilts are numbered by their
//!   order of definition. Source names of variables are not kept.
//! - Spans are written only with `TextOptions { spans: true }`, as
//!   `@file:line:col` after an op or a graph header (`file` indexes the
//!   `file` lines); the byte range is not kept. Without one, a span is
//!   the default (file 0, line 0).
//! - `//` starts a comment to the end of the line.

use crate::llgraph::*;
use crate::lltype::{well_known, GcTypeId, GcTypeKind, GcTypes, LLType};
use crate::opnames::{check_name, cmp_name, OpTag};
use crate::text::{
    byte_string, char_literal, float_literal, is_plain_path, is_plain_type_name, is_plain_word,
    quote,
};
use flowspace::model::{FnHints, IntTy};
use flowspace::span::Span;
use std::fmt::Write;

/// What the text form includes beyond the default.
#[derive(Copy, Clone, Debug, Default)]
pub struct TextOptions {
    /// `@file:line:col` after each op and graph header.
    pub spans: bool,
}

/// A heap type as it is referred to: `Tape`, `"odd name"`, `Foo#7`.
pub fn gc_type_ref(types: &GcTypes, t: GcTypeId) -> String {
    let Some(d) = types.get(t) else {
        return format!("?{t}");
    };
    let name = type_name_text(&d.name);
    if types.values().filter(|o| o.name == d.name).count() > 1 {
        format!("{name}#{}", t.as_u32())
    } else {
        name
    }
}

fn type_name_text(n: &str) -> String {
    if is_plain_type_name(n) {
        n.to_string()
    } else {
        quote(n)
    }
}

fn word_text(n: &str) -> String {
    if is_plain_word(n) {
        n.to_string()
    } else {
        quote(n)
    }
}

fn path_text(n: &str) -> String {
    if is_plain_path(n) {
        n.to_string()
    } else {
        quote(n)
    }
}

/// `usize`, `*Tape`: a value type.
pub fn ty_name(types: &GcTypes, t: LLType) -> String {
    match t {
        LLType::Void => "void".into(),
        LLType::Bool => "bool".into(),
        LLType::Int(i) => i.name().into(),
        LLType::Char => "char".into(),
        LLType::Float => "f64".into(),
        LLType::Ptr(p) => format!("*{}", gc_type_ref(types, p)),
    }
}

pub fn const_text(types: &GcTypes, c: &LLConst) -> String {
    match c {
        // 64-bit unsigned values are kept as their bit pattern in an i64.
        LLConst::Int(n, t @ (IntTy::U64 | IntTy::Usize)) => format!("{}_{}", *n as u64, t.name()),
        LLConst::Int(n, t) => format!("{n}_{}", t.name()),
        LLConst::Bool(b) => format!("{b}"),
        LLConst::Char(c) => char_literal(*c),
        LLConst::Float(f) => float_literal(*f),
        LLConst::Null(t) => format!("null<{}>", gc_type_ref(types, *t)),
        LLConst::Prebuilt(p) => format!("{p}"),
        LLConst::Void => "void".into(),
    }
}

/// `v3`, `1_u8`, `null<Tape>`.
pub fn value(types: &GcTypes, v: &LLValue) -> String {
    match v {
        LLValue::Var(x) => format!("{x}"),
        LLValue::Const(c) => const_text(types, c),
    }
}

/// The op's name with its parameter, as in the text form: `int_add`,
/// `getfield<Tape.pos>`, `check<bounds>`, `direct_call<Tape::get>`.
pub fn op_name(p: &LLProgram, k: &LLOpKind) -> String {
    let types = &p.types;
    let base = OpTag::of(k).name();
    let param = match k {
        LLOpKind::IntCmp(c) | LLOpKind::FloatCmp(c) => cmp_name(*c).to_string(),
        LLOpKind::Check(c) => check_name(*c).to_string(),
        LLOpKind::Malloc(t)
        | LLOpKind::MallocArray(t)
        | LLOpKind::GetArrayItem(t)
        | LLOpKind::SetArrayItem(t)
        | LLOpKind::ArrayLen(t) => gc_type_ref(types, *t),
        LLOpKind::GetField { ty, field } | LLOpKind::SetField { ty, field } => {
            let fname = match types.get(*ty).map(|d| &d.kind) {
                Some(GcTypeKind::Struct { fields, .. }) => fields
                    .get(*field as usize)
                    .map(|f| word_text(&f.name))
                    .unwrap_or_else(|| format!("?{field}")),
                _ => format!("?{field}"),
            };
            format!("{}.{fname}", gc_type_ref(types, *ty))
        }
        LLOpKind::DirectCall(g) => match p.graphs.get(*g) {
            Some(cg) => path_text(&cg.name),
            None => format!("?{g}"),
        },
        LLOpKind::RuntimeCall(n) => word_text(n),
        LLOpKind::JitMergePoint { driver, greens } => format!("{driver}, {greens}"),
        LLOpKind::IntAdd
        | LLOpKind::IntSub
        | LLOpKind::IntMul
        | LLOpKind::IntDiv
        | LLOpKind::IntRem
        | LLOpKind::IntAnd
        | LLOpKind::IntOr
        | LLOpKind::IntXor
        | LLOpKind::IntShl
        | LLOpKind::IntShr
        | LLOpKind::IntNeg
        | LLOpKind::IntNot
        | LLOpKind::FloatAdd
        | LLOpKind::FloatSub
        | LLOpKind::FloatMul
        | LLOpKind::FloatDiv
        | LLOpKind::FloatRem
        | LLOpKind::FloatNeg
        | LLOpKind::Cast
        | LLOpKind::SameAs
        | LLOpKind::PtrEq
        | LLOpKind::PtrNe
        | LLOpKind::TypeIdOf
        | LLOpKind::PtrCast
        | LLOpKind::JitPromote
        | LLOpKind::JitIsJitted => return base.to_string(),
    };
    format!("{base}<{param}>")
}

fn link(types: &GcTypes, l: &LLLink) -> String {
    format!("{}({})", l.target, values(types, &l.args))
}

fn values(types: &GcTypes, vs: &[LLValue]) -> String {
    let args: Vec<String> = vs.iter().map(|v| value(types, v)).collect();
    args.join(", ")
}

fn span_text(s: &Span) -> String {
    format!(" @{}:{}:{}", s.file, s.line, s.col)
}

/// The hints line (`#[...]`), or None for default hints.
fn hints_text(h: &FnHints) -> Option<String> {
    let mut items: Vec<String> = vec![];
    if h.purefunction {
        items.push("purefunction".into());
    }
    if h.dont_look_inside {
        items.push("dont_look_inside".into());
    }
    if h.unroll_safe {
        items.push("unroll_safe".into());
    }
    if let Some(mp) = &h.merge_point {
        let list = |v: &[String]| {
            v.iter()
                .map(|n| word_text(n))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = vec![
            format!("greens({})", list(&mp.greens)),
            format!("reds({})", list(&mp.reds)),
        ];
        if !mp.immutable_greens.is_empty() {
            parts.push(format!("immutable_greens({})", list(&mp.immutable_greens)));
        }
        if let Some(g) = &mp.get_printable_location {
            parts.push(format!("get_printable_location = {}", path_text(g)));
        }
        items.push(format!("jit_merge_point({})", parts.join(", ")));
    }
    if items.is_empty() {
        None
    } else {
        Some(format!("#[{}]", items.join(", ")))
    }
}

/// One graph as text.
pub fn graph_to_text(p: &LLProgram, id: LLGraphId) -> String {
    graph_to_text_with(p, id, TextOptions::default())
}

pub fn graph_to_text_with(p: &LLProgram, id: LLGraphId, opts: TextOptions) -> String {
    let mut out = String::new();
    let Some(g) = p.graphs.get(id) else {
        return out;
    };
    let types = &p.types;
    if let Some(h) = hints_text(&g.hints) {
        let _ = writeln!(out, "{h}");
    }
    let params: Vec<String> = g.params().iter().map(|v| typed_var(p, g, *v)).collect();
    let _ = write!(
        out,
        "graph {}({}) -> {}",
        path_text(&g.name),
        params.join(", "),
        ty_name(types, g.ret)
    );
    if opts.spans {
        out.push_str(&span_text(&g.span));
    }
    if g.blocks.keys().next() != Some(g.start) {
        let _ = write!(out, " start {}", g.start);
    }
    out.push('\n');
    for (b, bd) in g.blocks.iter() {
        let inputs: Vec<String> = if b == g.start {
            bd.inputs.iter().map(|v| format!("{v}")).collect()
        } else {
            bd.inputs.iter().map(|v| typed_var(p, g, *v)).collect()
        };
        let _ = writeln!(out, "{b}({}):", inputs.join(", "));
        for op in &bd.ops {
            let _ = write!(
                out,
                "  {} = {}({})",
                typed_var(p, g, op.result),
                op_name(p, &op.kind),
                values(types, &op.args)
            );
            if opts.spans {
                out.push_str(&span_text(&op.span));
            }
            out.push('\n');
        }
        let exit = match &bd.exit {
            LLExit::Goto(l) => format!("goto {}", link(types, l)),
            LLExit::If {
                cond,
                then_link,
                else_link,
            } => format!(
                "if {} then {} else {}",
                value(types, cond),
                link(types, then_link),
                link(types, else_link)
            ),
            LLExit::Switch {
                value: v,
                cases,
                default,
            } => {
                let cs: Vec<String> = cases
                    .iter()
                    .map(|(n, l)| format!("{n} => {}", link(types, l)))
                    .collect();
                format!(
                    "switch {} [{}] default {}",
                    value(types, v),
                    cs.join(", "),
                    link(types, default)
                )
            }
            LLExit::Return(v) => format!("return {}", value(types, v)),
            LLExit::Unreachable => "unreachable".into(),
        };
        let _ = writeln!(out, "  {exit}");
    }
    out
}

/// The whole program as text: files, entry, types, prebuilts, graphs.
pub fn program_to_text(p: &LLProgram) -> String {
    program_to_text_with(p, TextOptions::default())
}

pub fn program_to_text_with(p: &LLProgram, opts: TextOptions) -> String {
    let mut out = String::new();
    for f in &p.files {
        let _ = writeln!(out, "file {}", quote(f));
    }
    if let Some(e) = p.graphs.get(p.entry) {
        let _ = writeln!(out, "entry {}", path_text(&e.name));
    }
    out.push('\n');
    let types = &p.types;
    let user: Vec<_> = types
        .iter()
        .skip(well_known::COUNT as usize)
        .map(|(_, d)| d)
        .collect();
    for d in &user {
        let body = match &d.kind {
            GcTypeKind::Struct { fields, .. } => {
                let fs: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", word_text(&f.name), ty_name(types, f.ty)))
                    .collect();
                if fs.is_empty() {
                    "struct {}".to_string()
                } else {
                    format!("struct {{ {} }}", fs.join(", "))
                }
            }
            GcTypeKind::Array { item, .. } => format!("array {}", ty_name(types, *item)),
            GcTypeKind::Opaque { runtime_name } => format!("opaque {}", word_text(runtime_name)),
        };
        let _ = writeln!(out, "type {} = {body}", type_name_text(&d.name));
    }
    if !user.is_empty() {
        out.push('\n');
    }
    for (id, pb) in p.prebuilt.iter() {
        let data = match &pb.data {
            PrebuiltData::Struct(cs) => {
                let names: Vec<String> = match types.get(pb.ty).map(|d| &d.kind) {
                    Some(GcTypeKind::Struct { fields, .. }) => {
                        fields.iter().map(|f| word_text(&f.name)).collect()
                    }
                    _ => vec![],
                };
                let fs: Vec<String> = cs
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let n = names.get(i).cloned().unwrap_or_else(|| format!("?{i}"));
                        format!("{n}: {}", const_text(types, c))
                    })
                    .collect();
                if fs.is_empty() {
                    "{}".to_string()
                } else {
                    format!("{{ {} }}", fs.join(", "))
                }
            }
            PrebuiltData::Array(cs) => {
                let items: Vec<String> = cs.iter().map(|c| const_text(types, c)).collect();
                format!("[{}]", items.join(", "))
            }
            PrebuiltData::Bytes(b) => byte_string(b),
        };
        let _ = writeln!(out, "{id}: {} = {data}", gc_type_ref(types, pb.ty));
    }
    if !p.prebuilt.is_empty() {
        out.push('\n');
    }
    for id in p.graphs.keys() {
        out.push_str(&graph_to_text_with(p, id, opts));
        out.push('\n');
    }
    out
}

/// `v3: u8`: a variable with its low-level type (dumps and dot).
pub fn typed_var(p: &LLProgram, g: &LLGraph, v: flowspace::model::Var) -> String {
    let ty = g.vars.get(v).map(|d| d.ty).unwrap_or(LLType::Void);
    format!("{v}: {}", ty_name(&p.types, ty))
}
