//! The per-function graph builder.
//!
//! SSA construction follows RPython: every block takes the whole current
//! environment (the locals in scope, plus hidden temporaries such as a `for`
//! loop's index) as inputs, and every jump passes the current value of each.
//! Scopes only push and pop at the end of the environment, so a join point
//! created when the environment had `n` entries takes exactly the first `n`
//! of them, whatever inner scopes pushed meanwhile.
//!
//! A variable is only valid in the block that defines it. So a value already
//! computed and still needed after a later sub-expression is lowered (the
//! receiver while the arguments are, the left operand while the right one
//! is, ...) must not sit in a Rust local of the lowering code: that
//! sub-expression may create blocks (`if`, `match`, `&&`, loops, ...). Such
//! values are pending temporaries, RPython's value stack: `hold` puts them in
//! the environment as `#tmp`, so that every link made meanwhile carries them
//! and the join blocks rename them, and `held` reads back the current name.
//! `lower_operands` does this for a list of operands.
//!
//! `cur == None` means the code being lowered is unreachable (after a
//! `return`, `break`, panic or `exit`); ops emitted then go nowhere.

use super::collect::Items;
use super::reject::{error, internal, R};
use super::span_of;
use crate::model::{Block, Const, Exit, FunctionGraph, Link, Op, OpKind, StructId, Ty, Value, Var};
use crate::span::Span;
use cranelift_entity::SecondaryMap;
use std::collections::HashSet;

/// A local in scope. Hidden temporaries have names starting with `#`.
pub(crate) struct Binding {
    pub name: String,
    pub value: Value,
    pub declared: Ty,
    /// Held in a cell (a `Vec` of one item): a scalar local whose `&mut` is
    /// taken (`Local`: its name is the value) or a `&mut` scalar parameter
    /// (`Param`: its name is the reference, `*p` the value).
    pub cell: Option<CellKind>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CellKind {
    Local,
    Param,
    /// `let g = c.borrow_mut();`: the value is the `RefCell`; `g` reads
    /// its current value and `*g = x` writes it (frontend/borrows.rs).
    Guard,
    /// `for x in v.iter_mut()`, `let x = v.last_mut().unwrap()`,
    /// `Some(x)` of `m.get_mut(&k)`..: `x` is slot `env[idx]` of the
    /// container `env[seq]` (hidden bindings), read and written there
    /// (`*x += 1`; frontend/elems.rs).
    Elem {
        seq: usize,
        idx: usize,
    },
}

/// A live `RefCell` borrow (frontend/borrows.rs): released where Rust drops
/// its guard.
#[derive(Clone, Debug)]
pub(crate) struct Guard {
    /// The `RefCell` (passed through joins like a local).
    pub cell: Value,
    pub mutable: bool,
    /// Held by a `let` (released at the end of its block or by `drop`):
    /// the binding's name; `None` for a temporary.
    pub binding: Option<String>,
}

/// A block reached by jumps: it takes the first `n` entries of the
/// environment and the first `guards` live borrows, plus a value (the
/// result of an `if`/`match`/`loop`).
#[derive(Clone)]
pub(crate) struct Join {
    pub block: Block,
    pub n: usize,
    /// The borrows live where the join was made (its cells are inputs).
    pub guards: Vec<Guard>,
    pub value: Option<Var>,
}

pub(crate) struct LoopCtx {
    pub label: Option<String>,
    pub cont: Join,
    pub brk: Join,
    /// `loop` (may `break` with a value) rather than `while`/`for`.
    pub is_loop: bool,
    /// Borrows live when the loop started: `break`/`continue` release the
    /// ones above.
    pub guard_mark: usize,
}

pub(crate) struct FnBuilder<'a> {
    pub items: &'a Items,
    pub g: &'a mut FunctionGraph,
    pub cur: Option<Block>,
    pub env: Vec<Binding>,
    pub loops: Vec<LoopCtx>,
    preds: SecondaryMap<Block, u32>,
    pub self_struct: Option<StructId>,
    /// The header of the first `while`/`loop` at the top level.
    pub first_loop_header: Option<Block>,
    /// The names bound at `first_loop_header` to a shared reference
    /// (`&T` declared as such): candidates for immutable greens.
    pub first_loop_shared_refs: Vec<String>,
    /// Every name bound by `let`/params, to check the merge point's names.
    pub bound_names: HashSet<String>,
    /// Enum variants imported by a `use` inside the body, innermost last
    /// (name, enum, variant); a block drops its own at its end.
    pub local_variants: Vec<(String, StructId, u32)>,
    /// The names `&mut name` is taken of in the body (candidates for cells).
    pub cell_names: HashSet<String>,
    /// `RefCell` borrows live here, oldest first.
    pub guards: Vec<Guard>,
    /// `guards.len()` where each enclosing block began, innermost last.
    pub block_marks: Vec<usize>,
    /// The borrow call whose guard a `let x = &c.borrow().f;` extends to the
    /// end of the block (frontend/borrows.rs).
    pub extended_borrow: Option<*const syn::ExprMethodCall>,
    /// The element place (`CellKind::Elem`) a `for` over `iter_mut()` gives
    /// the name its pattern binds next.
    pub pending_elem: Option<(usize, usize)>,
    /// `borrow`/`borrow_mut` are `RefCell`'s (no method of the file has
    /// these names).
    pub std_borrows: bool,
    /// `get_mut`, `entry` and the like are std's (frontend/elems.rs).
    pub std_elems: bool,
}

