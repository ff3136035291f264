//! Lowering one annotated flow graph to a low-level graph: blocks, exits
//! and operands (constants get their low-level form here). The operations
//! themselves are in `lower_ops.rs` and `lower_builtins.rs`.

use crate::build::{LResult, Lowerer};
use crate::llgraph::*;
use crate::lltype::LLType;
use crate::repr::{OptRepr, Reprs};
use annotator::{Resolution, Site, SomeValue};
use flowspace::model::{Block, BlockData, Const, Exit, GraphId, IntTy, Op, OpKind, Value, Var};
use flowspace::Diagnostic;
use std::collections::{HashMap, HashSet};

pub fn lower_graph(
    reprs: &mut Reprs<'_>,
    g: GraphId,
    graph_ids: &HashMap<GraphId, LLGraphId>,
    files: &[String],
) -> Result<LLGraph, Diagnostic> {
    let prog = reprs.prog;
    let anns = reprs.anns;
    let gr = prog
        .graphs
        .get(g)
        .ok_or_else(|| Diagnostic::global("internal error: unknown graph"))?;
    let mut var_types = Vec::with_capacity(gr.vars.len());
    for (v, vd) in gr.vars.iter() {
        let t = reprs
            .ll(&anns.var(g, v))
            .map_err(|m| rejected(gr.span, m))?;
        var_types.push((t, vd.name.clone()));
    }
    let ret = match anns.returns.get(&g) {
        Some(a) => reprs.ll(a).map_err(|m| rejected(gr.span, m))?,
        None => LLType::Void,
    };
    let mut lw = Lowerer::new(reprs, g, graph_ids, files, gr.blocks.len(), var_types);
    let mut hints = gr.hints.clone();
    for (b, bd) in gr.blocks.iter() {
        if !anns.block_reached(g, b) {
            continue;
        }
        let inputs: Vec<Var> = bd
            .inputs
            .iter()
            .copied()
            .filter(|v| lw.var_ty(*v) != LLType::Void)
            .collect();
        lw.start(b, inputs);
        if let Some(mp) = gr
            .hints
            .merge_point
            .as_ref()
            .filter(|m| m.loop_header == Some(b))
        {
            emit_merge_point(&mut lw, prog, g, mp, &mut hints)?;
        }
        let live = live_sets(bd);
        for (i, op) in bd.ops.iter().enumerate() {
            lw.span = panic_span(prog, anns, g, op);
            let dead_arg = op.args.iter().any(|a| match a {
                Value::Var(v) => anns.var(g, *v).is_impossible(),
                Value::Const(_) => false,
            });
            if dead_arg {
                lw.close(LLExit::Unreachable);
                break;
            }
            lw.live = live.get(i).cloned().unwrap_or_default();
            lw.lower_op(b, i, op).map_err(|m| rejected(op.span, m))?;
            if anns.var(g, op.result).is_impossible() && lw.is_open() {
                // The operation never returns (exit, panic, a diverging call).
                lw.close(LLExit::Unreachable);
            }
            if !lw.is_open() {
                break;
            }
        }
        if lw.is_open() {
            let span = bd.ops.last().map(|o| o.span).unwrap_or(gr.span);
            lw.span = span;
            lw.lower_exit(b, &bd.exit).map_err(|m| rejected(span, m))?;
        }
    }
    Ok(LLGraph {
        name: gr.name.clone(),
        ret,
        start: gr.start,
        blocks: lw.blocks,
        vars: lw.vars,
        hints,
        span: gr.span,
    })
}

