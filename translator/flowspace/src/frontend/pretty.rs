//! The text of an `assert!` condition as rustc prints it. rustc's message is
//! `assertion failed: {pprust::expr_to_string(cond)}`: the expression
//! pretty-printed with canonical spacing, not the source text. This covers
//! the common expression forms; for the others `None` (the caller rejects
//! the assertion and asks for an explicit message).

pub(crate) fn expr_text(e: &syn::Expr) -> Option<String> {
    Some(match e {
        syn::Expr::Lit(l) => lit_text(&l.lit),
        syn::Expr::Path(p) if p.qself.is_none() => path_text(&p.path)?,
        syn::Expr::Paren(p) => format!("({})", expr_text(&p.expr)?),
        syn::Expr::Group(g) => expr_text(&g.expr)?,
        syn::Expr::Binary(b) => {
            format!(
                "{} {} {}",
                expr_text(&b.left)?,
                binop(&b.op)?,
                expr_text(&b.right)?
            )
        }
        syn::Expr::Unary(u) => {
            let op = match u.op {
                syn::UnOp::Not(_) => "!",
                syn::UnOp::Neg(_) => "-",
                syn::UnOp::Deref(_) => "*",
                _ => return None,
            };
            format!("{op}{}", expr_text(&u.expr)?)
        }
        syn::Expr::Reference(r) => format!(
            "&{}{}",
            if r.mutability.is_some() { "mut " } else { "" },
            expr_text(&r.expr)?
        ),
        syn::Expr::Field(f) => format!(
            "{}.{}",
            expr_text(&f.base)?,
            super::exprs::member_name(&f.member)
        ),
        syn::Expr::Index(i) => format!("{}[{}]", expr_text(&i.expr)?, expr_text(&i.index)?),
        syn::Expr::MethodCall(m) if m.turbofish.is_none() => format!(
            "{}.{}({})",
            expr_text(&m.receiver)?,
            m.method,
            list(m.args.iter())?
        ),
        syn::Expr::Call(c) => format!("{}({})", expr_text(&c.func)?, list(c.args.iter())?),
        syn::Expr::Cast(c) => format!("{} as {}", expr_text(&c.expr)?, type_text(&c.ty)?),
        syn::Expr::Tuple(t) => {
            if t.elems.len() == 1 {
                format!("({},)", expr_text(t.elems.first()?)?)
            } else {
                format!("({})", list(t.elems.iter())?)
            }
        }
        syn::Expr::Array(a) => format!("[{}]", list(a.elems.iter())?),
        _ => return None,
    })
}

fn list<'e>(it: impl Iterator<Item = &'e syn::Expr>) -> Option<String> {
    let parts: Option<Vec<String>> = it.map(expr_text).collect();
    Some(parts?.join(", "))
}

fn path_text(p: &syn::Path) -> Option<String> {
    let mut parts = Vec::new();
    for s in &p.segments {
        if !s.arguments.is_empty() {
            return None;
        }
        parts.push(s.ident.to_string());
    }
    let joined = parts.join("::");
    Some(if p.leading_colon.is_some() {
        format!("::{joined}")
    } else {
        joined
    })
}

fn type_text(t: &syn::Type) -> Option<String> {
    match t {
        syn::Type::Path(p) if p.qself.is_none() => path_text(&p.path),
        _ => None,
    }
}

fn binop(op: &syn::BinOp) -> Option<&'static str> {
    use syn::BinOp as B;
    Some(match op {
        B::Add(_) => "+",
        B::Sub(_) => "-",
        B::Mul(_) => "*",
        B::Div(_) => "/",
        B::Rem(_) => "%",
        B::And(_) => "&&",
        B::Or(_) => "||",
        B::BitXor(_) => "^",
        B::BitAnd(_) => "&",
        B::BitOr(_) => "|",
        B::Shl(_) => "<<",
        B::Shr(_) => ">>",
        B::Eq(_) => "==",
        B::Lt(_) => "<",
        B::Le(_) => "<=",
        B::Ne(_) => "!=",
        B::Ge(_) => ">=",
        B::Gt(_) => ">",
        _ => return None,
    })
}

/// A literal as written (with its suffix), as rustc prints it.
fn lit_text(l: &syn::Lit) -> String {
    match l {
        syn::Lit::Str(s) => s.token().to_string(),
        syn::Lit::ByteStr(s) => s.token().to_string(),
        syn::Lit::Byte(s) => s.token().to_string(),
        syn::Lit::Char(s) => s.token().to_string(),
        syn::Lit::Int(s) => s.token().to_string(),
        syn::Lit::Float(s) => s.token().to_string(),
        syn::Lit::Bool(b) => b.value.to_string(),
        other => other.span().source_text().unwrap_or_default(),
    }
}
