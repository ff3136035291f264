//! Paths as values, function calls and method calls.

use super::builder::{CellKind, FnBuilder};
use super::consts::assoc_const;
use super::paths::{is_known_function, is_never_returning, KNOWN_FUNCTIONS_HELP};
use super::reject::{error, unsupported, R};
use crate::model::{Const, OpKind, StructId, Value, VariantShape};
use crate::span::Span;

fn segments(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

impl FnBuilder<'_> {
    pub fn lower_path_value(&mut self, p: &syn::ExprPath, span: Span) -> R<Value> {
        if p.qself.is_some() {
            return Err(unsupported(
                span,
                "a qualified path `<T as Trait>::x`",
                "write the plain path",
            ));
        }
        let segs = segments(&p.path);
        if let [name] = segs.as_slice() {
            // A scalar local in a cell reads its item; a `&mut` scalar
            // parameter is the cell (the reference) itself.
            // (A parameter passed on to a call is the cell: `lower_call_args`.)
            match self.cell_of(name) {
                Some((CellKind::Guard, cell)) => return Ok(self.guard_get(cell, span)),
                Some((CellKind::Elem { seq, idx }, _)) => return Ok(self.slot_get(seq, idx, span)),
                Some((_, cell)) => return Ok(self.cell_get(cell, span)),
                None => {}
            }
            if let Some(b) = self.lookup(name) {
                return Ok(b.value.clone());
            }
            if name == "None" {
                return Ok(Value::Const(Const::None));
            }
            if let Some(c) = self.items.consts.get(name) {
                return Ok(Value::Const(c.clone()));
            }
            if let Some(g) = self.items.fns.get(name) {
                return Ok(Value::Const(Const::Fn(*g)));
            }
            let unit_struct = if name == "Self" {
                self.self_struct
            } else {
                self.items.struct_ids.get(name).copied()
            };
            if let Some(sid) = unit_struct {
                if self.items.structs[sid].fields.is_empty() && !self.items.structs[sid].is_enum() {
                    return Ok(self.emit_v(OpKind::NewStruct(sid), vec![], span));
                }
            }
        }
        if let Some((sid, variant)) = self.variant_of_path(&p.path) {
            let def = self.variant_def(sid, variant);
            if def.shape != VariantShape::Unit {
                let (what, help) = match def.shape {
                    VariantShape::Tuple => (
                        "a tuple variant used as a function value",
                        "call it with its fields: `Enum::Variant(a, b)`",
                    ),
                    _ => (
                        "a struct variant without its fields",
                        "give its fields: `Enum::Variant { x: 1 }`",
                    ),
                };
                return Err(unsupported(span, what, help));
            }
            return Ok(self.emit_v(OpKind::NewEnum { ty: sid, variant }, vec![], span));
        }
        if let Some(c) = self.user_assoc_const(&segs) {
            return Ok(Value::Const(c));
        }
        let canon = self.items.uses.resolve(&segs);
        if let Some(c) = assoc_const(&canon) {
            return Ok(Value::Const(c));
        }
        if segs.len() == 2 && (segs[0] == "Self" || self.items.struct_ids.contains_key(&segs[0])) {
            if let Some(g) = self.assoc_fn(&segs[0], &segs[1]) {
                return Ok(Value::Const(Const::Fn(g)));
            }
        }
        Err(error(
            span,
            format!("cannot find `{}`", segs.join("::")),
            "not a local variable, constant or function the translator knows",
            "declare it before use; the translator knows locals, `const` items, your \
             functions and std constants like `i32::MAX`",
        ))
    }

    /// `Struct::name` or `Self::name` -> the graph of that associated fn.
    fn assoc_fn(&self, ty: &str, name: &str) -> Option<crate::model::GraphId> {
        let sname = if ty == "Self" {
            self.items.structs.get(self.self_struct?)?.name.clone()
        } else {
            ty.to_string()
        };
        self.items.fns.get(&format!("{sname}::{name}")).copied()
    }

    pub fn struct_of_path(&self, p: &syn::Path, span: Span) -> R<StructId> {
        let segs = segments(p);
        if let [name] = segs.as_slice() {
            if name == "Self" {
                if let Some(s) = self.self_struct {
                    return Ok(s);
                }
            } else if let Some(s) = self.items.struct_ids.get(name) {
                if self.items.structs[*s].is_enum() {
                    return Err(error(
                        span,
                        format!("`{name}` is an enum, not a struct"),
                        "an enum",
                        &format!("name one of its variants: `{name}::Variant {{ .. }}`"),
                    ));
                }
                return Ok(*s);
            }
        }
        Err(error(
            span,
            format!("unknown struct `{}`", segs.join("::")),
            "not a struct of this file",
            "declare the struct with `struct Name { ... }`",
        ))
    }

    pub fn lower_call(&mut self, c: &syn::ExprCall, span: Span) -> R<Value> {
        if let Some(v) = self.lower_guard_drop(c, span)? {
            return Ok(v);
        }
        let syn::Expr::Path(fp) = &*c.func else {
            return Err(unsupported(
                self.sp(&c.func),
                "calling a computed value",
                "call functions by name: `f(x)` or `Type::f(x)`",
            ));
        };
        if fp.qself.is_some() {
            return Err(unsupported(
                span,
                "a qualified path `<T as Trait>::f`",
                "call the function by its plain path",
            ));
        }
        let segs = segments(&fp.path);
        if let [name] = segs.as_slice() {
            if self.lookup(name).is_some() {
                return Err(unsupported(
                    span,
                    "calling a local variable",
                    "call functions by name",
                ));
            }
            match name.as_str() {
                "Some" | "Ok" | "Err" => {
                    if c.args.len() != 1 {
                        return Err(error(
                            span,
                            format!("`{name}` takes one value"),
                            "here",
                            "write `Some(x)`",
                        ));
                    }
                    let args = self.lower_operands(&c.args)?;
                    return Ok(self.emit_v(OpKind::NewVariant(name.clone()), args, span));
                }
                _ => {}
            }
            if let Some(g) = self.items.fns.get(name).copied() {
                return self.call_graph(g, &c.args, span);
            }
            let tuple_struct = if name == "Self" {
                self.self_struct
            } else {
                self.items.struct_ids.get(name).copied()
            };
            if let Some(sid) = tuple_struct.filter(|s| !self.items.structs[*s].is_enum()) {
                let n = self.items.structs[sid].fields.len();
                if n != c.args.len() {
                    return Err(error(
                        span,
                        format!("`{name}` has {n} field(s)"),
                        "wrong number of values",
                        "give one value per field",
                    ));
                }
                let args = self.lower_operands(&c.args)?;
                return Ok(self.emit_v(OpKind::NewStruct(sid), args, span));
            }
        }
        if let Some((sid, variant)) = self.variant_of_path(&fp.path) {
            let def = self.variant_def(sid, variant);
            let n = def.field_count;
            if def.shape != VariantShape::Tuple {
                let help = if def.shape == VariantShape::Unit {
                    "write it without parentheses: `Enum::Variant`"
                } else {
                    "give its fields by name: `Enum::Variant { x: 1 }`"
                };
                return Err(error(
                    span,
                    format!(
                        "`{}` is not a tuple variant",
                        self.variant_name(sid, variant)
                    ),
                    "called like a function",
                    help,
                ));
            }
            if n != c.args.len() {
                return Err(error(
                    span,
                    format!(
                        "`{}` has {n} field(s) but {} value(s) were given",
                        self.variant_name(sid, variant),
                        c.args.len()
                    ),
                    "wrong number of values",
                    "give one value per field",
                ));
            }
            let args = self.lower_operands(&c.args)?;
            return Ok(self.emit_v(OpKind::NewEnum { ty: sid, variant }, args, span));
        }
        if segs.len() == 2 && (segs[0] == "Self" || self.items.struct_ids.contains_key(&segs[0])) {
            if let Some(g) = self.assoc_fn(&segs[0], &segs[1]) {
                return self.call_graph(g, &c.args, span);
            }
            return Err(error(
                span,
                format!("no associated function `{}`", segs.join("::")),
                "not defined",
                "define it in the struct's `impl` block",
            ));
        }
        if segs.len() == 2 && self.items.type_params.borrow().lookup(&segs[0]).is_some() {
            return Err(error(
                span,
                format!(
                    "calling `{}` on the type parameter `{}` is not supported yet",
                    segs[1], segs[0]
                ),
                "associated function of a type parameter",
                &format!(
                    "take a value of type `{}` as a parameter (or a value to copy from) and call \
                     methods on it",
                    segs[0]
                ),
            ));
        }
        let canon = self.items.uses.resolve(&segs);
        let type_like = |s: &str| {
            crate::model::IntTy::from_name(s).is_some()
                || matches!(
                    s,
                    "Vec"
                        | "String"
                        | "HashMap"
                        | "Box"
                        | "Option"
                        | "char"
                        | "f64"
                        | "bool"
                        | "str"
                )
        };
        // `i64::from(x)` of a number, `bool` or `char` (a lossless
        // conversion, else rustc rejects it): `x as i64`.
        if canon.len() == 2 && canon[1] == "from" && c.args.len() == 1 {
            let ty = match canon[0].as_str() {
                "f64" => Some(crate::model::Ty::F64),
                "char" => Some(crate::model::Ty::Char),
                t => crate::model::IntTy::from_name(t).map(crate::model::Ty::Int),
            };
            if let Some(ty) = ty {
                let v = self.lower_expr(&c.args[0])?;
                return Ok(self.emit_v(OpKind::Cast(ty), vec![v], span));
            }
        }
        // `String::from_utf8`, `char::from_u32`, `i64::from_str_radix`: an
        // associated function (not a method) that is not supported.
        let constructor = |n: &str| {
            n.starts_with("from")
                || n.starts_with("new")
                || n.starts_with("with_")
                || n == "default"
        };
        if canon.len() == 2
            && type_like(&canon[0])
            && constructor(&canon[1])
            && !is_known_function(&canon)
        {
            return Err(unsupported(
                span,
                &format!("`{}`", segs.join("::")),
                KNOWN_FUNCTIONS_HELP,
            ));
        }
        if matches!(
            canon.first().map(|s| s.as_str()),
            Some("Rc" | "RefCell" | "Cell")
        ) && !is_known_function(&canon)
        {
            return Err(unsupported(
                span,
                &format!("`{}`", segs.join("::")),
                "of `Rc`, RRust has `Rc::new`, `Rc::clone` and `Rc::ptr_eq` (objects are \
                 shared by the collector, so counts and unwrapping have no meaning here); \
                 `RefCell::new` and `Cell::new` make cells, used through their methods",
            ));
        }
        if let Some(t) = canon
            .iter()
            .find(|s| matches!(s.as_str(), "Weak" | "Arc" | "Mutex"))
        {
            return Err(error(
                span,
                format!("`{t}` (shared mutable data) is not supported yet"),
                "not supported by the translator",
                "keep the shared objects in one `Vec` and refer to them by index, or let one owner \
                 hold them and pass `&mut` to it; plain references to structs are shared objects \
                 here already",
            ));
        }
        if canon.len() == 2 && type_like(&canon[0]) && !is_known_function(&canon) {
            return Err(error(
                span,
                format!("`{}` cannot be called as a path", segs.join("::")),
                "method called by its path",
                &format!(
                    "call it as a method on its first argument: `x.{}(..)`",
                    canon[1]
                ),
            ));
        }
        if !is_known_function(&canon) {
            return Err(error(
                span,
                format!("unknown function `{}`", segs.join("::")),
                "not a function of this file or a std function the translator knows",
                KNOWN_FUNCTIONS_HELP,
            ));
        }
        let args = self.lower_operands(&c.args)?;
        let never = is_never_returning(&canon);
        let v = self.emit_v(OpKind::CallPath(canon), args, span);
        if never {
            self.diverge();
        }
        Ok(v)
    }

    fn call_graph(
        &mut self,
        g: crate::model::GraphId,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        span: Span,
    ) -> R<Value> {
        let args = self.lower_call_args(args, 0)?;
        let v = self.emit_v(OpKind::Call(g), args, span);
        if self.items.never_fns.contains(&g) {
            self.diverge();
        }
        Ok(v)
    }

    pub fn lower_method_call(&mut self, m: &syn::ExprMethodCall, span: Span) -> R<Value> {
        let turbofish = match &m.turbofish {
            None => None,
            Some(t) => {
                if t.args.len() != 1 {
                    return Err(unsupported(
                        span,
                        "a turbofish with several types",
                        "give one type",
                    ));
                }
                match t.args.first() {
                    Some(syn::GenericArgument::Type(ty)) => {
                        Some(super::types::lower_type(self.items, self.self_struct, ty)?)
                    }
                    _ => return Err(unsupported(span, "this turbofish", "give a type: `::<T>`")),
                }
            }
        };
        self.reject_slice_receiver(m)?;
        if let Some(e) = self.elem_expr_of(m) {
            return self.lower_elem_value(e, span);
        }
        // `s.chars().nth(i)`, `s.lines().next()`, `s.split(',').count()`:
        // the pieces are a fresh `Vec`, which these read as the iterator
        // would on its first use (only right on the call: an iterator kept
        // in a variable is not a `Vec`).
        let fresh_pieces = matches!(&*m.receiver, syn::Expr::MethodCall(r)
            if matches!(r.method.to_string().as_str(), "chars" | "lines" | "split_whitespace" | "split"));
        let seq_method = match (m.method.to_string().as_str(), m.args.len()) {
            ("nth", 1) => Some("__seq_nth"),
            ("next", 0) => Some("__seq_next"),
            ("count", 0) => Some("__seq_count"),
            _ => None,
        };
        if let (true, Some(hidden)) = (fresh_pieces, seq_method) {
            let args =
                self.lower_call_args(std::iter::once(&*m.receiver).chain(m.args.iter()), 1)?;
            let name = super::span_of(self.items.file, m.method.span());
            return Ok(self.emit_v(
                OpKind::MethodCall {
                    name: hidden.into(),
                    turbofish: None,
                },
                args,
                name,
            ));
        }
        // `v.drain(..)`: the items, moved out into a new `Vec` (Rust's
        // `Drain` removes them all, even when the loop over it stops early).
        if m.method == "drain" && m.args.len() == 1 {
            if let syn::Expr::Range(r) = &m.args[0] {
                if r.start.is_none() && r.end.is_none() {
                    let v = self.lower_expr(&m.receiver)?;
                    let name = super::span_of(self.items.file, m.method.span());
                    return Ok(self.emit_v(
                        OpKind::MethodCall {
                            name: "__drain_all".into(),
                            turbofish: None,
                        },
                        vec![v],
                        name,
                    ));
                }
            }
        }
        if let Some((m, mutable)) = self.borrow_call_of(m) {
            return self.lower_borrow(m, mutable);
        }
        // The receiver stays live while the arguments are lowered.
        let args = self.lower_call_args(std::iter::once(&*m.receiver).chain(m.args.iter()), 1)?;
        // rustc places a method call (and the panic location of a
        // `#[track_caller]` method such as `unwrap`) at the method's name,
        // not at the receiver.
        let name = super::span_of(self.items.file, m.method.span());
        let close = super::span_of(self.items.file, m.paren_token.span.close());
        let call_span = Span {
            hi: close.hi.max(name.hi),
            ..name
        };
        Ok(self.emit_v(
            OpKind::MethodCall {
                name: m.method.to_string(),
                turbofish,
            },
            args,
            call_span,
        ))
    }
}