/// The merge point as the first op of the loop head: its args are the
/// greens, then the reds, without the zero-sized ones (`Void`: an
/// `io::Stdout` handle), whose names are dropped from the low-level
/// graph's hints too, so names and args stay in step.
fn emit_merge_point(
    lw: &mut Lowerer<'_, '_>,
    prog: &flowspace::model::Program,
    g: GraphId,
    mp: &flowspace::model::MergePoint,
    hints: &mut flowspace::model::FnHints,
) -> Result<(), Diagnostic> {
    // A green identifies a position in the interpreted program, so it must
    // not change while the loop runs: a heap green must be a shared
    // reference (the JIT then reads through it at trace time).
    for (n, v) in mp.greens.iter().zip(&mp.green_vars) {
        if matches!(lw.var_ty(*v), LLType::Ptr(_)) && !mp.immutable_greens.contains(n) {
            let span = mp.span.unwrap_or(prog.graphs[g].span);
            return Err(Diagnostic::error(
                span,
                format!(
                    "the green `{n}` is a heap value that the interpreter could change while \
                     the loop runs"
                ),
            )
            .label("in this #[jit_merge_point]")
            .help(format!(
                "a green must stay the same while the dispatch loop runs: make `{n}` a \
                 parameter of `{}` declared as a shared reference (such as `{n}: &[u8]` \
                 or `{n}: &Vec<i64>`), or list it in reds(..)",
                prog.graphs[g].name
            )));
        }
    }
    let driver = prog
        .graphs
        .iter()
        .filter(|(id, gr)| *id < g && gr.hints.merge_point.is_some())
        .count() as u32;
    let mut args = Vec::new();
    let keep = |names: &[String], vars: &[Var], args: &mut Vec<LLValue>| -> Vec<String> {
        let mut kept = Vec::new();
        for (n, v) in names.iter().zip(vars) {
            if lw.var_ty(*v) != LLType::Void {
                args.push(LLValue::Var(*v));
                kept.push(n.clone());
            }
        }
        kept
    };
    let greens = keep(&mp.greens, &mp.green_vars, &mut args);
    let reds = keep(&mp.reds, &mp.red_vars, &mut args);
    let n_greens = greens.len() as u32;
    if let Some(m) = hints.merge_point.as_mut() {
        m.greens = greens;
        m.reds = reds;
    }
    lw.emit(
        LLOpKind::JitMergePoint {
            driver,
            greens: n_greens,
        },
        args,
        LLType::Void,
    );
    Ok(())
}

/// A lowering error as a diagnostic. A message may carry its own help
/// after a `\nhelp: ` line; otherwise the help points at docs/rrust.md.
fn rejected(span: flowspace::Span, m: String) -> Diagnostic {
    // A broken invariant of the translator itself: not the program's fault,
    // so no advice to rewrite it.
    if let Some(what) = m.strip_prefix("internal error: ") {
        return Diagnostic::error(span, format!("internal error in the rtyper: {what}"))
            .label("the translator failed on this code")
            .help(
                "this is a bug in rrust, not in your program; please report it with the \
                 source file that shows it",
            );
    }
    let (m, help) = match m.split_once("\nhelp: ") {
        Some((m, h)) => (m.to_string(), h.to_string()),
        None => (
            m,
            "write it with the types and operations RRust supports (docs/rrust.md lists them)"
                .to_string(),
        ),
    };
    Diagnostic::error(span, m)
        .label("rejected by the rtyper")
        .help(help)
}

/// For each op index, the variables defined up to it and used after it.
fn live_sets(bd: &BlockData) -> Vec<Vec<Var>> {
    let mut used_after: Vec<HashSet<Var>> = vec![HashSet::new(); bd.ops.len()];
    let mut acc: HashSet<Var> = HashSet::new();
    let add = |acc: &mut HashSet<Var>, v: &Value| {
        if let Value::Var(x) = v {
            acc.insert(*x);
        }
    };
    match &bd.exit {
        Exit::If { cond, .. } => add(&mut acc, cond),
        Exit::Switch { value, .. } => add(&mut acc, value),
        Exit::Return(v) => add(&mut acc, v),
        _ => {}
    }
    for l in bd.exit.links() {
        for a in &l.args {
            add(&mut acc, a);
        }
    }
    for i in (0..bd.ops.len()).rev() {
        if let Some(slot) = used_after.get_mut(i) {
            *slot = acc.clone();
        }
        if let Some(op) = bd.ops.get(i) {
            for a in &op.args {
                add(&mut acc, a);
            }
        }
    }
    let mut defined: Vec<Var> = bd.inputs.clone();
    let mut out = Vec::with_capacity(bd.ops.len());
    for (i, op) in bd.ops.iter().enumerate() {
        let ua = used_after.get(i);
        out.push(
            defined
                .iter()
                .copied()
                .filter(|v| ua.is_some_and(|s| s.contains(v)))
                .collect(),
        );
        defined.push(op.result);
    }
    out
}

/// The value of `n` in type `t` as rustc's wrapping semantics give it
/// (`-(2147483648)` arrives as the literal 2147483648 typed i32).
fn wrap_to(n: i128, t: IntTy) -> i64 {
    let bits = t.bits();
    let mask: i128 = if bits >= 64 { -1 } else { (1i128 << bits) - 1 };
    let low = n & mask;
    if t.signed() && bits < 64 && low >= (1i128 << (bits - 1)) {
        (low - (1i128 << bits)) as i64
    } else {
        low as i64
    }
}

