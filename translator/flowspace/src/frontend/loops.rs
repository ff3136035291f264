//! `while`, `while let`, `loop`, `for`, `break` and `continue`.
//!
//! `for` loops become index loops: the end of a range, or the `len()` of the
//! sequence, is evaluated once before the loop (Rust borrows the sequence
//! for the whole loop, so it cannot change), and the hidden index lives in
//! the environment like any other local.

use super::builder::{FnBuilder, Join, LoopCtx};
use super::reject::{error, unsupported, R};
use crate::model::{BinOp, Const, OpKind, UnOp, Value};
use crate::span::Span;

/// What a `for` loop iterates over.
enum Iter<'e> {
    Range {
        start: &'e syn::Expr,
        end: &'e syn::Expr,
        inclusive: bool,
        rev: bool,
    },
    /// Elements `seq[0..len]` (`v.iter()`, `&v`, `s.bytes()`, ...).
    Seq {
        seq: &'e syn::Expr,
        rev: bool,
        enumerate: bool,
        /// `s.bytes()`: the elements are `s.as_bytes()[i]`.
        bytes: bool,
    },
    /// `a.iter().zip(b)`: pairs `(a[i], b[i])` up to the shorter length.
    Zip { a: &'e syn::Expr, b: &'e syn::Expr },
}

impl<'e> Iter<'e> {
    /// The elements of `seq`, in order.
    fn elements(seq: &'e syn::Expr) -> Iter<'e> {
        Iter::Seq {
            seq,
            rev: false,
            enumerate: false,
            bytes: false,
        }
    }
}

fn label_name(l: &Option<syn::Label>) -> Option<String> {
    l.as_ref().map(|l| l.name.ident.to_string())
}

fn one(v: i128) -> Value {
    Value::Const(Const::Int(v, None))
}

impl FnBuilder<'_> {
    fn loop_header(&mut self, span: Span) -> R<Join> {
        let header = self.join_here();
        if self.loops.is_empty() && self.first_loop_header.is_none() && !self.dead() {
            self.first_loop_header = Some(header.block);
            // The innermost binding of each name decides its type.
            let mut seen = std::collections::HashSet::new();
            for b in self.env.iter().rev() {
                if seen.insert(b.name.clone())
                    && matches!(b.declared, crate::model::Ty::Ref { mutable: false, .. })
                {
                    self.first_loop_shared_refs.push(b.name.clone());
                }
            }
        }
        self.enter_header(&header, span)?;
        Ok(header)
    }

    pub fn lower_while(&mut self, w: &syn::ExprWhile, span: Span) -> R<Value> {
        let n = self.env.len();
        let header = self.loop_header(span)?;
        let exit = self.new_join(n, false);
        let guard_mark = self.guards.len();
        // A `while let` scrutinee's borrows last the iteration (it is a
        // `match` in the loop's body); a condition's end with it.
        let mut unmatched = None;
        if let syn::Expr::Let(l) = &*w.cond {
            let s = self.lower_expr(&l.expr)?;
            let sidx = self.hidden("scrut", s);
            let fail = self.new_join(n, false);
            let binds = self.test_pattern(&l.pat, self.get(sidx), Some(&fail))?;
            for (name, v) in binds {
                self.bind(name, v, crate::model::Ty::Infer);
            }
            unmatched = Some(fail);
        } else {
            let c = self.lower_expr(&w.cond)?;
            self.release_above(guard_mark, span);
            let body = self.join_here();
            self.branch(c, &body, &exit, span)?;
            self.enter(&body, span)?;
        }
        self.loops.push(LoopCtx {
            label: label_name(&w.label),
            cont: header.clone(),
            brk: exit.clone(),
            is_loop: false,
            guard_mark,
        });
        let r = self.lower_block(&w.body);
        self.loops.pop();
        r?;
        self.release_above(guard_mark, span);
        self.jump(&header, None, span)?;
        if let Some(fail) = unmatched {
            self.enter(&fail, span)?;
            self.release_above(guard_mark, span);
            self.jump(&exit, None, span)?;
        }
        self.enter(&exit, span)
    }

