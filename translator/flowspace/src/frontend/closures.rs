//! Closures, lifted before items are collected (as traits and derives are
//! expanded): each closure expression becomes a struct of its own holding
//! the variables it captures, and a method `__call` of that struct running
//! its body, so a closure is an ordinary object and a call of one an
//! ordinary method call. A generic function taking `F: Fn(i64) -> i64` gets
//! one instance per closure type, as rustc's does.
//!
//! ```text
//! let k = 3;                      struct __Closure0 { k: _ }
//! let f = |x| x * k;        =>    impl __Closure0 { fn __call(&mut self, x: _) -> _ { let k = self.k; x * k } }
//! f(2)                            let f = __Closure0 { k: k };  f.__call(2)
//! ```
//!
//! Captures are copies of the variables' values: the same object for heap
//! values (vectors, strings, structs), so changes through them are seen
//! outside as with Rust's by-reference captures; scalars are copied, which
//! is exact because borrowck keeps the outer variable unchanged while a
//! closure that reads it lives. A closure that assigns to a captured
//! variable is exact only when it is `move` (its copy is a field of the
//! closure's own object, kept between calls); without `move` it is
//! rejected. `&mut x` of a captured `x` becomes `&mut self.x`.
//!
//! Calls: `f(args)` where `f` is a local variable (or a parameter) and
//! `(expr)(args)` become `f.__call(args)`; the annotator gives `__call` of a
//! function value the function itself.

use super::derives::respan;
use super::reject::error;
use super::span_of;
use crate::diag::Diagnostic;
use crate::span::FileId;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote_spanned};
use std::str::FromStr;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// The method a closure's body becomes.
pub(crate) const CALL: &str = "__call";

/// Lifts every closure of the file; returns the names of the structs made
/// and the diagnostics of closures that are not supported.
pub(crate) fn expand(file: FileId, ast: &mut syn::File) -> (Vec<String>, Vec<Diagnostic>) {
    let mut lifter = Lifter {
        file,
        scopes: Vec::new(),
        count: 0,
        items: Vec::new(),
        diags: Vec::new(),
    };
    for item in &mut ast.items {
        match item {
            syn::Item::Fn(f) => lifter.function(&f.sig, &mut f.block, false),
            syn::Item::Impl(imp) => {
                for it in &mut imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        let has_self = f.sig.receiver().is_some();
                        lifter.function(&f.sig, &mut f.block, has_self);
                    }
                }
            }
            _ => {}
        }
    }
    ast.items.append(&mut lifter.items);
    let names = (0..lifter.count).map(|n| format!("__Closure{n}")).collect();
    (names, lifter.diags)
}

struct Lifter {
    file: FileId,
    /// The local variables in scope, innermost scope last (`self` too, in
    /// methods).
    scopes: Vec<Vec<String>>,
    count: usize,
    /// The structs and impls made so far.
    items: Vec<syn::Item>,
    diags: Vec<Diagnostic>,
}

impl Lifter {
    fn function(&mut self, sig: &syn::Signature, body: &mut syn::Block, has_self: bool) {
        let mut names = Vec::new();
        if has_self {
            names.push("self".to_string());
        }
        for input in &sig.inputs {
            if let syn::FnArg::Typed(t) = input {
                bind(&t.pat, &mut names);
            }
        }
        self.scopes = vec![names];
        self.visit_block_mut(body);
        self.scopes.clear();
    }