impl Lowerer<'_, '_> {
    pub fn ann(&self, v: Var) -> SomeValue {
        self.reprs.anns.var(self.g, v)
    }

    pub fn value_ann(&self, v: &Value) -> Option<SomeValue> {
        match v {
            Value::Var(x) => Some(self.ann(*x)),
            Value::Const(_) => None,
        }
    }

    /// The annotation of operand `j` of op `i` (constants included).
    pub fn op_arg_ann(&self, b: Block, i: usize, op: &Op, j: usize) -> SomeValue {
        match op.args.get(j) {
            Some(Value::Var(x)) => self.ann(*x),
            Some(Value::Const(_)) => {
                let site = Site::OpArg {
                    block: b,
                    op: i as u32,
                    arg: j as u32,
                };
                self.reprs
                    .anns
                    .const_ann(self.g, site)
                    .cloned()
                    .unwrap_or(SomeValue::Impossible)
            }
            None => SomeValue::Impossible,
        }
    }

    /// The low-level form of an operand (canonical: `emit` renames).
    pub fn operand(
        &mut self,
        site: Site,
        v: &Value,
        expected: Option<&SomeValue>,
    ) -> LResult<LLValue> {
        let c = match v {
            Value::Var(x) => return Ok(LLValue::Var(*x)),
            Value::Const(c) => c,
        };
        Ok(LLValue::Const(match c {
            Const::Int(n, t) => {
                let ty = t
                    .or_else(|| self.reprs.anns.const_int_ty(self.g, site))
                    .or_else(|| expected.and_then(|e| e.int_ty()))
                    .unwrap_or(IntTy::I32);
                LLConst::Int(wrap_to(*n, ty), ty)
            }
            Const::Bool(b) => LLConst::Bool(*b),
            Const::Char(c) => LLConst::Char(*c),
            Const::Float(f) => LLConst::Float(*f),
            Const::Str(s) => LLConst::Prebuilt(self.reprs.str_const(s.as_bytes())),
            Const::ByteStr(b) => LLConst::Prebuilt(self.reprs.str_const(b)),
            Const::Unit | Const::Fn(_) => LLConst::Void,
            Const::None => match expected {
                Some(SomeValue::Option(inner)) => match self.reprs.option_repr(inner)? {
                    OptRepr::Nullable(t) => LLConst::Null(t),
                    OptRepr::Boxed { ty, value } => {
                        LLConst::Prebuilt(self.reprs.none_const(ty, value))
                    }
                },
                _ => return Err("cannot tell the type of this `None`".into()),
            },
        }))
    }

    /// Operand `j` of op `i` of block `b`.
    pub fn arg(&mut self, b: Block, i: usize, op: &Op, j: usize) -> LResult<LLValue> {
        let v = op
            .args
            .get(j)
            .ok_or_else(|| "internal error: missing operand".to_string())?;
        let expected = match v {
            Value::Const(_) => self.expected_arg(op, j),
            Value::Var(_) => None,
        };
        let site = Site::OpArg {
            block: b,
            op: i as u32,
            arg: j as u32,
        };
        self.operand(site, v, expected.as_ref())
    }

