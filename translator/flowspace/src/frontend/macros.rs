//! The macros RRust understands: `print!`, `println!`, `eprint!`,
//! `eprintln!`, `format!`, `panic!`, `unreachable!`, `todo!`,
//! `unimplemented!`, `assert!`, `assert_eq!`, `assert_ne!` and `vec!`.

use super::builder::FnBuilder;
use super::fmt::{parse_format_string, ArgRef, Piece};
use super::reject::{error, unsupported, R};
use crate::model::{Const, FmtKind, FmtPiece, FmtSpec, OpKind, Stream, Value};
use crate::span::Span;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::Token;

type Args = Punctuated<syn::Expr, Token![,]>;

/// A formatted message: pieces plus the values they consume, in order.
struct Formatted {
    pieces: Vec<FmtPiece>,
    args: Vec<Value>,
}

impl Formatted {
    fn lit(s: &str) -> Formatted {
        Formatted {
            pieces: vec![FmtPiece::Lit(s.to_string())],
            args: vec![],
        }
    }
    /// Prepends literal text.
    fn prefix(mut self, s: &str) -> Formatted {
        self.pieces.insert(0, FmtPiece::Lit(s.to_string()));
        self.merged()
    }
    fn suffix(mut self, s: &str) -> Formatted {
        self.pieces.push(FmtPiece::Lit(s.to_string()));
        self.merged()
    }
    /// Joins adjacent literal pieces and drops empty ones.
    fn merged(self) -> Formatted {
        let mut out: Vec<FmtPiece> = Vec::new();
        for p in self.pieces {
            match (out.last_mut(), p) {
                (_, FmtPiece::Lit(s)) if s.is_empty() => {}
                (Some(FmtPiece::Lit(a)), FmtPiece::Lit(b)) => a.push_str(&b),
                (_, p) => out.push(p),
            }
        }
        Formatted {
            pieces: out,
            args: self.args,
        }
    }
}

enum VecBody {
    Elems(Vec<syn::Expr>),
    Repeat(Box<syn::Expr>, Box<syn::Expr>),
}

/// `matches!(expr, pattern)` or `matches!(expr, pattern if guard)`.
struct MatchesBody {
    expr: syn::Expr,
    pat: syn::Pat,
    guard: Option<syn::Expr>,
}

fn parse_matches_body(input: ParseStream) -> syn::Result<MatchesBody> {
    let expr: syn::Expr = input.parse()?;
    input.parse::<Token![,]>()?;
    let pat = syn::Pat::parse_multi_with_leading_vert(input)?;
    let guard = if input.peek(Token![if]) {
        input.parse::<Token![if]>()?;
        Some(input.parse()?)
    } else {
        None
    };
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
    }
    Ok(MatchesBody { expr, pat, guard })
}

fn parse_vec_body(input: ParseStream) -> syn::Result<VecBody> {
    if input.is_empty() {
        return Ok(VecBody::Elems(vec![]));
    }
    let first: syn::Expr = input.parse()?;
    if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        let n: syn::Expr = input.parse()?;
        return Ok(VecBody::Repeat(Box::new(first), Box::new(n)));
    }
    let mut v = vec![first];
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        v.push(input.parse()?);
    }
    Ok(VecBody::Elems(v))
}