    pub fn lower_loop(&mut self, l: &syn::ExprLoop, span: Span) -> R<Value> {
        let n = self.env.len();
        let header = self.loop_header(span)?;
        let exit = self.new_join(n, true);
        let guard_mark = self.guards.len();
        self.loops.push(LoopCtx {
            label: label_name(&l.label),
            cont: header.clone(),
            brk: exit.clone(),
            is_loop: true,
            guard_mark,
        });
        let r = self.lower_block(&l.body);
        self.loops.pop();
        r?;
        self.release_above(guard_mark, span);
        self.jump(&header, None, span)?;
        self.enter(&exit, span)
    }

    fn find_loop(&self, label: &Option<syn::Lifetime>, span: Span) -> R<usize> {
        let found = match label {
            None => self.loops.len().checked_sub(1),
            Some(l) => {
                let name = l.ident.to_string();
                self.loops
                    .iter()
                    .rposition(|c| c.label.as_deref() == Some(name.as_str()))
            }
        };
        found.ok_or_else(|| {
            error(
                span,
                "`break`/`continue` outside a loop (or with an unknown label)".into(),
                "no such loop",
                "use `break` and `continue` inside `while`, `loop` or `for`",
            )
        })
    }

    pub fn lower_break(&mut self, b: &syn::ExprBreak, span: Span) -> R<Value> {
        let i = self.find_loop(&b.label, span)?;
        let value = match &b.expr {
            Some(e) => {
                if !self.loops[i].is_loop {
                    return Err(error(
                        span,
                        "`break` with a value outside `loop`".into(),
                        "only `loop` has a value",
                        "use `loop { ... }`",
                    ));
                }
                Some(self.lower_expr(e)?)
            }
            None => None,
        };
        let j = self.loops[i].brk.clone();
        let mark = self.loops[i].guard_mark;
        self.exit_through(mark, span, |me| me.jump(&j, value, span))?;
        Ok(Value::Const(Const::Unit))
    }

    pub fn lower_continue(&mut self, c: &syn::ExprContinue, span: Span) -> R<Value> {
        let i = self.find_loop(&c.label, span)?;
        let j = self.loops[i].cont.clone();
        let mark = self.loops[i].guard_mark;
        self.exit_through(mark, span, |me| me.jump(&j, None, span))?;
        Ok(Value::Const(Const::Unit))
    }