    /// What operand `j` is expected to be (for constants like `None`).
    fn expected_arg(&self, op: &Op, j: usize) -> Option<SomeValue> {
        let anns = self.reprs.anns;
        let prog = self.reprs.prog;
        let res = self.ann(op.result);
        let param = |callee: GraphId| {
            prog.graphs
                .get(callee)
                .and_then(|gr| gr.params().get(j).copied())
                .map(|p| anns.var(callee, p))
        };
        let arg_ann = |k: usize| op.args.get(k).and_then(|a| self.value_ann(a));
        let list_item = |a: Option<SomeValue>| match a {
            Some(SomeValue::List(l)) => anns.listdef(l).map(|d| d.item.clone()),
            _ => None,
        };
        match &op.kind {
            OpKind::Call(c) => match anns.resolution(self.g, op.result) {
                Some(Resolution::Instance(inst)) => param(inst),
                _ => param(*c),
            },
            OpKind::MethodCall { name, .. } => match anns.resolution(self.g, op.result) {
                Some(Resolution::UserMethod(m)) => param(m),
                _ => match (name.as_str(), arg_ann(0)) {
                    ("push", a) => list_item(a),
                    ("insert", Some(SomeValue::Dict(d))) => anns.dictdef(d).map(|d| {
                        if j == 1 {
                            d.key.clone()
                        } else {
                            d.value.clone()
                        }
                    }),
                    _ => Some(res),
                },
            },
            OpKind::NewStruct(s) => anns
                .fields
                .get(s)
                .and_then(|f| f.get(j))
                .map(|f| f.ann.clone()),
            OpKind::NewEnum { ty, variant } => prog
                .structs
                .get(*ty)
                .and_then(|d| d.enum_def.as_ref())
                .and_then(|e| e.variants.get(*variant as usize))
                .and_then(|v| anns.fields.get(ty).and_then(|f| f.get(v.first_field + j)))
                .map(|f| f.ann.clone()),
            OpKind::SetField(name) => match arg_ann(0) {
                Some(SomeValue::Instance(s)) => prog
                    .structs
                    .get(s)
                    .and_then(|d| d.field_index(name))
                    .and_then(|k| anns.fields.get(&s).and_then(|f| f.get(k)))
                    .map(|f| f.ann.clone()),
                _ => None,
            },
            OpKind::NewTuple => match res {
                SomeValue::Tuple(xs) => xs.get(j).cloned(),
                _ => None,
            },
            OpKind::NewVec | OpKind::NewVecRepeat => list_item(Some(res)),
            OpKind::SetIndex => list_item(arg_ann(0)),
            OpKind::NewVariant(_) => match res {
                SomeValue::Option(x) => Some(*x),
                SomeValue::Result(o, e) => Some(if op.kind == OpKind::NewVariant("Ok".into()) {
                    *o
                } else {
                    *e
                }),
                _ => None,
            },
            OpKind::Bin(_) => arg_ann(1 - j.min(1)),
            _ => Some(res),
        }
    }

    /// Assigns a computed value to the op's own result variable.
    pub fn assign(&mut self, result: Var, v: LLValue) {
        if self.var_ty(result) == LLType::Void {
            return;
        }
        self.emit_to(LLOpKind::SameAs, vec![v], result);
    }

    /// A link argument whose representation differs from the target
    /// input's (RPython's `convertvar`). A variable only ever `None`
    /// (`let mut e = None;` before `e = Some(..)` on another path) becomes
    /// the target's `None`; any other change of representation is refused
    /// here rather than passed on as the wrong bits.
    fn convert_link_arg(&mut self, a: &Value, v: LLValue, exp: &SomeValue) -> LResult<LLValue> {
        let have = self.value_ann(a);
        let only_none = matches!(
            have,
            Some(SomeValue::Option(ref inner)) if **inner == SomeValue::Impossible
        );
        if let (true, SomeValue::Option(inner)) = (only_none, exp) {
            return Ok(LLValue::Const(self.none_of(inner)?));
        }
        if let (Some(h @ SomeValue::Result(..)), SomeValue::Result(..)) = (&have, exp) {
            return self.convert(v, h, exp);
        }
        let describe = |x: &SomeValue| self.reprs.anns.describe(self.reprs.prog, x);
        let have = self
            .value_ann(a)
            .map_or("a value".to_string(), |x| format!("`{}`", describe(&x)));
        Err(format!(
            "a value changes its representation where two paths join ({have} flows where `{}` \
             is expected): the translator cannot convert it yet\nhelp: give the inner value its \
             type through a variable: `let inner: Option<i64> = None;` then `Some(inner)`",
            describe(exp)
        ))
    }

    fn lower_link(&mut self, b: Block, li: usize, l: &flowspace::model::Link) -> LResult<LLLink> {
        let prog = self.reprs.prog;
        let target_inputs: Vec<Var> = prog
            .graphs
            .get(self.g)
            .and_then(|gr| gr.blocks.get(l.target))
            .map(|bd| bd.inputs.clone())
            .unwrap_or_default();
        let mut args = vec![];
        for (j, (a, inp)) in l.args.iter().zip(&target_inputs).enumerate() {
            if self.var_ty(*inp) == LLType::Void {
                continue;
            }
            let site = Site::LinkArg {
                block: b,
                link: li as u32,
                arg: j as u32,
            };
            let exp = self.ann(*inp);
            let mut v = self.operand(site, a, Some(&exp))?;
            let want = self.var_ty(*inp);
            if !self.ty_of(&v).fits(want) {
                v = self.convert_link_arg(a, v, &exp)?;
            }
            args.push(self.val(&v));
        }
        Ok(LLLink {
            target: l.target,
            args,
        })
    }