impl<'a> FnBuilder<'a> {
    pub fn new(items: &'a Items, g: &'a mut FunctionGraph, self_struct: Option<StructId>) -> Self {
        let start = g.start;
        FnBuilder {
            items,
            g,
            cur: Some(start),
            env: Vec::new(),
            loops: Vec::new(),
            preds: SecondaryMap::new(),
            self_struct,
            first_loop_header: None,
            first_loop_shared_refs: Vec::new(),
            bound_names: HashSet::new(),
            local_variants: Vec::new(),
            cell_names: HashSet::new(),
            guards: Vec::new(),
            block_marks: Vec::new(),
            extended_borrow: None,
            pending_elem: None,
            std_borrows: !items
                .fns
                .keys()
                .any(|k| k.ends_with("::borrow") || k.ends_with("::borrow_mut")),
            std_elems: super::elems::std_elems(items),
        }
    }

    pub fn sp(&self, node: &impl syn::spanned::Spanned) -> Span {
        span_of(self.items.file, node.span())
    }

    pub fn lower_body(&mut self, sig: &syn::Signature, body: &syn::Block) -> R<()> {
        let start = self.g.start;
        let tys = self.g.param_tys.clone();
        for (arg, ty) in sig.inputs.iter().zip(tys) {
            let name = match arg {
                syn::FnArg::Receiver(_) => Some("self".to_string()),
                syn::FnArg::Typed(t) => param_name(self.items.file, &t.pat)?,
            };
            let cell = match arg {
                syn::FnArg::Typed(t) => {
                    super::types::lower_type(self.items, self.self_struct, &t.ty)
                        .ok()
                        .and_then(|t| t.scalar_mut_ref().map(|_| CellKind::Param))
                }
                syn::FnArg::Receiver(_) => None,
            };
            let v = self.g.new_var(name.clone(), ty.clone());
            self.g.blocks[start].inputs.push(v);
            if let Some(n) = name {
                self.bound_names.insert(n.clone());
                self.env.push(Binding {
                    name: n,
                    value: Value::Var(v),
                    declared: ty,
                    cell,
                });
            }
        }
        self.cell_names = super::cells::mut_borrowed_names(body);
        let v = self.lower_block(body)?;
        if self.cur.is_some() {
            // The body's tail expression's borrows end with the function.
            let span = self.g.span;
            self.release_above(0, span);
            self.set_exit(Exit::Return(v));
        }
        let header = self.first_loop_header;
        let fn_span = self.g.span;
        if let Some(mp) = &mut self.g.hints.merge_point {
            let Some(h) = header else {
                return Err(error(
                    fn_span,
                    "a #[jit_merge_point] function needs a `while` or `loop`".into(),
                    "no loop in this function",
                    "put the interpreter's dispatch loop (`while pc < program.len() { ... }`) \
                     in this function",
                ));
            };
            mp.loop_header = Some(h);
            mp.immutable_greens = self.first_loop_shared_refs.clone();
        }
        crate::prune::prune_unreachable(self.g);
        if self.g.hints.merge_point.is_some() {
            check_merge_point(self.g)?;
        }
        Ok(())
    }

    // ---- operations -------------------------------------------------------

