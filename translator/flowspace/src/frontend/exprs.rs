//! Expressions (except calls, macros, patterns and loops, which have their
//! own files).

use super::builder::{FnBuilder, Held};
use super::consts::lit_const;
use super::reject::{error, unsupported, R};
use crate::model::{BinOp, Const, OpKind, UnOp, Value};
use crate::span::Span;
use syn::visit::Visit;

/// Where an assignment stores.
pub(crate) enum Place {
    Local(String),
    /// The item of a cell (`n` held in one, or `*p` of a `&mut` scalar).
    Cell(Value),
    Field(Value, String),
    /// Base, index, and the span of the `[...]` part.
    Index(Value, Value, Span),
    /// The value in a `RefCell` borrowed mutably (`*c.borrow_mut()`, `*g`).
    Guard(Value),
    /// An element reference's target: container and slot (frontend/elems.rs).
    Slot(Value, Value),
}

impl FnBuilder<'_> {
    pub fn lower_expr(&mut self, e: &syn::Expr) -> R<Value> {
        let span = self.sp(e);
        if self.dead() {
            // Unreachable code: rustc has checked it; it never runs.
            return Ok(Value::Const(Const::Unit));
        }
        match e {
            syn::Expr::Lit(l) => Ok(Value::Const(lit_const(self.items.file, &l.lit)?)),
            syn::Expr::Paren(p) => self.lower_expr(&p.expr),
            syn::Expr::Group(g) => self.lower_expr(&g.expr),
            syn::Expr::Path(p) => self.lower_path_value(p, span),
            syn::Expr::Unary(u) => self.lower_unary(u, span),
            syn::Expr::Binary(b) => self.lower_binary(b, span),
            syn::Expr::Assign(a) => {
                if let syn::Expr::Infer(_) = &*a.left {
                    // `_ = f();` evaluates and drops.
                    self.lower_expr(&a.right)?;
                    return Ok(Value::Const(Const::Unit));
                }
                // The value stays live while the place is lowered.
                let mark = self.env.len();
                let v = self.lower_expr(&a.right)?;
                let v = self.hold(v);
                let place = self.lower_place(&a.left)?;
                let v = self.held(&v);
                self.env.truncate(mark);
                self.write_place(place, v, span)?;
                Ok(Value::Const(Const::Unit))
            }
            syn::Expr::Cast(c) => {
                let v = self.lower_expr(&c.expr)?;
                let ty = super::types::lower_type(self.items, self.self_struct, &c.ty)?;
                Ok(self.emit_v(OpKind::Cast(ty), vec![v], span))
            }
            syn::Expr::Field(f) => {
                let base = self.lower_expr(&f.base)?;
                let name = member_name(&f.member);
                Ok(self.emit_v(OpKind::GetField(name), vec![base], span))
            }
            syn::Expr::Index(i) => {
                if let syn::Expr::Range(r) = &*i.index {
                    return self.lower_slice(i, r);
                }
                let args = self.lower_operands([&*i.expr, &*i.index])?;
                let bracket = self.bracket_span(i);
                Ok(Value::Var(self.emit_indexed(
                    OpKind::GetIndex,
                    args,
                    span,
                    Some(bracket),
                )))
            }
            syn::Expr::MethodCall(m) => self.lower_method_call(m, span),
            syn::Expr::Call(c) => self.lower_call(c, span),
            syn::Expr::Struct(s) => self.lower_struct_lit(s, span),
            syn::Expr::Tuple(t) => {
                if t.elems.is_empty() {
                    return Ok(Value::Const(Const::Unit));
                }
                let args = self.lower_operands(&t.elems)?;
                Ok(self.emit_v(OpKind::NewTuple, args, span))
            }
            // Array literals become the same ops as `vec![..]`. Arrays are
            // values in Rust (copied on assignment) while a Vec is not; the
            // annotator checks that an array built here is never copied and
            // then mutated, which is where the two would differ.
            syn::Expr::Array(a) => {
                let args = self.lower_operands(&a.elems)?;
                Ok(self.emit_v(OpKind::NewVec, args, span))
            }
            syn::Expr::Repeat(r) => {
                let args = self.lower_operands([&*r.expr, &*r.len])?;
                Ok(self.emit_v(OpKind::NewVecRepeat, args, span))
            }
            syn::Expr::Reference(r) => {
                // `&mut n` of a local in a cell, `&mut *p` of a `&mut`
                // scalar parameter: the cell.
                if r.mutability.is_some() {
                    if let Some(cell) = self.cell_place(&r.expr) {
                        return Ok(cell);
                    }
                }
                if r.mutability.is_some() {
                    self.reject_written_slice(&r.expr, "a mutable sub-slice (`&mut v[a..b]`)")?;
                }
                let v = self.lower_expr(&r.expr)?;
                Ok(self.emit_v(
                    OpKind::Ref {
                        mutable: r.mutability.is_some(),
                    },
                    vec![v],
                    span,
                ))
            }
            syn::Expr::Block(b) => {
                if let Some(l) = &b.label {
                    return Err(unsupported(
                        self.sp(l),
                        "a labelled block",
                        "use `loop { ... break 'label value; }` or restructure with `if`",
                    ));
                }
                super::reject::check_plain_attrs(self.items.file, &b.attrs)?;
                self.lower_block(&b.block)
            }
            syn::Expr::If(i) => self.lower_if(i, span),
            syn::Expr::While(w) => self.lower_while(w, span),
            syn::Expr::Loop(l) => self.lower_loop(l, span),
            syn::Expr::ForLoop(f) => self.lower_for(f, span),
            syn::Expr::Break(b) => self.lower_break(b, span),
            syn::Expr::Continue(c) => self.lower_continue(c, span),
            syn::Expr::Return(r) => {
                let v = match &r.expr {
                    Some(x) => self.lower_expr(x)?,
                    None => Value::Const(Const::Unit),
                };
                self.exit_through(0, span, |me| {
                    me.set_exit(crate::model::Exit::Return(v));
                    Ok(())
                })?;
                Ok(Value::Const(Const::Unit))
            }
            syn::Expr::Match(m) => self.lower_match(m, span),
            syn::Expr::Macro(m) => self.lower_macro(&m.mac),
            syn::Expr::Closure(_) => Err(unsupported(
                span,
                "a closure",
                "write a named `fn` and call it, or use a loop instead of iterator adapters",
            )),
            syn::Expr::Try(t) => self.lower_try(&t.expr, span),
            syn::Expr::Unsafe(_) => Err(unsupported(span, "`unsafe`", "write safe code")),
            syn::Expr::Async(_) | syn::Expr::Await(_) => Err(unsupported(
                span,
                "`async`/`.await`",
                "write synchronous code",
            )),
            syn::Expr::Let(_) => Err(unsupported(
                span,
                "`let` inside a condition here",
                "use `if let PATTERN = value { ... }` alone, or a `match`",
            )),
            syn::Expr::Range(_) => Err(unsupported(
                span,
                "a range outside a `for` loop",
                "use ranges only as `for i in a..b`",
            )),
            syn::Expr::Const(_) => Err(unsupported(
                span,
                "a `const` block",
                "declare a `const` item",
            )),
            _ => Err(unsupported(
                span,
                "this expression",
                "see docs/rrust.md for the subset",
            )),
        }
    }

    fn lower_unary(&mut self, u: &syn::ExprUnary, span: Span) -> R<Value> {
        match u.op {
            syn::UnOp::Neg(_) => {
                // Fold `-5` so that `-128i8` and `i64::MIN`-like literals work.
                if let syn::Expr::Lit(l) = &*u.expr {
                    match lit_const(self.items.file, &l.lit)? {
                        Const::Int(v, t) => {
                            if t.is_some_and(|t| !t.signed()) {
                                return Err(error(
                                    span,
                                    "cannot negate an unsigned integer".into(),
                                    "unsigned",
                                    "use a signed type",
                                ));
                            }
                            return Ok(Value::Const(Const::Int(-v, t)));
                        }
                        Const::Float(f) => return Ok(Value::Const(Const::Float(-f))),
                        _ => {}
                    }
                }
                let v = self.lower_expr(&u.expr)?;
                Ok(self.emit_v(OpKind::Un(UnOp::Neg), vec![v], span))
            }
            syn::UnOp::Not(_) => {
                let v = self.lower_expr(&u.expr)?;
                Ok(self.emit_v(OpKind::Un(UnOp::Not), vec![v], span))
            }
            syn::UnOp::Deref(_) => {
                if let Some(cell) = self.cell_deref(&u.expr) {
                    return Ok(self.cell_get(cell, span));
                }
                let v = self.lower_expr(&u.expr)?;
                Ok(self.emit_v(OpKind::Deref, vec![v], span))
            }
            _ => Err(unsupported(span, "this operator", "use `-`, `!` or `*`")),
        }
    }

    fn lower_binary(&mut self, b: &syn::ExprBinary, span: Span) -> R<Value> {
        use syn::BinOp as B;
        let op = match b.op {
            B::And(_) => return self.short_circuit(&b.left, &b.right, true, span),
            B::Or(_) => return self.short_circuit(&b.left, &b.right, false, span),
            B::Add(_) => BinOp::Add,
            B::Sub(_) => BinOp::Sub,
            B::Mul(_) => BinOp::Mul,
            B::Div(_) => BinOp::Div,
            B::Rem(_) => BinOp::Rem,
            B::BitAnd(_) => BinOp::BitAnd,
            B::BitOr(_) => BinOp::BitOr,
            B::BitXor(_) => BinOp::BitXor,
            B::Shl(_) => BinOp::Shl,
            B::Shr(_) => BinOp::Shr,
            B::Eq(_) => BinOp::Eq,
            B::Ne(_) => BinOp::Ne,
            B::Lt(_) => BinOp::Lt,
            B::Le(_) => BinOp::Le,
            B::Gt(_) => BinOp::Gt,
            B::Ge(_) => BinOp::Ge,
            B::AddAssign(_) => return self.compound(b, BinOp::Add, span),
            B::SubAssign(_) => return self.compound(b, BinOp::Sub, span),
            B::MulAssign(_) => return self.compound(b, BinOp::Mul, span),
            B::DivAssign(_) => return self.compound(b, BinOp::Div, span),
            B::RemAssign(_) => return self.compound(b, BinOp::Rem, span),
            B::BitAndAssign(_) => return self.compound(b, BinOp::BitAnd, span),
            B::BitOrAssign(_) => return self.compound(b, BinOp::BitOr, span),
            B::BitXorAssign(_) => return self.compound(b, BinOp::BitXor, span),
            B::ShlAssign(_) => return self.compound(b, BinOp::Shl, span),
            B::ShrAssign(_) => return self.compound(b, BinOp::Shr, span),
            _ => {
                return Err(unsupported(
                    span,
                    "this operator",
                    "use the usual operators",
                ))
            }
        };
        let args = self.lower_operands([&*b.left, &*b.right])?;
        Ok(self.emit_v(OpKind::Bin(op), args, span))
    }

    /// `a && b` / `a || b`: `b` runs only when needed.
    fn short_circuit(&mut self, l: &syn::Expr, r: &syn::Expr, and: bool, span: Span) -> R<Value> {
        let n = self.env.len();
        // Each operand is a temporary scope of its own (rustc drops the
        // left one's temporaries before the right one runs).
        let gm = self.guards.len();
        let a = self.lower_expr(l)?;
        self.release_above(gm, span);
        let t = self.new_join(n, false);
        let f = self.new_join(n, false);
        let res = self.new_join(n, true);
        self.branch(a, &t, &f, span)?;
        let (eval_side, const_side) = if and { (&t, &f) } else { (&f, &t) };
        self.enter(eval_side, span)?;
        let b = self.lower_expr(r)?;
        self.release_above(gm, span);
        self.jump(&res, Some(b), span)?;
        self.enter(const_side, span)?;
        self.jump(&res, Some(Value::Const(Const::Bool(!and))), span)?;
        self.enter(&res, span)
    }

    /// `place op= rhs`. For primitive operands rustc evaluates `rhs` before
    /// the place (and the place first otherwise); we cannot tell the types
    /// apart here, so both having side effects is rejected.
    fn compound(&mut self, b: &syn::ExprBinary, op: BinOp, span: Span) -> R<Value> {
        if has_side_effects(&b.right) && place_has_side_effects(&b.left) {
            return Err(unsupported(
                span,
                "a compound assignment with calls on both sides",
                "compute the right-hand side into a `let` first",
            ));
        }
        // The right-hand side stays live while the place is lowered.
        let mark = self.env.len();
        let r = self.lower_expr(&b.right)?;
        let r = self.hold(r);
        let place = self.lower_place(&b.left)?;
        let r = self.held(&r);
        self.env.truncate(mark);
        let old = self.read_place(&place, span)?;
        let new = self.emit_v(OpKind::Bin(op), vec![old, r], span);
        self.write_place(place, new, span)?;
        Ok(Value::Const(Const::Unit))
    }

    pub fn lower_place(&mut self, e: &syn::Expr) -> R<Place> {
        let span = self.sp(e);
        match e {
            syn::Expr::Paren(p) => self.lower_place(&p.expr),
            syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                match self.cell_of(&name) {
                    Some((super::builder::CellKind::Local, cell)) => return Ok(Place::Cell(cell)),
                    Some((
                        super::builder::CellKind::Guard | super::builder::CellKind::Elem { .. },
                        _,
                    )) => {
                        return Err(unsupported(
                            span,
                            "assigning a `RefCell` guard itself",
                            &format!("assign through it: `*{name} = value;`"),
                        ))
                    }
                    _ => {}
                }
                if self.lookup(&name).is_some() {
                    Ok(Place::Local(name))
                } else {
                    Err(error(
                        span,
                        format!("cannot assign to `{name}`"),
                        "not a local variable",
                        "assign only to local variables, fields and indexed elements",
                    ))
                }
            }
            syn::Expr::Field(f) => {
                let base = self.lower_expr(&f.base)?;
                Ok(Place::Field(base, member_name(&f.member)))
            }
            syn::Expr::Index(i) => {
                if let syn::Expr::Range(_) = &*i.index {
                    return Err(unsupported(
                        span,
                        "assigning to a range of elements",
                        "assign the elements one by one in a loop",
                    ));
                }
                self.reject_written_slice(&i.expr, "writing into a sub-slice")?;
                let mut args = self.lower_operands([&*i.expr, &*i.index])?.into_iter();
                let (Some(base), Some(idx)) = (args.next(), args.next()) else {
                    return Err(super::reject::internal(
                        span,
                        "an index without two operands",
                    ));
                };
                Ok(Place::Index(base, idx, self.bracket_span(i)))
            }
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => {
                if let Some(cell) = self.borrowed_place(&u.expr)? {
                    return Ok(Place::Guard(cell));
                }
                if let Some((s, i)) = self.element_place(&u.expr) {
                    return Ok(Place::Slot(s, i));
                }
                if let Some(p) = self.elem_place(&u.expr)? {
                    return Ok(p);
                }
                match self.cell_deref(&u.expr) {
                    Some(cell) => Ok(Place::Cell(cell)),
                    None => Err(unsupported(
                        span,
                        "assigning through `*`",
                        "`*p = x` works for a `&mut` parameter of a number, `bool` or `char` type \
                 (`fn bump(x: &mut i64) { *x += 1; }`); for a local reference \
                 (`let r = &mut n;`), assign to `n` itself",
                    )),
                }
            }
            syn::Expr::Tuple(_) => Err(unsupported(
                span,
                "destructuring assignment",
                "assign each variable separately, or use `let (a, b) = ...;`",
            )),
            _ => Err(unsupported(
                span,
                "assigning to this expression",
                "assign to a local variable, a field (`s.f = x`) or an element (`v[i] = x`)",
            )),
        }
    }

    pub fn read_place(&mut self, p: &Place, span: Span) -> R<Value> {
        Ok(match p {
            Place::Local(n) => match self.lookup(n) {
                Some(b) => b.value.clone(),
                None => return Err(super::reject::internal(span, "a vanished local")),
            },
            Place::Cell(c) => self.cell_get(c.clone(), span),
            Place::Guard(c) => self.guard_get(c.clone(), span),
            Place::Slot(s, i) => self.emit_v(
                OpKind::MethodCall {
                    name: "__slot_get".into(),
                    turbofish: None,
                },
                vec![s.clone(), i.clone()],
                span,
            ),
            Place::Field(o, f) => self.emit_v(OpKind::GetField(f.clone()), vec![o.clone()], span),
            Place::Index(o, i, bracket) => Value::Var(self.emit_indexed(
                OpKind::GetIndex,
                vec![o.clone(), i.clone()],
                span,
                Some(*bracket),
            )),
        })
    }

    pub fn write_place(&mut self, p: Place, v: Value, span: Span) -> R<()> {
        match p {
            Place::Local(n) => {
                self.assign(&n, v);
            }
            Place::Cell(c) => self.cell_set(c, v, span)?,
            Place::Field(o, f) => {
                self.emit(OpKind::SetField(f), vec![o, v], span);
            }
            Place::Index(o, i, bracket) => {
                self.emit_indexed(OpKind::SetIndex, vec![o, i, v], span, Some(bracket));
            }
            Place::Guard(c) => self.guard_set(c, v, span),
            Place::Slot(s, i) => {
                self.emit(
                    OpKind::MethodCall {
                        name: "__slot_set".into(),
                        turbofish: None,
                    },
                    vec![s, i, v],
                    span,
                );
            }
        }
        Ok(())
    }

    /// `e?`: if `e` is `Some(x)`/`Ok(x)` the value is `x`, else the function
    /// returns `None`/`Err(err)` (which of the two the annotator decides).
    fn lower_try(&mut self, e: &syn::Expr, span: Span) -> R<Value> {
        let v = self.lower_expr(e)?;
        if self.dead() {
            return Ok(Value::Const(Const::Unit));
        }
        let goes_on = self.emit_v(OpKind::TryContinues, vec![v.clone()], span);
        let n = self.env.len();
        let idx = self.hidden("try", v);
        let cont = self.new_join(n + 1, false);
        let bail = self.new_join(n + 1, false);
        self.branch(goes_on, &cont, &bail, span)?;
        self.enter(&bail, span)?;
        let r = self.emit_v(OpKind::TryResidual, vec![self.get(idx)], span);
        self.exit_through(0, span, |me| {
            me.set_exit(crate::model::Exit::Return(r));
            Ok(())
        })?;
        self.enter(&cont, span)?;
        let x = self.get(idx);
        self.env.truncate(n);
        Ok(self.emit_v(OpKind::TryUnwrap, vec![x], span))
    }

    fn lower_if(&mut self, i: &syn::ExprIf, span: Span) -> R<Value> {
        if let syn::Expr::Let(l) = &*i.cond {
            return self.lower_if_let(
                l,
                &i.then_branch,
                i.else_branch.as_ref().map(|e| &*e.1),
                span,
            );
        }
        let n = self.env.len();
        // The condition is a temporary scope of its own.
        let gm = self.guards.len();
        let c = self.lower_expr(&i.cond)?;
        self.release_above(gm, span);
        let t = self.new_join(n, false);
        let f = self.new_join(n, false);
        let res = self.new_join(n, true);
        self.branch(c, &t, &f, span)?;
        self.enter(&t, span)?;
        let v = self.lower_block(&i.then_branch)?;
        self.release_above(gm, span);
        self.jump(&res, Some(v), span)?;
        self.enter(&f, span)?;
        let v = match &i.else_branch {
            Some((_, e)) => self.lower_expr(e)?,
            None => Value::Const(Const::Unit),
        };
        self.release_above(gm, span);
        self.jump(&res, Some(v), span)?;
        self.enter(&res, span)
    }

    fn lower_struct_lit(&mut self, s: &syn::ExprStruct, span: Span) -> R<Value> {
        if s.rest.is_some() || s.dot2_token.is_some() {
            return Err(unsupported(
                span,
                "struct update syntax (`..base`)",
                "write every field: `Name { a: x, b: base.b }`",
            ));
        }
        let (sid, variant) = match self.variant_of_path(&s.path) {
            Some((sid, v)) => (sid, Some(v)),
            None => (self.struct_of_path(&s.path, span)?, None),
        };
        // The fields this literal gives: all of a struct's, or one variant's.
        let (first, nfields, what, prefix) = match variant {
            Some(v) => {
                let d = self.variant_def(sid, v);
                let prefix = format!("{}.", d.name);
                (
                    d.first_field,
                    d.field_count,
                    format!("variant `{}`", self.variant_name(sid, v)),
                    prefix,
                )
            }
            None => (
                0,
                self.items.structs[sid].fields.len(),
                format!("struct `{}`", self.items.structs[sid].name),
                String::new(),
            ),
        };
        let mut slots: Vec<Option<Held>> = (0..nfields).map(|_| None).collect();
        // Fields are evaluated in the order written, each kept live while
        // the later ones are, then put in declaration order.
        let mark = self.env.len();
        for f in &s.fields {
            let name = member_name(&f.member);
            let fspan = self.sp(&f.member);
            let want = format!("{prefix}{name}");
            let Some(idx) = self.items.structs[sid].fields[first..first + nfields]
                .iter()
                .position(|fd| fd.name == want)
            else {
                return Err(error(
                    fspan,
                    format!("{what} has no field `{name}`"),
                    "unknown field",
                    "use the field names of the declaration",
                ));
            };
            let v = self.lower_expr(&f.expr)?;
            if slots[idx].is_some() {
                return Err(error(
                    fspan,
                    format!("field `{name}` given twice"),
                    "again",
                    "give each field once",
                ));
            }
            slots[idx] = Some(self.hold(v));
        }
        let mut args = Vec::new();
        for (i, s) in slots.into_iter().enumerate() {
            match s {
                Some(h) => args.push(self.held(&h)),
                None => {
                    let full = &self.items.structs[sid].fields[first + i].name;
                    return Err(error(
                        span,
                        format!("missing field `{}`", &full[prefix.len()..]),
                        "incomplete literal",
                        "give every field a value",
                    ));
                }
            }
        }
        self.env.truncate(mark);
        if let Some(variant) = variant {
            return Ok(self.emit_v(OpKind::NewEnum { ty: sid, variant }, args, span));
        }
        Ok(self.emit_v(OpKind::NewStruct(sid), args, span))
    }
}