    fn in_scope(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.iter().any(|n| n == name))
    }

    fn bind_here(&mut self, pat: &syn::Pat) {
        if let Some(s) = self.scopes.last_mut() {
            bind(pat, s);
        }
    }

    /// Visits `f` with the names of `pats` in a scope of their own.
    fn scoped(&mut self, pats: &[&syn::Pat], f: impl FnOnce(&mut Self)) {
        let mut names = Vec::new();
        for p in pats {
            bind(p, &mut names);
        }
        self.scopes.push(names);
        f(self);
        self.scopes.pop();
    }

    /// Replaces closure `c` (whose nested closures are lifted already) by a
    /// struct literal of a new type, adding the type and its `__call`.
    fn lift(&mut self, c: &syn::ExprClosure) -> Option<syn::Expr> {
        let span = c.span();
        let at = span_of(self.file, span);
        let mut params = Vec::new();
        bind_all(c.inputs.iter(), &mut params);
        // The captures: names of the enclosing scopes the body uses.
        let mut used = FreeNames::default();
        used.visit_expr(&c.body);
        let captures: Vec<String> = used
            .names
            .into_iter()
            .filter(|n| !params.contains(n) && self.in_scope(n))
            .collect();
        // Assignments to captures.
        let mut assigned = Assigned::default();
        assigned.visit_expr(&c.body);
        let moving = c.capture.is_some();
        let mut rewritten: Vec<String> = Vec::new();
        for (name, s) in &assigned.names {
            if !captures.contains(name) {
                continue;
            }
            if !moving {
                self.diags.push(error(
                    span_of(self.file, *s),
                    format!(
                        "a closure that assigns to `{name}`, a variable of the enclosing \
                         function, is not supported yet"
                    ),
                    "assigned inside the closure",
                    "return the new value from the closure and assign it where you call it \
                     (`x = f(x)`), or keep the value in a struct field or a `Vec` that the \
                     closure changes",
                ));
                return None;
            }
            if !rewritten.contains(name) {
                rewritten.push(name.clone());
            }
        }
        let n = self.count;
        self.count += 1;
        let ty = format_ident!("__Closure{}", n, span = span);
        let field = |name: &str| {
            if name == "self" {
                format_ident!("__self", span = span)
            } else {
                format_ident!("{}", name, span = span)
            }
        };
        let fields: Vec<syn::Ident> = captures.iter().map(|c| field(c)).collect();
        let values: Vec<TokenStream> = captures
            .iter()
            .map(|c| {
                if c == "self" {
                    quote_spanned!(span=> self)
                } else {
                    let id = format_ident!("{}", c, span = span);
                    quote_spanned!(span=> #id)
                }
            })
            .collect();
        // Parameters: `x`, `x: T` as written; other patterns through a
        // plain parameter and a `let`.
        let mut sig_params = Vec::new();
        let mut unpack = Vec::new();
        for (k, p) in c.inputs.iter().enumerate() {
            match p {
                syn::Pat::Ident(_) => sig_params.push(quote_spanned!(span=> #p: _)),
                syn::Pat::Type(t) if matches!(*t.pat, syn::Pat::Ident(_)) => {
                    sig_params.push(quote_spanned!(span=> #t))
                }
                syn::Pat::Wild(_) => {
                    let a = format_ident!("__arg{}", k, span = span);
                    sig_params.push(quote_spanned!(span=> #a: _));
                }
                syn::Pat::Type(t) => {
                    let a = format_ident!("__arg{}", k, span = span);
                    let (pat, ty) = (&t.pat, &t.ty);
                    sig_params.push(quote_spanned!(span=> #a: #ty));
                    unpack.push(quote_spanned!(span=> let #pat = #a;));
                }
                other => {
                    let a = format_ident!("__arg{}", k, span = span);
                    sig_params.push(quote_spanned!(span=> #a: _));
                    unpack.push(quote_spanned!(span=> let #other = #a;));
                }
            }
        }
        let ret = match &c.output {
            syn::ReturnType::Default => quote_spanned!(span=> _),
            syn::ReturnType::Type(_, t) => quote_spanned!(span=> #t),
        };
        // Reads of captures through locals; assigned ones of a `move`
        // closure (and every `&mut x`) through the fields themselves.
        let mut body = (*c.body).clone();
        let mut to_fields = ToFields {
            all: captures.clone(),
            assigned: rewritten.clone(),
            self_captured: captures.iter().any(|c| c == "self"),
            trouble: None,
        };
        to_fields.visit_expr_mut(&mut body);
        if let Some((name, why)) = to_fields.trouble {
            self.diags.push(error(
                at,
                format!(
                    "this `move` closure assigns to its captured `{name}` and also {why}: \
                     not supported yet"
                ),
                "in this closure",
                &format!("copy it into a variable of another name first (`let v = {name};`) and use that"),
            ));
            return None;
        }
        let reads: Vec<TokenStream> = captures
            .iter()
            .filter(|c| !rewritten.contains(c))
            .map(|c| {
                let f = field(c);
                if c == "self" {
                    quote_spanned!(span=> let __self = self.__self;)
                } else {
                    quote_spanned!(span=> let #f = self.#f;)
                }
            })
            .collect();
        let head = quote_spanned! {span=>
            struct #ty { #(#fields: _,)* }
        };
        let method = quote_spanned! {span=>
            impl #ty {
                fn __call(&mut self, #(#sig_params,)*) -> #ret {
                    #(#reads)*
                    #(#unpack)*
                    #body
                }
            }
        };
        let lit = quote_spanned!(span=> #ty { #(#fields: #values,)* });
        for ts in [head, method] {
            match syn::parse2::<syn::Item>(ts) {
                Ok(item) => self.items.push(item),
                Err(_) => {
                    self.diags
                        .push(super::reject::internal(at, "a closure's lifted form"));
                    return None;
                }
            }
        }
        match syn::parse2::<syn::Expr>(lit) {
            Ok(e) => Some(e),
            Err(_) => {
                self.diags
                    .push(super::reject::internal(at, "a closure's struct literal"));
                None
            }
        }
    }
}

impl Lifter {
    /// The condition of an `if` or `while` and the block it guards, where
    /// the names an `if let`/`while let` pattern binds are in scope.
    fn cond_body(&mut self, cond: &mut syn::Expr, body: &mut syn::Block) {
        if let syn::Expr::Let(l) = cond {
            self.visit_expr_mut(&mut l.expr);
            let pat = (*l.pat).clone();
            self.scoped(&[&pat], |me| me.visit_block_mut(body));
        } else {
            self.visit_expr_mut(cond);
            self.visit_block_mut(body);
        }
    }
}

impl VisitMut for Lifter {
    fn visit_block_mut(&mut self, b: &mut syn::Block) {
        self.scopes.push(Vec::new());
        for s in &mut b.stmts {
            self.visit_stmt_mut(s);
        }
        self.scopes.pop();
    }

    fn visit_local_mut(&mut self, l: &mut syn::Local) {
        if let Some(init) = &mut l.init {
            self.visit_expr_mut(&mut init.expr);
            if let Some((_, els)) = &mut init.diverge {
                self.visit_expr_mut(els);
            }
        }
        self.bind_here(&l.pat);
    }

    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        match e {
            syn::Expr::Closure(c) => {
                let params: Vec<syn::Pat> = c.inputs.iter().cloned().collect();
                let refs: Vec<&syn::Pat> = params.iter().collect();
                self.scoped(&refs, |me| me.visit_expr_mut(&mut c.body));
                // A closure that cannot be lifted was reported; `()` stands
                // for it so that it is not reported twice.
                *e = match self.lift(c) {
                    Some(lit) => lit,
                    None => syn::parse_quote!(()),
                };
            }
            syn::Expr::Call(call) => {
                for a in &mut call.args {
                    self.visit_expr_mut(a);
                }
                self.visit_expr_mut(&mut call.func);
                let callee = match &*call.func {
                    syn::Expr::Path(p)
                        if p.qself.is_none()
                            && p.path.segments.len() == 1
                            && p.path.segments[0].arguments.is_empty()
                            && self.in_scope(&p.path.segments[0].ident.to_string()) =>
                    {
                        Some((*call.func).clone())
                    }
                    syn::Expr::Paren(p) => Some((*p.expr).clone()),
                    syn::Expr::Field(_) => Some((*call.func).clone()),
                    _ => None,
                };
                if let Some(f) = callee {
                    let span = call.func.span();
                    let method = syn::Ident::new(CALL, span);
                    *e = syn::Expr::MethodCall(syn::ExprMethodCall {
                        attrs: call.attrs.clone(),
                        receiver: Box::new(f),
                        dot_token: Default::default(),
                        method,
                        turbofish: None,
                        paren_token: call.paren_token,
                        args: call.args.clone(),
                    });
                }
            }
            syn::Expr::ForLoop(f) => {
                self.visit_expr_mut(&mut f.expr);
                let pat = (*f.pat).clone();
                self.scoped(&[&pat], |me| me.visit_block_mut(&mut f.body));
            }
            syn::Expr::Match(m) => {
                self.visit_expr_mut(&mut m.expr);
                for arm in &mut m.arms {
                    let pat = arm.pat.clone();
                    self.scoped(&[&pat], |me| {
                        if let Some((_, g)) = &mut arm.guard {
                            me.visit_expr_mut(g);
                        }
                        me.visit_expr_mut(&mut arm.body);
                    });
                }
            }
            syn::Expr::If(i) => {
                self.cond_body(&mut i.cond, &mut i.then_branch);
                if let Some((_, els)) = &mut i.else_branch {
                    self.visit_expr_mut(els);
                }
            }
            syn::Expr::While(w) => self.cond_body(&mut w.cond, &mut w.body),
            // `let` inside a condition chain: its names for the rest of the
            // enclosing block (a superset of Rust's scope, harmless here:
            // only names the closure uses are captured).
            syn::Expr::Let(l) => {
                self.visit_expr_mut(&mut l.expr);
                let pat = (*l.pat).clone();
                self.bind_here(&pat);
            }
            _ => syn::visit_mut::visit_expr_mut(self, e),
        }
    }

    /// Closures and calls of closures in `println!`-like arguments are
    /// lifted as anywhere else.
    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        super::macros::rewrite_macro_args(m, |a| self.visit_expr_mut(a));
    }

    // Items inside functions are rejected later; their bodies are not
    // searched for closures.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// `ts` with the `self` tokens renamed `__self` (inside a lifted closure
/// of a method).
fn rename_self(ts: TokenStream) -> TokenStream {
    ts.into_iter()
        .map(|t| match t {
            TokenTree::Ident(i) if i == "self" => {
                TokenTree::Ident(proc_macro2::Ident::new("__self", i.span()))
            }
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), rename_self(g.stream()));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            other => other,
        })
        .collect()
}

/// The variable names a pattern binds (snake-case identifiers: a capital
/// name is a unit variant or a constant).
fn bind(p: &syn::Pat, out: &mut Vec<String>) {
    match p {
        syn::Pat::Ident(i) => {
            let n = i.ident.to_string();
            if n.starts_with(|c: char| c.is_lowercase() || c == '_') {
                out.push(n);
            }
            if let Some((_, sub)) = &i.subpat {
                bind(sub, out);
            }
        }
        syn::Pat::Tuple(t) => bind_all(t.elems.iter(), out),
        syn::Pat::TupleStruct(t) => bind_all(t.elems.iter(), out),
        syn::Pat::Struct(s) => bind_all(s.fields.iter().map(|f| &*f.pat), out),
        syn::Pat::Reference(r) => bind(&r.pat, out),
        syn::Pat::Slice(s) => bind_all(s.elems.iter(), out),
        syn::Pat::Or(o) => bind_all(o.cases.iter(), out),
        syn::Pat::Paren(p) => bind(&p.pat, out),
        syn::Pat::Type(t) => bind(&t.pat, out),
        _ => {}
    }
}

fn bind_all<'p>(ps: impl Iterator<Item = &'p syn::Pat>, out: &mut Vec<String>) {
    for p in ps {
        bind(p, out);
    }
}

/// The single-identifier paths an expression uses, in order of first use
/// (also inside macro arguments and `{name}` in format strings), and
/// `self`.
#[derive(Default)]
struct FreeNames {
    names: Vec<String>,
}

impl FreeNames {
    fn add(&mut self, n: String) {
        if !self.names.contains(&n) {
            self.names.push(n);
        }
    }

    fn tokens(&mut self, ts: TokenStream) {
        for t in ts {
            match t {
                TokenTree::Ident(i) => self.add(i.to_string()),
                TokenTree::Group(g) => self.tokens(g.stream()),
                TokenTree::Literal(l) => {
                    // `{name}` and `{name:?}` captures of format strings.
                    let s = l.to_string();
                    if s.starts_with('"') {
                        for part in s.split('{').skip(1) {
                            let name: String = part
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_')
                                .collect();
                            if !name.is_empty() {
                                self.add(name);
                            }
                        }
                    }
                }
                TokenTree::Punct(_) => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for FreeNames {
    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1 {
            self.add(p.path.segments[0].ident.to_string());
        }
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.tokens(m.tokens.clone());
    }
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// Variables assigned by name (`x = ..`, `x += ..`) in an expression.
#[derive(Default)]
struct Assigned {
    names: Vec<(String, proc_macro2::Span)>,
}

fn path_name(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(p.path.segments[0].ident.to_string())
        }
        syn::Expr::Paren(p) => path_name(&p.expr),
        _ => None,
    }
}

fn is_compound_assign(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

impl<'ast> Visit<'ast> for Assigned {
    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        if let Some(n) = path_name(&a.left) {
            self.names.push((n, a.span()));
        }
        syn::visit::visit_expr_assign(self, a);
    }
    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        if is_compound_assign(&b.op) {
            if let Some(n) = path_name(&b.left) {
                self.names.push((n, b.span()));
            }
        }
        syn::visit::visit_expr_binary(self, b);
    }
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// Rewrites, in a closure body, the captures in `assigned` (all uses) and
/// `&mut x` of any capture to fields of the closure (`self.x`).
struct ToFields {
    all: Vec<String>,
    assigned: Vec<String>,
    /// `self` of the enclosing method is captured: it is `__self` here.
    self_captured: bool,
    /// A rewritten name that is also declared inside the body or used in a
    /// macro, and which of the two.
    trouble: Option<(String, &'static str)>,
}

impl ToFields {
    fn field(name: &str, span: Span) -> syn::Expr {
        let text = if name == "self" {
            "self.__self".to_string()
        } else {
            format!("self.{name}")
        };
        let ts = TokenStream::from_str(&text).unwrap_or_default();
        syn::parse2::<syn::Expr>(respan(ts, span))
            .unwrap_or_else(|_| syn::Expr::Verbatim(TokenStream::new()))
    }
}

impl VisitMut for ToFields {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        match e {
            syn::Expr::Reference(r) if r.mutability.is_some() => {
                if let Some(n) = path_name(&r.expr) {
                    if self.all.contains(&n) {
                        *r.expr = Self::field(&n, r.expr.span());
                        return;
                    }
                }
                syn::visit_mut::visit_expr_mut(self, e);
            }
            syn::Expr::Path(_) => {
                if let Some(n) = path_name(e) {
                    if self.assigned.contains(&n) {
                        *e = Self::field(&n, e.span());
                    } else if n == "self" && self.self_captured {
                        *e = syn::Expr::Path(syn::ExprPath {
                            attrs: vec![],
                            qself: None,
                            path: syn::Ident::new("__self", e.span()).into(),
                        });
                    }
                }
            }
            // A nested closure was lifted already: its captures are in
            // its struct literal, visited as expressions.
            _ => syn::visit_mut::visit_expr_mut(self, e),
        }
    }
    fn visit_local_mut(&mut self, l: &mut syn::Local) {
        let mut names = Vec::new();
        bind(&l.pat, &mut names);
        if let Some(n) = names.iter().find(|n| self.assigned.contains(n)) {
            self.trouble = Some((n.clone(), "declares a variable of that name"));
        }
        syn::visit_mut::visit_local_mut(self, l);
    }
    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        // Uses inside macros (`println!("{}", x)`) cannot be rewritten
        // token by token safely: reject when an assigned capture is used
        // there.
        let mut free = FreeNames::default();
        free.tokens(m.tokens.clone());
        if let Some(n) = free.names.iter().find(|n| self.assigned.contains(n)) {
            self.trouble = Some((n.clone(), "uses it inside a macro"));
        }
        if self.self_captured {
            m.tokens = rename_self(m.tokens.clone());
        }
    }
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}
