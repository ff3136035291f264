//! Iterator chains, rewritten into loops before closures are lifted:
//! `v.iter().filter(|x| **x > 0).map(|x| x * 2).sum::<i64>()` becomes a
//! block that binds the closures, runs one `for` over the source (any
//! iterable a `for` takes: `v.iter()`, `&v`, a range, `s.chars()`, ..) and
//! passes each item through the adapters in order, then into the consumer.
//! The closures are called in the order Rust's lazy iterators call them,
//! item by item; `take(n)` stops before pulling an item more.
//!
//! Adapters: `map`, `filter`, `filter_map`, `enumerate`, `skip`, `take`,
//! `cloned`, `copied`. Consumers: `collect` (into a `Vec`, or a `String`
//! when the turbofish or the `let` says so), `sum`, `product`, `count`,
//! `any`, `all`, `position`, `find`, `max`, `min`, `last`, `fold`,
//! `for_each`; and a `for` loop over the chain itself.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

/// Rewrites every iterator chain of the file.
pub(crate) fn expand(ast: &mut syn::File) {
    let mut r = Rewriter {
        count: 0,
        std_extend: !defines_extend(ast),
    };
    r.visit_file_mut(ast);
}

struct Rewriter {
    count: usize,
    /// No method of the file is named `extend`, `extend_from_slice`,
    /// `retain` or `dedup`.
    std_extend: bool,
}

/// Whether an `impl` of the file defines `extend` or `extend_from_slice`.
fn defines_extend(ast: &syn::File) -> bool {
    ast.items.iter().any(|it| match it {
        syn::Item::Impl(i) => i.items.iter().any(|x| {
            matches!(x, syn::ImplItem::Fn(f)
                if ["extend", "extend_from_slice", "retain", "dedup"]
                    .iter()
                    .any(|n| f.sig.ident == n))
        }),
        _ => false,
    })
}

/// A place a `Vec` can be pushed to repeatedly: `v`, `self.v`, `a.b.c`.
fn is_place(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Path(p) => p.qself.is_none(),
        syn::Expr::Field(f) => is_place(&f.base),
        syn::Expr::Paren(p) => is_place(&p.expr),
        _ => false,
    }
}

/// One adapter of a chain, with its argument.
enum Stage {
    Map(syn::Expr),
    Filter(syn::Expr),
    FilterMap(syn::Expr),
    Enumerate,
    Skip(syn::Expr),
    Take(syn::Expr),
    Cloned,
    Copied,
}

/// The adapters that are stages wherever they stand (`enumerate` is one
/// only after another stage).
const ADAPTERS: &[&str] = &[
    "map",
    "filter",
    "filter_map",
    "skip",
    "take",
    "cloned",
    "copied",
];

/// What the consumer needs to know of the type it makes.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    Unknown,
    String,
    Float,
}

impl Rewriter {
    /// `expr` as (source, adapters in order) when it is a chain with at
    /// least one adapter the `for` lowering does not do itself.
    fn chain(e: &syn::Expr) -> Option<(syn::Expr, Vec<Stage>)> {
        let mut stages = Vec::new();
        let mut cur = e;
        while let syn::Expr::MethodCall(m) = cur {
            let arg = |k: usize| m.args.iter().nth(k).cloned();
            let stage = match (m.method.to_string().as_str(), m.args.len()) {
                ("map", 1) => Stage::Map(arg(0)?),
                ("filter", 1) => Stage::Filter(arg(0)?),
                ("filter_map", 1) => Stage::FilterMap(arg(0)?),
                ("skip", 1) => Stage::Skip(arg(0)?),
                ("take", 1) => Stage::Take(arg(0)?),
                ("cloned", 0) => Stage::Cloned,
                ("copied", 0) => Stage::Copied,
                // `.enumerate()` right after the source is the `for`
                // lowering's own; later ones are a stage.
                ("enumerate", 0) if !stages.is_empty() || Self::has_adapter(&m.receiver) => {
                    Stage::Enumerate
                }
                _ => break,
            };
            stages.push(stage);
            cur = &m.receiver;
        }
        if stages.is_empty() || !Self::is_source(cur) {
            return None;
        }
        stages.reverse();
        Some((cur.clone(), stages))
    }

    /// A chain below `e` holds an adapter.
    fn has_adapter(e: &syn::Expr) -> bool {
        match e {
            syn::Expr::MethodCall(m) => {
                ADAPTERS.contains(&m.method.to_string().as_str()) || Self::has_adapter(&m.receiver)
            }
            _ => false,
        }
    }