    /// Emits `result = kind(args)` in the current block (nowhere if the code
    /// is unreachable; the result is then never used by a reachable block).
    pub fn emit(&mut self, kind: OpKind, args: Vec<Value>, span: Span) -> Var {
        self.emit_indexed(kind, args, span, None)
    }

    /// `emit` for `GetIndex`/`SetIndex`, with the span of the `[...]` part
    /// (see `Op::index_span`).
    pub fn emit_indexed(
        &mut self,
        kind: OpKind,
        args: Vec<Value>,
        span: Span,
        index_span: Option<Span>,
    ) -> Var {
        let result = self.g.new_var(None, Ty::Infer);
        if let Some(b) = self.cur {
            self.g.blocks[b].ops.push(Op {
                kind,
                args,
                result,
                span,
                index_span,
            });
        }
        result
    }

    pub fn emit_v(&mut self, kind: OpKind, args: Vec<Value>, span: Span) -> Value {
        Value::Var(self.emit(kind, args, span))
    }

    /// Ends the current block.
    pub fn set_exit(&mut self, exit: Exit) {
        if let Some(b) = self.cur.take() {
            for l in exit.links() {
                self.preds[l.target] += 1;
            }
            self.g.blocks[b].exit = exit;
        }
    }

    /// Ends the current block as unreachable (after a panic or `exit`).
    pub fn diverge(&mut self) {
        self.set_exit(Exit::Unreachable);
    }

    pub fn dead(&self) -> bool {
        self.cur.is_none()
    }

    // ---- joins --------------------------------------------------------------

    pub fn new_join(&mut self, n: usize, with_value: bool) -> Join {
        let block = self.g.new_block();
        let n = n.min(self.env.len());
        for i in 0..n {
            let (name, declared) = (self.env[i].name.clone(), self.env[i].declared.clone());
            let v = self.g.new_var(Some(name), declared);
            self.g.blocks[block].inputs.push(v);
        }
        let guards = self.guards.clone();
        for _ in 0..guards.len() {
            let v = self.g.new_var(Some("#refcell".into()), Ty::Infer);
            self.g.blocks[block].inputs.push(v);
        }
        let value = if with_value {
            let v = self.g.new_var(None, Ty::Infer);
            self.g.blocks[block].inputs.push(v);
            Some(v)
        } else {
            None
        };
        Join {
            block,
            n,
            guards,
            value,
        }
    }

    /// A join taking the whole current environment.
    pub fn join_here(&mut self) -> Join {
        let n = self.env.len();
        self.new_join(n, false)
    }

    pub fn link(&self, j: &Join, value: Option<Value>, span: Span) -> R<Link> {
        if self.env.len() < j.n {
            return Err(internal(span, "a jump from a smaller environment"));
        }
        if self.guards.len() != j.guards.len() {
            // Every path releases its own borrows before it jumps.
            return Err(internal(span, "a jump with other live borrows"));
        }
        let mut args: Vec<Value> = self.env[..j.n].iter().map(|b| b.value.clone()).collect();
        args.extend(self.guards.iter().map(|g| g.cell.clone()));
        if j.value.is_some() {
            args.push(value.unwrap_or(Value::Const(Const::Unit)));
        }
        Ok(Link {
            target: j.block,
            args,
        })
    }

    pub fn jump(&mut self, j: &Join, value: Option<Value>, span: Span) -> R<()> {
        if self.dead() {
            return Ok(());
        }
        let l = self.link(j, value, span)?;
        self.set_exit(Exit::Goto(l));
        Ok(())
    }

    pub fn branch(&mut self, cond: Value, t: &Join, f: &Join, span: Span) -> R<()> {
        if self.dead() {
            return Ok(());
        }
        let then_link = self.link(t, None, span)?;
        let else_link = self.link(f, None, span)?;
        self.set_exit(Exit::If {
            cond,
            then_link,
            else_link,
        });
        Ok(())
    }

    /// Continues lowering in the join block; returns its value input. If
    /// nothing jumps there, the code that follows is unreachable.
    pub fn enter(&mut self, j: &Join, span: Span) -> R<Value> {
        if self.env.len() < j.n {
            return Err(internal(span, "entering a join from a smaller environment"));
        }
        self.env.truncate(j.n);
        self.guards = j.guards.clone();
        if self.preds[j.block] == 0 && j.block != self.g.start {
            self.cur = None;
            return Ok(Value::Const(Const::Unit));
        }
        self.cur = Some(j.block);
        let inputs = self.g.blocks[j.block].inputs.clone();
        for (b, v) in self.env.iter_mut().zip(inputs.iter()) {
            b.value = Value::Var(*v);
        }
        for (g, v) in self.guards.iter_mut().zip(inputs[j.n..].iter()) {
            g.cell = Value::Var(*v);
        }
        Ok(match j.value {
            Some(v) => Value::Var(v),
            None => Value::Const(Const::Unit),
        })
    }