    pub fn lower_for(&mut self, f: &syn::ExprForLoop, span: Span) -> R<Value> {
        let it = classify(self, &f.expr)?;
        let n = self.env.len();
        let label = label_name(&f.label);
        match it {
            Iter::Zip { a, b } => self.lower_zip(f, (a, b), n, label, span),
            Iter::Range {
                start,
                end,
                inclusive,
                rev,
            } => {
                let mut ends = self.lower_operands([start, end])?.into_iter();
                let (Some(lo), Some(hi)) = (ends.next(), ends.next()) else {
                    return Err(super::reject::internal(span, "a range without two ends"));
                };
                let (first, limit) = if rev { (hi, lo) } else { (lo, hi) };
                let i = self.hidden("i", first);
                let lim = self.hidden("limit", limit);
                let done = if inclusive {
                    Some(self.hidden("done", Value::Const(Const::Bool(false))))
                } else {
                    None
                };
                let header = self.join_here();
                self.enter_header(&header, span)?;
                let exit = self.new_join(n, false);
                if let Some(d) = done {
                    let nd = self.emit_v(OpKind::Un(UnOp::Not), vec![self.get(d)], span);
                    let go = self.join_here();
                    self.branch(nd, &go, &exit, span)?;
                    self.enter(&go, span)?;
                }
                let cmp = match (inclusive, rev) {
                    (false, false) => BinOp::Lt,
                    (false, true) => BinOp::Gt,
                    (true, false) => BinOp::Le,
                    (true, true) => BinOp::Ge,
                };
                let c = self.emit_v(OpKind::Bin(cmp), vec![self.get(i), self.get(lim)], span);
                let body = self.join_here();
                self.branch(c, &body, &exit, span)?;
                self.enter(&body, span)?;
                let step = if rev { BinOp::Sub } else { BinOp::Add };
                let x = match done {
                    None if rev => {
                        // (a..b).rev(): step first, then yield.
                        let next = self.emit_v(OpKind::Bin(step), vec![self.get(i), one(1)], span);
                        self.set(i, next.clone());
                        next
                    }
                    None => {
                        let x = self.get(i);
                        let next = self.emit_v(OpKind::Bin(step), vec![x.clone(), one(1)], span);
                        self.set(i, next);
                        x
                    }
                    Some(d) => {
                        // Inclusive: the last value may be the type's MAX (or
                        // MIN), so never step past it; set `done` instead.
                        let x = self.get(i);
                        let xi = self.hidden("x", x);
                        let last = self.emit_v(
                            OpKind::Bin(BinOp::Eq),
                            vec![self.get(i), self.get(lim)],
                            span,
                        );
                        let t = self.join_here();
                        let fj = self.join_here();
                        let merge = self.join_here();
                        self.branch(last, &t, &fj, span)?;
                        self.enter(&t, span)?;
                        self.set(d, Value::Const(Const::Bool(true)));
                        self.jump(&merge, None, span)?;
                        self.enter(&fj, span)?;
                        let next = self.emit_v(OpKind::Bin(step), vec![self.get(i), one(1)], span);
                        self.set(i, next);
                        self.jump(&merge, None, span)?;
                        self.enter(&merge, span)?;
                        self.get(xi)
                    }
                };
                self.for_body(f, x, None, label, header, exit, span)
            }
            Iter::Seq {
                seq,
                rev,
                enumerate,
                bytes,
            } => {
                let mut s = self.lower_expr(seq)?;
                // What a `for` walks: a `Vec` itself; a `HashMap`'s
                // entries as a fresh `Vec` of `(key, value)` pairs
                // (annotator/src/builtins.rs).
                if !bytes {
                    let walk = if writes_elements(&f.expr) {
                        "__for_seq_mut"
                    } else {
                        "__for_seq"
                    };
                    s = self.emit_v(
                        OpKind::MethodCall {
                            name: walk.into(),
                            turbofish: None,
                        },
                        vec![s],
                        span,
                    );
                }
                if bytes {
                    let as_bytes = OpKind::MethodCall {
                        name: "as_bytes".into(),
                        turbofish: None,
                    };
                    s = self.emit_v(as_bytes, vec![s], span);
                }
                let len = self.emit_v(
                    OpKind::MethodCall {
                        name: "len".into(),
                        turbofish: None,
                    },
                    vec![s.clone()],
                    span,
                );
                let si = self.hidden("seq", s);
                let (first, limit) = if rev { (len, one(0)) } else { (one(0), len) };
                let i = self.hidden("i", first);
                let lim = self.hidden("limit", limit);
                let header = self.join_here();
                self.enter_header(&header, span)?;
                let exit = self.new_join(n, false);
                let cmp = if rev { BinOp::Gt } else { BinOp::Lt };
                let c = self.emit_v(OpKind::Bin(cmp), vec![self.get(i), self.get(lim)], span);
                let body = self.join_here();
                self.branch(c, &body, &exit, span)?;
                self.enter(&body, span)?;
                let idx = if rev {
                    let next =
                        self.emit_v(OpKind::Bin(BinOp::Sub), vec![self.get(i), one(1)], span);
                    self.set(i, next.clone());
                    next
                } else {
                    let x = self.get(i);
                    let next = self.emit_v(OpKind::Bin(BinOp::Add), vec![x.clone(), one(1)], span);
                    self.set(i, next);
                    x
                };
                let elem = self.emit_v(OpKind::GetIndex, vec![self.get(si), idx.clone()], span);
                if writes_elements(&f.expr) {
                    // `*x = ..` writes the element itself.
                    let ii = self.hidden("elem", idx.clone());
                    self.pending_elem = Some((si, ii));
                }
                let index = if enumerate { Some(idx) } else { None };
                self.for_body(f, elem, index, label, header, exit, span)
            }
        }
    }