impl FnBuilder<'_> {
    pub fn lower_macro(&mut self, mac: &syn::Macro) -> R<Value> {
        let span = self.sp(mac);
        if self.dead() {
            return Ok(Value::Const(Const::Unit));
        }
        let path: Vec<String> = mac
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let name = match path.as_slice() {
            [n] => n.clone(),
            [std, n] if std == "std" || std == "core" => n.clone(),
            _ => String::new(),
        };
        let parse_err = |e: syn::Error| {
            error(
                super::span_of(self.items.file, e.span()),
                format!("cannot read the arguments of `{name}!`: {e}"),
                "here",
                "write the macro as in ordinary Rust",
            )
        };
        match name.as_str() {
            "print" | "println" | "eprint" | "eprintln" => {
                let args = mac
                    .parse_body_with(Args::parse_terminated)
                    .map_err(parse_err)?;
                let mut f = if args.is_empty() {
                    Formatted::lit("")
                } else {
                    self.format_args(&args, span)?
                };
                if name.ends_with("ln") {
                    f = f.suffix("\n");
                }
                let s = self.emit_v(OpKind::Format(f.pieces), f.args, span);
                let stream = if name.starts_with('e') {
                    Stream::Stderr
                } else {
                    Stream::Stdout
                };
                self.emit(OpKind::Print(stream), vec![s], span);
                Ok(Value::Const(Const::Unit))
            }
            "format" => {
                let args = mac
                    .parse_body_with(Args::parse_terminated)
                    .map_err(parse_err)?;
                if args.is_empty() {
                    return Err(error(
                        span,
                        "`format!` needs a format string".into(),
                        "empty",
                        "write `format!(\"...\", args)`",
                    ));
                }
                let f = self.format_args(&args, span)?;
                Ok(self.emit_v(OpKind::Format(f.pieces), f.args, span))
            }
            "panic" | "unreachable" | "todo" | "unimplemented" => {
                let args = mac
                    .parse_body_with(Args::parse_terminated)
                    .map_err(parse_err)?;
                let (bare, with_msg) = match name.as_str() {
                    "panic" => ("explicit panic", ""),
                    "unreachable" => (
                        "internal error: entered unreachable code",
                        "internal error: entered unreachable code: ",
                    ),
                    "todo" => ("not yet implemented", "not yet implemented: "),
                    _ => ("not implemented", "not implemented: "),
                };
                let f = if args.is_empty() {
                    Formatted::lit(bare)
                } else {
                    self.format_args(&args, span)?.prefix(with_msg)
                };
                self.panic_with(f, span);
                Ok(Value::Const(Const::Unit))
            }
            "assert" => {
                let args = mac
                    .parse_body_with(Args::parse_terminated)
                    .map_err(parse_err)?;
                let Some(cond) = args.first() else {
                    return Err(error(
                        span,
                        "`assert!` needs a condition".into(),
                        "empty",
                        "write `assert!(cond)`",
                    ));
                };
                let c = self.lower_expr(cond)?;
                let ok = self.join_here();
                let bad = self.join_here();
                self.branch(c, &ok, &bad, span)?;
                self.enter(&bad, span)?;
                let f = if args.len() > 1 {
                    let rest: Args = args.iter().skip(1).cloned().collect();
                    self.format_args(&rest, span)?
                } else {
                    let Some(text) = super::pretty::expr_text(cond) else {
                        return Err(unsupported(
                            self.sp(cond),
                            "`assert!` without a message on this kind of condition",
                            "give the assertion a message: `assert!(cond, \"what went wrong\")`",
                        ));
                    };
                    Formatted::lit(&format!("assertion failed: {text}"))
                };
                self.panic_with(f, span);
                self.enter(&ok, span)?;
                Ok(Value::Const(Const::Unit))
            }
            "assert_eq" | "assert_ne" => {
                let args = mac
                    .parse_body_with(Args::parse_terminated)
                    .map_err(parse_err)?;
                if args.len() < 2 {
                    return Err(error(
                        span,
                        format!("`{name}!` needs two values"),
                        "here",
                        "write `assert_eq!(left, right)`",
                    ));
                }
                let mark = self.env.len();
                let l = self.lower_expr(&args[0])?;
                let li = self.hidden("left", l);
                let r = self.lower_expr(&args[1])?;
                let ri = self.hidden("right", r);
                let (op, sym) = if name == "assert_eq" {
                    (crate::model::BinOp::Eq, "==")
                } else {
                    (crate::model::BinOp::Ne, "!=")
                };
                let c = self.emit_v(OpKind::Bin(op), vec![self.get(li), self.get(ri)], span);
                let ok = self.new_join(mark, false);
                let bad = self.join_here();
                self.branch(c, &ok, &bad, span)?;
                self.enter(&bad, span)?;
                let head = format!("assertion `left {sym} right` failed");
                let mut f = if args.len() > 2 {
                    let rest: Args = args.iter().skip(2).cloned().collect();
                    self.format_args(&rest, span)?.prefix(&format!("{head}: "))
                } else {
                    Formatted::lit(&head)
                };
                let debug = FmtSpec {
                    kind: FmtKind::Debug,
                    ..FmtSpec::default()
                };
                f = f.suffix("\n  left: ");
                f.pieces.push(FmtPiece::Arg(debug));
                f.args.push(self.get(li));
                f = f.suffix("\n right: ");
                f.pieces.push(FmtPiece::Arg(debug));
                f.args.push(self.get(ri));
                self.panic_with(f, span);
                self.enter(&ok, span)?;
                Ok(Value::Const(Const::Unit))
            }
            "vec" => {
                let body = mac.parse_body_with(parse_vec_body).map_err(parse_err)?;
                match body {
                    VecBody::Elems(es) => {
                        let args = self.lower_operands(&es)?;
                        Ok(self.emit_v(OpKind::NewVec, args, span))
                    }
                    VecBody::Repeat(x, n) => {
                        let args = self.lower_operands([&*x, &*n])?;
                        Ok(self.emit_v(OpKind::NewVecRepeat, args, span))
                    }
                }
            }
            "matches" => {
                let body = mac.parse_body_with(parse_matches_body).map_err(parse_err)?;
                self.lower_matches(&body.expr, &body.pat, body.guard.as_ref(), span)
            }
            "write" | "writeln" => {
                let args = mac
                    .parse_body_with(Args::parse_terminated)
                    .map_err(parse_err)?;
                let mut it = args.into_iter();
                let Some(dest) = it.next() else {
                    return Err(error(
                        span,
                        format!("`{name}!` needs a destination"),
                        "empty",
                        "write `write!(f, \"...\", args)`",
                    ));
                };
                if !plain_place(&dest) {
                    return Err(unsupported(
                        self.sp(&dest),
                        &format!("this destination of `{name}!`"),
                        "write into a variable or a field: `write!(f, ..)`",
                    ));
                }
                let rest: Args = it.collect();
                let mut f = if rest.is_empty() {
                    Formatted::lit("")
                } else {
                    self.format_args(&rest, span)?
                };
                if name == "writeln" {
                    f = f.suffix("\n");
                }
                // The destination is a place without side effects, so it
                // may be read after the arguments (which may branch), in
                // the block where the text is.
                let text = self.emit_v(OpKind::Format(f.pieces), f.args, span);
                let d = self.lower_expr(&dest)?;
                Ok(self.emit_v(
                    OpKind::MethodCall {
                        name: "write_str".into(),
                        turbofish: None,
                    },
                    vec![d, text],
                    span,
                ))
            }
            _ => Err(unsupported(
                span,
                &format!("the macro `{}!`", path.join("::")),
                "the translator knows print!, println!, eprint!, eprintln!, format!, panic!, \
                 unreachable!, todo!, unimplemented!, assert!, assert_eq!, assert_ne!, matches! and vec!",
            )),
        }
    }

    fn panic_with(&mut self, f: Formatted, span: Span) {
        let msg = self.emit_v(OpKind::Format(f.pieces), f.args, span);
        self.emit(OpKind::Panic, vec![msg], span);
        self.diverge();
    }

    /// `"fmt", args...` -> pieces and the values, in the order the pieces
    /// consume them. Every explicit argument is evaluated once, in order.
    fn format_args(&mut self, args: &Args, span: Span) -> R<Formatted> {
        let mut it = args.iter();
        let Some(first) = it.next() else {
            return Err(error(
                span,
                "a format string is needed".into(),
                "here",
                "write a string literal first",
            ));
        };
        let fspan = self.sp(first);
        let (lit, token) = match first {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => (s.value(), s.token().to_string()),
            _ => {
                return Err(error(
                    fspan,
                    "the format string must be a string literal".into(),
                    "not a literal",
                    "write `\"{}\", value`",
                ))
            }
        };
        let pieces = parse_format_string(&lit).map_err(|e| {
            // Point at the placeholder when the literal has no escapes
            // (then value offsets are source offsets).
            let mut span = fspan;
            let plain = token == format!("\"{lit}\"") && !lit.contains('\n');
            if plain {
                let byte = |c: usize| lit.char_indices().nth(c).map(|x| x.0).unwrap_or(lit.len());
                span.lo = fspan.lo + 1 + byte(e.start) as u32;
                span.hi = fspan.lo + 1 + byte(e.end) as u32;
                span.col = fspan.col + 1 + e.start as u32;
            }
            error(
                span,
                e.message,
                "in this format string",
                "use `{}`, `{:?}`, `{:x}`, `{:X}`, `{:b}` or `{:o}`, optionally with fill, \
                 alignment, sign, `#`, `0`, a numeric width and a numeric precision, \
                 e.g. `{:>8.3}`",
            )
        })?;
        // Evaluate the arguments.
        let mark = self.env.len();
        let mut positional: Vec<usize> = Vec::new();
        let mut named: Vec<(String, usize)> = Vec::new();
        for a in it {
            if let syn::Expr::Assign(asg) = a {
                if let syn::Expr::Path(p) = &*asg.left {
                    if let Some(id) = p.path.get_ident() {
                        let v = self.lower_expr(&asg.right)?;
                        let idx = self.hidden("fmtarg", v);
                        named.push((id.to_string(), idx));
                        continue;
                    }
                }
            }
            if !named.is_empty() {
                return Err(error(
                    self.sp(a),
                    "positional arguments must come before named ones".into(),
                    "here",
                    "move it before the `name = value` arguments",
                ));
            }
            let v = self.lower_expr(a)?;
            let idx = self.hidden("fmtarg", v);
            positional.push(idx);
        }
        let mut used_pos = vec![false; positional.len()];
        let mut used_named = vec![false; named.len()];
        let mut out = Formatted {
            pieces: Vec::new(),
            args: Vec::new(),
        };
        let mut next = 0;
        for p in pieces {
            match p {
                Piece::Lit(s) => out.pieces.push(FmtPiece::Lit(s)),
                Piece::Arg(r, spec) => {
                    let value = match r {
                        ArgRef::Next | ArgRef::Index(_) => {
                            let i = match r {
                                ArgRef::Index(i) => i,
                                _ => {
                                    next += 1;
                                    next - 1
                                }
                            };
                            // Named arguments also count as positional ones,
                            // after the unnamed ones.
                            if let Some(k) = i.checked_sub(positional.len()) {
                                if let Some((_, idx)) = named.get(k) {
                                    used_named[k] = true;
                                    out.pieces.push(FmtPiece::Arg(spec));
                                    out.args.push(self.get(*idx));
                                    continue;
                                }
                            }
                            let Some(idx) = positional.get(i) else {
                                return Err(error(
                                    fspan,
                                    format!("the format string refers to argument {i}, but there are {} argument(s)", positional.len()),
                                    "missing argument",
                                    "give one argument per `{}`",
                                ));
                            };
                            used_pos[i] = true;
                            self.get(*idx)
                        }
                        ArgRef::Name(n) => {
                            if let Some(k) = named.iter().position(|(m, _)| *m == n) {
                                used_named[k] = true;
                                self.get(named[k].1)
                            } else if let Some(b) = self.lookup(&n) {
                                b.value.clone()
                            } else if let Some(c) = self.items.consts.get(&n) {
                                Value::Const(c.clone())
                            } else {
                                return Err(error(
                                    fspan,
                                    format!("the format string captures `{n}`, which is not a variable here"),
                                    "unknown name",
                                    "capture only local variables and constants, or pass `name = value`",
                                ));
                            }
                        }
                    };
                    out.pieces.push(FmtPiece::Arg(spec));
                    out.args.push(value);
                }
            }
        }
        if used_pos.iter().chain(used_named.iter()).any(|u| !u) {
            return Err(error(
                span,
                "an argument of this format string is never used".into(),
                "unused argument",
                "remove the argument or add a `{}` for it",
            ));
        }
        // The hidden argument slots are only needed while formatting.
        self.env.truncate(mark);
        Ok(out.merged())
    }
}

/// A destination of `write!` that can be evaluated after the arguments:
/// a variable, a field path, or a reference or deref of one.
fn plain_place(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Path(p) => p.qself.is_none(),
        syn::Expr::Field(f) => plain_place(&f.base),
        syn::Expr::Reference(r) => plain_place(&r.expr),
        syn::Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)) && plain_place(&u.expr),
        syn::Expr::Paren(p) => plain_place(&p.expr),
        _ => false,
    }
}

/// Runs `f` on each argument of a `println!`-like macro, parsed as a list
/// of expressions, and writes the arguments back (the AST passes that run
/// before lowering see into macros this way). Macros whose tokens are not
/// such a list (`matches!(x, Some(_) if ..)`, `vec![x; n]`) are left alone.
pub(crate) fn rewrite_macro_args(m: &mut syn::Macro, mut f: impl FnMut(&mut syn::Expr)) {
    use syn::parse::Parser;
    let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
    let Ok(mut args) = parser.parse2(m.tokens.clone()) else {
        return;
    };
    for a in args.iter_mut() {
        f(a);
    }
    m.tokens = quote::ToTokens::to_token_stream(&args);
}