    /// Enters a join that will also get jumps later (a loop header).
    pub fn enter_header(&mut self, j: &Join, span: Span) -> R<()> {
        if self.dead() {
            // Unreachable loop: lower it in a block nobody jumps to.
            self.env.truncate(j.n);
            self.guards = j.guards.clone();
            self.cur = None;
            return Ok(());
        }
        self.jump(j, None, span)?;
        self.enter(j, span)?;
        Ok(())
    }

    // ---- environment --------------------------------------------------------

    pub fn lookup(&self, name: &str) -> Option<&Binding> {
        self.env.iter().rev().find(|b| b.name == name)
    }

    pub fn bind(&mut self, name: String, value: Value, declared: Ty) {
        if let Value::Var(v) = &value {
            if self.g.vars[*v].name.is_none() {
                self.g.vars[*v].name = Some(name.clone());
            }
        }
        if !name.starts_with('#') {
            self.bound_names.insert(name.clone());
        }
        self.env.push(Binding {
            name,
            value,
            declared,
            cell: None,
        });
    }

    /// Rebinds the innermost local called `name`.
    pub fn assign(&mut self, name: &str, value: Value) -> bool {
        match self.env.iter_mut().rev().find(|b| b.name == name) {
            Some(b) => {
                b.value = value;
                true
            }
            None => false,
        }
    }

    /// Pushes a hidden temporary; returns its index in the environment.
    pub fn hidden(&mut self, name: &str, value: Value) -> usize {
        self.env.push(Binding {
            name: format!("#{name}"),
            value,
            declared: Ty::Infer,
            cell: None,
        });
        self.env.len() - 1
    }

    pub fn get(&self, idx: usize) -> Value {
        match self.env.get(idx) {
            Some(b) => b.value.clone(),
            None => Value::Const(Const::Unit),
        }
    }

    pub fn set(&mut self, idx: usize, v: Value) {
        if let Some(b) = self.env.get_mut(idx) {
            b.value = v;
        }
    }

    // ---- pending temporaries ------------------------------------------------

    /// Keeps `v` live while more code is lowered: a variable becomes a hidden
    /// `#tmp` local (so that it flows through the blocks made meanwhile), a
    /// constant stays as it is. Read it back with `held`; drop it by
    /// truncating the environment to its length before the `hold`.
    pub fn hold(&mut self, v: Value) -> Held {
        match v {
            Value::Const(_) => Held::Const(v),
            Value::Var(_) => Held::Slot(self.hidden("tmp", v)),
        }
    }

    /// The current value of a held temporary (valid in the current block).
    pub fn held(&self, h: &Held) -> Value {
        match h {
            Held::Const(v) => v.clone(),
            Held::Slot(i) => self.get(*i),
        }
    }

    /// Lowers `exprs` in order, keeping each value live while the later ones
    /// are lowered; returns the values, valid in the current block.
    pub fn lower_operands<'e>(
        &mut self,
        exprs: impl IntoIterator<Item = &'e syn::Expr>,
    ) -> R<Vec<Value>> {
        self.lower_call_args(exprs, usize::MAX)
    }

    /// `lower_operands` for a call: from operand `first_arg` on, a `&mut`
    /// scalar parameter passed on as it is (`f(pos)`) is its cell.
    pub fn lower_call_args<'e>(
        &mut self,
        exprs: impl IntoIterator<Item = &'e syn::Expr>,
        first_arg: usize,
    ) -> R<Vec<Value>> {
        let mark = self.env.len();
        let mut held = Vec::new();
        for (k, e) in exprs.into_iter().enumerate() {
            let passed = match e {
                _ if k < first_arg => None,
                syn::Expr::Path(p) => {
                    p.path
                        .get_ident()
                        .and_then(|i| match self.cell_of(&i.to_string()) {
                            Some((CellKind::Param, c)) => Some(c),
                            _ => None,
                        })
                }
                _ => None,
            };
            let v = match passed {
                Some(c) => c,
                None => self.lower_expr(e)?,
            };
            held.push(self.hold(v));
        }
        let out = held.iter().map(|h| self.held(h)).collect();
        self.env.truncate(mark);
        Ok(out)
    }
}