    /// `for (x, y) in a.iter().zip(b)`: an index loop over both.
    fn lower_zip(
        &mut self,
        f: &syn::ExprForLoop,
        (a, b): (&syn::Expr, &syn::Expr),
        n: usize,
        label: Option<String>,
        span: Span,
    ) -> R<Value> {
        let method = |name: &str| OpKind::MethodCall {
            name: name.into(),
            turbofish: None,
        };
        let seqs = self.lower_operands([a, b])?;
        let (sa, sb) = (seqs[0].clone(), seqs[1].clone());
        let ai = self.hidden("seq", sa);
        let bi = self.hidden("seq", sb);
        let la = self.emit_v(method("len"), vec![self.get(ai)], span);
        let lai = self.hidden("len", la);
        let lb = self.emit_v(method("len"), vec![self.get(bi)], span);
        let limit = self.emit_v(method("min"), vec![self.get(lai), lb], span);
        let i = self.hidden("i", one(0));
        let lim = self.hidden("limit", limit);
        let header = self.join_here();
        self.enter_header(&header, span)?;
        let exit = self.new_join(n, false);
        let c = self.emit_v(
            OpKind::Bin(BinOp::Lt),
            vec![self.get(i), self.get(lim)],
            span,
        );
        let body = self.join_here();
        self.branch(c, &body, &exit, span)?;
        self.enter(&body, span)?;
        let x = self.get(i);
        let next = self.emit_v(OpKind::Bin(BinOp::Add), vec![x.clone(), one(1)], span);
        self.set(i, next);
        let ea = self.emit_v(OpKind::GetIndex, vec![self.get(ai), x.clone()], span);
        let eai = self.hidden("x", ea);
        let eb = self.emit_v(OpKind::GetIndex, vec![self.get(bi), x], span);
        let pair = self.emit_v(OpKind::NewTuple, vec![self.get(eai), eb], span);
        self.for_body(f, pair, None, label, header, exit, span)
    }