pub(crate) fn member_name(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(i) => i.to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}

/// Does evaluating `e` call anything or assign?
pub(crate) fn has_side_effects(e: &syn::Expr) -> bool {
    struct V(bool);
    impl<'ast> Visit<'ast> for V {
        fn visit_expr_call(&mut self, _: &'ast syn::ExprCall) {
            self.0 = true;
        }
        fn visit_expr_method_call(&mut self, _: &'ast syn::ExprMethodCall) {
            self.0 = true;
        }
        fn visit_macro(&mut self, _: &'ast syn::Macro) {
            self.0 = true;
        }
        fn visit_expr_assign(&mut self, _: &'ast syn::ExprAssign) {
            self.0 = true;
        }
        fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
            use syn::BinOp as B;
            if !matches!(
                b.op,
                B::Add(_)
                    | B::Sub(_)
                    | B::Mul(_)
                    | B::Div(_)
                    | B::Rem(_)
                    | B::And(_)
                    | B::Or(_)
                    | B::BitAnd(_)
                    | B::BitOr(_)
                    | B::BitXor(_)
                    | B::Shl(_)
                    | B::Shr(_)
                    | B::Eq(_)
                    | B::Ne(_)
                    | B::Lt(_)
                    | B::Le(_)
                    | B::Gt(_)
                    | B::Ge(_)
            ) {
                self.0 = true;
            }
            syn::visit::visit_expr_binary(self, b);
        }
    }
    let mut v = V(false);
    v.visit_expr(e);
    v.0
}

/// Side effects of evaluating the place (not of the final store).
fn place_has_side_effects(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Path(_) => false,
        syn::Expr::Paren(p) => place_has_side_effects(&p.expr),
        syn::Expr::Field(f) => place_has_side_effects(&f.base),
        syn::Expr::Index(i) => place_has_side_effects(&i.expr) || has_side_effects(&i.index),
        other => has_side_effects(other),
    }
}

impl FnBuilder<'_> {
    /// The span of `[index]` in `base[index]`.
    pub(super) fn bracket_span(&self, i: &syn::ExprIndex) -> Span {
        super::span_of(self.items.file, i.bracket_token.span.join())
    }
}