/// A pending temporary (see `FnBuilder::hold`).
pub(crate) enum Held {
    Const(Value),
    /// Its index in the environment.
    Slot(usize),
}

/// The name of a parameter: `x`, `mut x`, or `_` (no name).
fn param_name(file: crate::span::FileId, p: &syn::Pat) -> R<Option<String>> {
    match p {
        syn::Pat::Ident(i) if i.by_ref.is_none() && i.subpat.is_none() => {
            Ok(Some(i.ident.to_string()))
        }
        syn::Pat::Wild(_) => Ok(None),
        _ => Err(super::reject::unsupported(
            span_of(file, syn::spanned::Spanned::span(p)),
            "a pattern in a parameter",
            "take the parameter by name (`t: (u8, u8)`) and destructure it with `let` in the body",
        )),
    }
}

/// Checks the names of `#[jit_merge_point]` against the loop head (after
/// pruning): each listed once, each a variable live there, and every
/// variable live there listed (the JIT rebuilds the interpreter's state at
/// the merge point from the greens and reds alone). Records the head's
/// inputs for the names.
fn check_merge_point(g: &mut FunctionGraph) -> R<()> {
    let Some(mp) = g.hints.merge_point.as_ref() else {
        return Ok(());
    };
    let span = mp.span.unwrap_or(g.span);
    let Some(h) = mp.loop_header else {
        return Ok(());
    };
    let live = crate::liveness::live_in(g);
    let live_h = live.get(&h).cloned().unwrap_or_default();
    let inputs = g.blocks[h].inputs.clone();
    // The input that a name stands for: the last binding of that name
    // (a later `let` shadows an earlier one).
    let input_of = |name: &str| {
        inputs
            .iter()
            .rev()
            .find(|v| g.vars[**v].name.as_deref() == Some(name))
            .copied()
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut green_vars = Vec::new();
    let mut red_vars = Vec::new();
    for (names, is_green) in [(&mp.greens, true), (&mp.reds, false)] {
        for n in names {
            if seen.contains(&n.as_str()) {
                let both = mp.greens.contains(n) && mp.reds.contains(n);
                return Err(error(
                    span,
                    if both {
                        format!("`{n}` is listed both as a green and as a red")
                    } else {
                        format!("`{n}` is listed twice")
                    },
                    "in this #[jit_merge_point]",
                    "list each variable once: greens(..) for what identifies the position in \
                     the interpreted program (such as `pc`), reds(..) for the rest",
                ));
            }
            seen.push(n);
            let Some(v) = input_of(n) else {
                return Err(error(
                    span,
                    format!("`{n}` is not a variable at the head of the dispatch loop"),
                    "in this #[jit_merge_point]",
                    "list only variables declared before the loop (parameters and `let`s \
                     outside it) in greens(..) and reds(..)",
                ));
            };
            if is_green {
                green_vars.push(v);
            } else {
                red_vars.push(v);
            }
        }
    }
    for v in &inputs {
        if !live_h.contains(v) || green_vars.contains(v) || red_vars.contains(v) {
            continue;
        }
        let name = g.vars[*v].name.clone().unwrap_or_default();
        if let Some(hidden) = name.strip_prefix('#') {
            return Err(error(
                span,
                format!(
                    "the head of the dispatch loop keeps a value the translator made \
                     (`{hidden}`), which no merge point can name"
                ),
                "in this #[jit_merge_point]",
                "make the dispatch loop the function's first loop, outside any `for`, \
                 `match` or other loop",
            ));
        }
        // Only the last binding of a name can be live and listed.
        if input_of(&name) != Some(*v) {
            continue;
        }
        return Err(error(
            span,
            format!("`{name}` is live at the head of the dispatch loop but is neither a green nor a red"),
            "in this #[jit_merge_point]",
            &format!("add `{name}` to reds(..) (or to greens(..) if it identifies the position in the interpreted program)"),
        ));
    }
    let mp = g.hints.merge_point.as_mut().expect("checked above");
    mp.green_vars = green_vars;
    mp.red_vars = red_vars;
    mp.immutable_greens.retain(|n| mp.greens.contains(n));
    Ok(())
}