    #[allow(clippy::too_many_arguments)]
    fn for_body(
        &mut self,
        f: &syn::ExprForLoop,
        x: Value,
        index: Option<Value>,
        label: Option<String>,
        header: Join,
        exit: Join,
        span: Span,
    ) -> R<Value> {
        let binds = match index {
            None => self.test_pattern(&f.pat, x, None)?,
            Some(idx) => {
                let syn::Pat::Tuple(t) = &*f.pat else {
                    return Err(error(
                        self.sp(&f.pat),
                        "`enumerate()` gives pairs".into(),
                        "expected `(i, x)`",
                        "write `for (i, x) in v.iter().enumerate()`",
                    ));
                };
                let (Some(ip), Some(xp), 2) = (t.elems.first(), t.elems.get(1), t.elems.len())
                else {
                    return Err(error(
                        self.sp(&f.pat),
                        "`enumerate()` gives pairs".into(),
                        "expected `(i, x)`",
                        "write `for (i, x) in v.iter().enumerate()`",
                    ));
                };
                let mut b = self.test_pattern(ip, idx, None)?;
                let xi = self.hidden("x", x);
                for (name, v) in b.clone() {
                    self.bind(name, v, crate::model::Ty::Infer);
                }
                let b2 = self.test_pattern(xp, self.get(xi), None)?;
                self.env.truncate(xi);
                b.extend(b2);
                b
            }
        };
        for (name, v) in binds {
            self.bind(name, v, crate::model::Ty::Infer);
        }
        if let Some((seq, idx)) = self.pending_elem.take() {
            // The element's name: `x` of `for x in ..` or `(i, x)`.
            let name = match &*f.pat {
                syn::Pat::Ident(i) if i.subpat.is_none() => Some(i.ident.to_string()),
                syn::Pat::Tuple(t) if t.elems.len() == 2 => match t.elems.get(1) {
                    Some(syn::Pat::Ident(i)) if i.subpat.is_none() => Some(i.ident.to_string()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(name) = name {
                if let Some(b) = self.env.iter_mut().rev().find(|b| b.name == name) {
                    b.cell = Some(super::builder::CellKind::Elem { seq, idx });
                }
            }
        }
        let guard_mark = self.guards.len();
        self.loops.push(LoopCtx {
            label,
            cont: header.clone(),
            brk: exit.clone(),
            is_loop: false,
            guard_mark,
        });
        let r = self.lower_block(&f.body);
        self.loops.pop();
        r?;
        self.release_above(guard_mark, span);
        self.jump(&header, None, span)?;
        self.enter(&exit, span)
    }
}

const FOR_HELP: &str = "write `for i in a..b`, `for i in a..=b`, `for i in (a..b).rev()`, \
    `for x in v.iter()`, `for x in &v`, `for x in [a, b, c]`, \
    `for (i, x) in v.iter().enumerate()`, `for b in s.bytes()`, `for c in s.chars()` or \
    `for w in s.split_whitespace()` (also `lines()`, `split(\",\")`), followed by the adapters \
    `map`, `filter`, `filter_map`, `enumerate`, `skip`, `take`, `cloned` or `copied`, or \
    `for (a, b) in xs.iter().zip(ys.iter())`; for other iterators (`chain`, ..), loop over \
    indices";

fn classify<'e>(b: &FnBuilder, e: &'e syn::Expr) -> R<Iter<'e>> {
    let span = b.sp(e);
    match e {
        syn::Expr::Paren(p) => classify(b, &p.expr),
        syn::Expr::Range(r) => {
            let (Some(start), Some(end)) = (&r.start, &r.end) else {
                return Err(unsupported(
                    span,
                    "an open-ended range in `for`",
                    "give both ends: `for i in a..b`",
                ));
            };
            Ok(Iter::Range {
                start,
                end,
                inclusive: matches!(r.limits, syn::RangeLimits::Closed(_)),
                rev: false,
            })
        }
        syn::Expr::Reference(r) => {
            if r.mutability.is_some() {
                b.reject_written_slice(&r.expr, "a mutable sub-slice (`&mut v[a..b]`)")?;
            }
            Ok(Iter::elements(&r.expr))
        }
        // `for x in [a, b, c]` and `for x in vec![..]`: the elements of a
        // fresh sequence.
        syn::Expr::Array(_) | syn::Expr::Path(_) | syn::Expr::Field(_) => Ok(Iter::elements(e)),
        syn::Expr::Macro(m) if m.mac.path.is_ident("vec") => Ok(Iter::elements(e)),
        syn::Expr::MethodCall(m) if m.method == "zip" && m.args.len() == 1 => {
            let plain = |it: Iter<'e>| match it {
                Iter::Seq {
                    seq,
                    rev: false,
                    enumerate: false,
                    bytes: false,
                } => Some(seq),
                _ => None,
            };
            let a = plain(classify(b, &m.receiver)?);
            let other = &m.args[0];
            let bseq = match other {
                syn::Expr::Path(_) | syn::Expr::Field(_) => Some(other),
                _ => plain(classify(b, other)?),
            };
            match (a, bseq, is_iter_call(&m.receiver)) {
                (Some(a), Some(bs), true) => Ok(Iter::Zip { a, b: bs }),
                _ => Err(unsupported(span, "this `zip` in `for`", FOR_HELP)),
            }
        }
        // `s.split(",")`: a fresh sequence of the pieces (`rr_str_split`).
        syn::Expr::MethodCall(m) if m.method == "split" && m.args.len() == 1 => {
            Ok(Iter::elements(e))
        }
        syn::Expr::MethodCall(m) if m.args.is_empty() => {
            let name = m.method.to_string();
            match name.as_str() {
                "iter" | "iter_mut" | "bytes" | "into_iter" => {
                    if name == "iter_mut" {
                        b.reject_written_slice(
                            &m.receiver,
                            "calling `iter_mut` on a sub-slice (it writes through it)",
                        )?;
                    }
                    Ok(Iter::Seq {
                        seq: &m.receiver,
                        rev: false,
                        enumerate: false,
                        bytes: name == "bytes",
                    })
                }
                // A fresh sequence of the words (`rr_str_split_whitespace`),
                // the chars (`rr_str_chars`) or the lines (`rr_str_lines`).
                "split_whitespace" | "chars" | "lines" => Ok(Iter::elements(e)),
                "rev" => match classify(b, &m.receiver)? {
                    Iter::Range {
                        start,
                        end,
                        inclusive,
                        rev,
                    } => Ok(Iter::Range {
                        start,
                        end,
                        inclusive,
                        rev: !rev,
                    }),
                    Iter::Seq {
                        seq,
                        rev,
                        enumerate: false,
                        bytes,
                    } if is_iter_call(&m.receiver) => Ok(Iter::Seq {
                        seq,
                        rev: !rev,
                        enumerate: false,
                        bytes,
                    }),
                    _ => Err(unsupported(span, "this iterator in `for`", FOR_HELP)),
                },
                "enumerate" if is_iter_call(&m.receiver) => match classify(b, &m.receiver)? {
                    Iter::Seq {
                        seq,
                        rev: false,
                        enumerate: false,
                        bytes,
                    } => Ok(Iter::Seq {
                        seq,
                        rev: false,
                        enumerate: true,
                        bytes,
                    }),
                    _ => Err(unsupported(span, "this iterator in `for`", FOR_HELP)),
                },
                // Iterator adapters are not supported yet.
                n if ITER_ADAPTERS.contains(&n) => {
                    Err(unsupported(span, "this iterator in `for`", FOR_HELP))
                }
                // Any other call gives a sequence (`for e in m.matches(..)`
                // over the `Vec` it returns); the annotator checks it is one.
                _ => Ok(Iter::elements(e)),
            }
        }
        syn::Expr::MethodCall(m) if !ITER_ADAPTERS.contains(&m.method.to_string().as_str()) => {
            Ok(Iter::elements(e))
        }
        syn::Expr::Call(_) | syn::Expr::Index(_) => Ok(Iter::elements(e)),
        _ => Err(unsupported(span, "this iterator in `for`", FOR_HELP)),
    }
}