    pub fn lower_exit(&mut self, b: Block, exit: &Exit) -> LResult<()> {
        let site = Site::ExitValue { block: b };
        let out = match exit {
            Exit::Goto(l) => LLExit::Goto(self.lower_link(b, 0, l)?),
            Exit::If {
                cond,
                then_link,
                else_link,
            } => {
                let c = self.operand(site, cond, None)?;
                LLExit::If {
                    cond: self.val(&c),
                    then_link: self.lower_link(b, 0, then_link)?,
                    else_link: self.lower_link(b, 1, else_link)?,
                }
            }
            Exit::Switch {
                value,
                cases,
                default,
            } => {
                let v = self.operand(site, value, None)?;
                let v = self.val(&v);
                let mut lcases = vec![];
                let mut on_true = None;
                let mut on_false = None;
                for (k, (c, l)) in cases.iter().enumerate() {
                    let link = self.lower_link(b, k, l)?;
                    match c {
                        Const::Int(n, _) => lcases.push((*n as i64, link)),
                        Const::Char(ch) => lcases.push((*ch as i64, link)),
                        Const::Bool(true) => on_true = Some(link),
                        Const::Bool(false) => on_false = Some(link),
                        _ => return Err("unsupported `match` pattern constant".into()),
                    }
                }
                let dlink = self.lower_link(b, cases.len(), default)?;
                if self.ty_of(&v) == LLType::Bool {
                    LLExit::If {
                        cond: v,
                        then_link: on_true.unwrap_or_else(|| dlink.clone()),
                        else_link: on_false.unwrap_or(dlink),
                    }
                } else {
                    LLExit::Switch {
                        value: v,
                        cases: lcases,
                        default: dlink,
                    }
                }
            }
            Exit::Return(v) => {
                let exp = self.reprs.anns.returns.get(&self.g).cloned();
                let mut r = self.operand(site, v, exp.as_ref())?;
                if let (Some(have), Some(want)) = (self.value_ann(v), &exp) {
                    r = self.convert(r, &have, want)?;
                }
                let r = self.val(&r);
                if self.ty_of(&r) == LLType::Void {
                    LLExit::Return(LLValue::Const(LLConst::Void))
                } else {
                    LLExit::Return(r)
                }
            }
            Exit::Unreachable => LLExit::Unreachable,
        };
        self.close(out);
        Ok(())
    }
}

/// Where a failing check of `op` is reported. rustc reports a failed
/// *built-in* index (a slice or an array) at the start of the expression,
/// but a failed *overloaded* one (`Vec`, `String`, `HashMap`: the `Index`
/// trait) at the `[...]` part.
fn panic_span(
    prog: &flowspace::model::Program,
    anns: &annotator::Annotations,
    g: GraphId,
    op: &Op,
) -> flowspace::Span {
    use flowspace::model::Ty;
    let (Some(bracket), Some(Value::Var(base))) = (op.index_span, op.args.first()) else {
        return op.span;
    };
    let mut declared = prog.graphs.get(g).map(|gr| &gr.vars[*base].declared);
    while let Some(Ty::Ref { inner, .. }) = declared {
        declared = Some(inner);
    }
    let builtin = match declared {
        Some(Ty::Slice(_)) | Some(Ty::Str) => true,
        _ => match anns.var(g, *base) {
            SomeValue::List(l) => anns.listdef(l).is_some_and(|d| d.is_fixed_array),
            _ => false,
        },
    };
    if builtin {
        op.span
    } else {
        bracket
    }
}

#[cfg(test)]
mod tests {
    use super::rejected;

    #[test]
    fn internal_errors_are_not_the_programs_fault() {
        let span = flowspace::Span::default();
        let d = rejected(span, "internal error: missing operand".into());
        assert_eq!(d.message, "internal error in the rtyper: missing operand");
        assert!(d
            .help
            .as_deref()
            .is_some_and(|h| h.contains("bug in rrust")));
        assert!(!d.label.contains("rejected"));
        let d = rejected(span, "tuples of lists are not supported".into());
        assert_eq!(d.label, "rejected by the rtyper");
        assert!(d
            .help
            .as_deref()
            .is_some_and(|h| h.contains("docs/rrust.md")));
    }
}