    /// What a `for` can loop over that starts a chain.
    fn is_source(e: &syn::Expr) -> bool {
        match e {
            syn::Expr::MethodCall(m) => matches!(
                m.method.to_string().as_str(),
                "iter"
                    | "iter_mut"
                    | "into_iter"
                    | "chars"
                    | "bytes"
                    | "lines"
                    | "split_whitespace"
                    | "split"
                    | "keys"
                    | "values"
                    | "drain"
                    | "rev"
                    | "enumerate"
            ),
            syn::Expr::Range(_) => true,
            syn::Expr::Paren(p) => Self::is_source(&p.expr),
            _ => false,
        }
    }

    /// The loop over `source` that runs `stages` on each item (bound to
    /// `item`), then `consume` (statements using `item`); `pre` are the
    /// bindings made before the loop.
    fn build_loop(
        &mut self,
        span: Span,
        source: &syn::Expr,
        stages: Vec<Stage>,
        consume: TokenStream,
    ) -> TokenStream {
        let n = self.count;
        self.count += 1;
        let item = format_ident!("__it{}", n, span = span);
        let mut pre = TokenStream::new();
        let mut top = TokenStream::new();
        // Stages from the innermost out: each wraps what follows it.
        let mut body = consume;
        for (k, st) in stages.into_iter().enumerate().rev() {
            let f = format_ident!("__f{}_{}", n, k, span = span);
            let c = format_ident!("__c{}_{}", n, k, span = span);
            body = match st {
                Stage::Map(e) => {
                    pre.extend(quote_spanned!(span=> let mut #f = #e;));
                    quote_spanned!(span=> let #item = #f(#item); #body)
                }
                Stage::Filter(e) => {
                    pre.extend(quote_spanned!(span=> let mut #f = #e;));
                    quote_spanned!(span=> if #f(&#item) { #body })
                }
                Stage::FilterMap(e) => {
                    pre.extend(quote_spanned!(span=> let mut #f = #e;));
                    quote_spanned!(span=> if let Some(#item) = #f(#item) { #body })
                }
                Stage::Enumerate => {
                    pre.extend(quote_spanned!(span=> let mut #c: usize = 0;));
                    quote_spanned!(span=> let #item = (#c, #item); #c += 1; #body)
                }
                Stage::Skip(e) => {
                    let lim = format_ident!("__n{}_{}", n, k, span = span);
                    pre.extend(quote_spanned!(span=> let #lim: usize = #e; let mut #c: usize = 0;));
                    quote_spanned!(span=> if #c >= #lim { #body } else { #c += 1; })
                }
                Stage::Take(e) => {
                    let lim = format_ident!("__n{}_{}", n, k, span = span);
                    pre.extend(quote_spanned!(span=> let #lim: usize = #e; let mut #c: usize = 0;));
                    // Checked before the next item is pulled.
                    top.extend(quote_spanned!(span=> if #c >= #lim { break; }));
                    quote_spanned!(span=> #c += 1; #body)
                }
                Stage::Cloned => quote_spanned!(span=> let #item = #item.clone(); #body),
                Stage::Copied => body,
            };
        }
        quote_spanned! {span=>
            #pre
            for #item in #source {
                #top
                #body
            }
        }
    }

    /// The block a consumer call `name(args)` at the end of a chain
    /// becomes, or `None` when it is not one.
    fn consumer(&mut self, m: &syn::ExprMethodCall, want: Want) -> Option<syn::Expr> {
        let name = m.method.to_string();
        let (source, stages) = match Self::chain(&m.receiver) {
            Some(c) => c,
            // A plain source (`v.iter().sum()`) is a chain without stages.
            None if Self::is_source(&m.receiver) => ((*m.receiver).clone(), Vec::new()),
            None => return None,
        };
        let span = m.span();
        let n = self.count;
        let r = format_ident!("__r{}", n, span = span);
        let g = format_ident!("__g{}", n, span = span);
        let item = format_ident!("__it{}", n, span = span);
        let args: Vec<&syn::Expr> = m.args.iter().collect();
        let turbofish = m
            .turbofish
            .as_ref()
            .map(|t| t.args.to_token_stream().to_string());
        let want = match turbofish.as_deref() {
            Some("String") => Want::String,
            Some("f64") => Want::Float,
            Some(_) => Want::Unknown,
            None => want,
        };
        // Rust's float sum starts at -0.0 (the sum of nothing is -0.0).
        let zero = if want == Want::Float {
            quote_spanned!(span=> -0.0)
        } else {
            quote_spanned!(span=> 0)
        };
        let one = if want == Want::Float {
            quote_spanned!(span=> 1.0)
        } else {
            quote_spanned!(span=> 1)
        };
        let (init, consume, result) = match (name.as_str(), args.as_slice()) {
            ("collect", []) if want == Want::String => (
                quote_spanned!(span=> let mut #r = String::new();),
                quote_spanned!(span=> #r.push(#item);),
                quote_spanned!(span=> #r),
            ),
            ("collect", []) => (
                quote_spanned!(span=> let mut #r = Vec::new();),
                quote_spanned!(span=> #r.push(#item);),
                quote_spanned!(span=> #r),
            ),
            // When the type is not written, the first item starts the
            // sum (so floats add as floats); an empty one is zero.
            ("sum", []) if want == Want::Unknown => (
                quote_spanned!(span=> let mut #r = None;),
                quote_spanned!(span=> #r = Some(match #r { Some(a) => a + #item, None => #item });),
                quote_spanned!(span=> match #r { Some(a) => a, None => 0 }),
            ),
            ("product", []) if want == Want::Unknown => (
                quote_spanned!(span=> let mut #r = None;),
                quote_spanned!(span=> #r = Some(match #r { Some(a) => a * #item, None => #item });),
                quote_spanned!(span=> match #r { Some(a) => a, None => 1 }),
            ),
            ("sum", []) => (
                quote_spanned!(span=> let mut #r = #zero;),
                quote_spanned!(span=> #r += #item;),
                quote_spanned!(span=> #r),
            ),
            ("product", []) => (
                quote_spanned!(span=> let mut #r = #one;),
                quote_spanned!(span=> #r *= #item;),
                quote_spanned!(span=> #r),
            ),
            ("count", []) => (
                quote_spanned!(span=> let mut #r: usize = 0;),
                quote_spanned!(span=> let _ = #item; #r += 1;),
                quote_spanned!(span=> #r),
            ),
            ("last", []) => (
                quote_spanned!(span=> let mut #r = None;),
                quote_spanned!(span=> #r = Some(#item);),
                quote_spanned!(span=> #r),
            ),
            ("max", []) => (
                quote_spanned!(span=> let mut #r = None;),
                // The last of equal maxima, as `Iterator::max`.
                quote_spanned!(span=> #r = match #r { Some(m) if m > #item => Some(m), _ => Some(#item) };),
                quote_spanned!(span=> #r),
            ),
            ("min", []) => (
                quote_spanned!(span=> let mut #r = None;),
                // The first of equal minima.
                quote_spanned!(span=> #r = match #r { Some(m) if m <= #item => Some(m), _ => Some(#item) };),
                quote_spanned!(span=> #r),
            ),
            ("any", [p]) => (
                quote_spanned!(span=> let mut #g = #p; let mut #r = false;),
                quote_spanned!(span=> if #g(#item) { #r = true; break; }),
                quote_spanned!(span=> #r),
            ),
            ("all", [p]) => (
                quote_spanned!(span=> let mut #g = #p; let mut #r = true;),
                quote_spanned!(span=> if !#g(#item) { #r = false; break; }),
                quote_spanned!(span=> #r),
            ),
            ("position", [p]) => {
                let i = format_ident!("__i{}", n, span = span);
                (
                    quote_spanned!(span=> let mut #g = #p; let mut #r = None; let mut #i: usize = 0;),
                    quote_spanned!(span=> if #g(#item) { #r = Some(#i); break; } #i += 1;),
                    quote_spanned!(span=> #r),
                )
            }
            ("find", [p]) => (
                quote_spanned!(span=> let mut #g = #p; let mut #r = None;),
                quote_spanned!(span=> if #g(&#item) { #r = Some(#item); break; }),
                quote_spanned!(span=> #r),
            ),
            ("fold", [init, f]) => (
                quote_spanned!(span=> let mut #g = #f; let mut #r = #init;),
                quote_spanned!(span=> #r = #g(#r, #item);),
                quote_spanned!(span=> #r),
            ),
            ("for_each", [f]) => (
                quote_spanned!(span=> let mut #g = #f;),
                quote_spanned!(span=> #g(#item);),
                quote_spanned!(span=> ()),
            ),
            _ => return None,
        };
        let lp = self.build_loop(span, &source, stages, consume);
        let block = quote_spanned! {span=> { #init #lp #result } };
        syn::parse2::<syn::Expr>(block).ok()
    }
}

/// What a written type asks a consumer to make.
fn want_of(t: &syn::Type) -> Want {
    match t.to_token_stream().to_string().as_str() {
        "String" => Want::String,
        "f64" => Want::Float,
        _ => Want::Unknown,
    }
}

impl Rewriter {
    /// `e`, when it is a consumer, rewritten knowing the type it makes;
    /// false when `e` was left to the general rule.
    fn typed_consumer(&mut self, e: &mut syn::Expr, want: Want) -> bool {
        if want == Want::Unknown {
            return false;
        }
        let syn::Expr::MethodCall(m) = e else {
            return false;
        };
        for a in m.args.iter_mut() {
            self.visit_expr_mut(a);
        }
        self.visit_expr_mut(&mut m.receiver);
        if let Some(b) = self.consumer(m, want) {
            *e = b;
        }
        true
    }

    /// A function whose tail is a consumer makes the return type
    /// (`fn total(v: &[f64]) -> f64 { v.iter().sum() }`).
    fn function(&mut self, sig: &syn::Signature, body: &mut syn::Block) {
        let want = match &sig.output {
            syn::ReturnType::Type(_, t) => want_of(t),
            syn::ReturnType::Default => Want::Unknown,
        };
        let n = body.stmts.len();
        for (k, s) in body.stmts.iter_mut().enumerate() {
            if k + 1 == n {
                if let syn::Stmt::Expr(e, None) = s {
                    if self.typed_consumer(e, want) {
                        continue;
                    }
                }
            }
            self.visit_stmt_mut(s);
        }
    }
}

impl VisitMut for Rewriter {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        // `v.extend(items)` is `for x in items { v.push(x); }` and
        // `v.extend_from_slice(s)` is `for x in s.iter() { v.push(x.clone()); }`
        // (then a chain in `items` is the `for`'s, below).
        // `v.retain(f)` takes the items out and pushes back those `f`
        // keeps, calling `f` once per item in order, as std does;
        // `v.dedup()` pushes back each item unequal to the last kept.
        if let syn::Expr::MethodCall(m) = e {
            let name = m.method.to_string();
            let arity = match name.as_str() {
                "extend" | "extend_from_slice" | "retain" => 1,
                "dedup" => 0,
                _ => usize::MAX,
            };
            if self.std_extend
                && m.args.len() == arity
                && m.turbofish.is_none()
                && is_place(&m.receiver)
            {
                let span = m.method.span();
                let item = format_ident!("__ext{}", self.count, span = span);
                let f = format_ident!("__extf{}", self.count, span = span);
                self.count += 1;
                let recv = &m.receiver;
                let arg = m.args.first();
                let lp = match name.as_str() {
                    "extend" => quote_spanned!(span=> for #item in #arg { #recv.push(#item); }),
                    "extend_from_slice" => quote_spanned!(span=>
                        for #item in (#arg).iter() { #recv.push(#item.clone()); }),
                    "retain" => quote_spanned!(span=>
                    let mut #f = #arg;
                    for #item in #recv.drain(..) {
                        if #f(&#item) {
                            #recv.push(#item);
                        }
                    }),
                    _ => quote_spanned!(span=>
                    for #item in #recv.drain(..) {
                        if #recv.last() != Some(&#item) {
                            #recv.push(#item);
                        }
                    }),
                };
                if let Ok(b) = syn::parse2::<syn::Expr>(quote_spanned!(span=> { #lp })) {
                    *e = b;
                }
            }
        }
        syn::visit_mut::visit_expr_mut(self, e);
        match e {
            syn::Expr::MethodCall(m) => {
                if let Some(b) = self.consumer(m, Want::Unknown) {
                    *e = b;
                }
            }
            // (A labelled loop is left to the `for` lowering, which names
            // the chain it cannot take.)
            syn::Expr::ForLoop(f) if f.label.is_none() => {
                if let Some((source, stages)) = Self::chain(&f.expr) {
                    let span = f.expr.span();
                    let item = format_ident!("__it{}", self.count, span = span);
                    let (pat, body) = (&f.pat, &f.body);
                    // The user's body runs as the consumer; a `break` or
                    // `continue` in it acts on the one loop there is.
                    let consume = quote_spanned!(span=> let #pat = #item; #body);
                    let lp = self.build_loop(span, &source, stages, consume);
                    if let Ok(b) = syn::parse2::<syn::Expr>(quote_spanned!(span=> { #lp })) {
                        *e = b;
                    }
                }
            }
            _ => {}
        }
    }

    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        super::macros::rewrite_macro_args(m, |a| self.visit_expr_mut(a));
    }

    fn visit_local_mut(&mut self, l: &mut syn::Local) {
        // `let s: String = chars.iter().collect();` and
        // `let t: f64 = v.iter().sum();`: the type says what to make.
        let want = match &l.pat {
            syn::Pat::Type(t) => want_of(&t.ty),
            _ => Want::Unknown,
        };
        if let Some(init) = &mut l.init {
            if self.typed_consumer(&mut init.expr, want) {
                return;
            }
        }
        syn::visit_mut::visit_local_mut(self, l);
    }

    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        self.function(&f.sig, &mut f.block);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        self.function(&f.sig, &mut f.block);
    }
}