/// Methods of `Iterator` (and of slices, giving iterators) that a `for`
/// cannot loop over yet.
const ITER_ADAPTERS: &[&str] = &[
    "map",
    "filter",
    "filter_map",
    "zip",
    "skip",
    "take",
    "step_by",
    "chain",
    "cloned",
    "copied",
    "peekable",
    "windows",
    "chunks",
    "values_mut",
    "skip_while",
    "take_while",
    "flat_map",
    "flatten",
    "char_indices",
    "split_terminator",
    "rsplit",
    "splitn",
    "inspect",
    "scan",
    "cycle",
];

/// `for` over `v.iter_mut()` or `&mut v` (also `.enumerate()`, `.rev()`):
/// the loop may write the elements.
fn writes_elements(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Paren(p) => writes_elements(&p.expr),
        syn::Expr::Reference(r) => r.mutability.is_some(),
        syn::Expr::MethodCall(m) => match m.method.to_string().as_str() {
            "iter_mut" => true,
            "enumerate" | "rev" => writes_elements(&m.receiver),
            _ => false,
        },
        _ => false,
    }
}

/// `x.iter()`, `x.iter_mut()`, `x.bytes()`, `x.chars()`, `s.lines()` or
/// `s.split_whitespace()` (the last three loop over a fresh `Vec` of the
/// pieces, which `enumerate` and `rev` number and reverse as Rust's
/// double-ended iterators do).
fn is_iter_call(e: &syn::Expr) -> bool {
    matches!(e, syn::Expr::MethodCall(m) if m.args.is_empty()
    && matches!(
        m.method.to_string().as_str(),
        "iter" | "iter_mut" | "bytes" | "chars" | "lines" | "split_whitespace"
    ))
}
