//! A tiny interpreter of flow graphs, for the semantic tests only: it runs
//! the graphs the frontend built and the tests compare the output with what
//! the rustc-built program prints. It knows just enough of the std surface
//! for those test programs (no integer widths: values are i128).

use flowspace::model::{
    BinOp, Block, Const, Exit, FmtAlign, FmtKind, FmtPiece, GraphId, IntTy, OpKind, Program, Ty,
    UnOp, Value, Var,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Int(i128),
    Bool(bool),
    Char(char),
    Str(String),
    Unit,
    Variant(String, Vec<V>),
    Tuple(Vec<V>),
    List(Rc<RefCell<Vec<V>>>),
    Obj(Rc<RefCell<Vec<V>>>, flowspace::model::StructId),
    Fn(GraphId),
}

pub struct Interp<'p> {
    pub p: &'p Program,
    pub out: String,
    steps: u64,
}

type R<T> = Result<T, String>;

fn int(v: &V) -> R<i128> {
    match v {
        V::Int(i) => Ok(*i),
        V::Char(c) => Ok(*c as i128),
        other => Err(format!("not an int: {other:?}")),
    }
}

fn wrap(v: i128, t: IntTy) -> i128 {
    let bits = t.bits();
    let m = v & ((1i128 << bits) - 1);
    if t.signed() && m >= (1i128 << (bits - 1)) {
        m - (1i128 << bits)
    } else {
        m
    }
}

impl<'p> Interp<'p> {
    pub fn new(p: &'p Program) -> Self {
        Interp {
            p,
            out: String::new(),
            steps: 0,
        }
    }

    fn konst(&self, c: &Const) -> V {
        match c {
            Const::Int(v, _) => V::Int(*v),
            Const::Bool(b) => V::Bool(*b),
            Const::Char(c) => V::Char(*c),
            Const::Float(_) => V::Unit,
            Const::Str(s) => V::Str(s.clone()),
            Const::ByteStr(b) => V::List(Rc::new(RefCell::new(
                b.iter().map(|x| V::Int(*x as i128)).collect(),
            ))),
            Const::Unit => V::Unit,
            Const::None => V::Variant("None".into(), vec![]),
            Const::Fn(g) => V::Fn(*g),
        }
    }

    pub fn call(&mut self, g: GraphId, args: Vec<V>) -> R<V> {
        let graph = &self.p.graphs[g];
        let mut env: HashMap<Var, V> = HashMap::new();
        let mut block: Block = graph.start;
        let mut incoming = args;
        loop {
            self.steps += 1;
            if self.steps > 2_000_000 {
                return Err("too many steps".into());
            }
            let data = &graph.blocks[block];
            if data.inputs.len() != incoming.len() {
                return Err("arity".into());
            }
            for (v, x) in data.inputs.iter().zip(incoming.drain(..)) {
                env.insert(*v, x);
            }
            for op in &data.ops {
                let args: Vec<V> = op
                    .args
                    .iter()
                    .map(|a| self.val(&env, a))
                    .collect::<R<_>>()?;
                let r = self.op(&op.kind, args)?;
                env.insert(op.result, r);
            }
            let link = match &data.exit {
                Exit::Return(v) => return self.val(&env, v),
                Exit::Unreachable => return Err("reached unreachable".into()),
                Exit::Goto(l) => l,
                Exit::If {
                    cond,
                    then_link,
                    else_link,
                } => match self.val(&env, cond)? {
                    V::Bool(true) => then_link,
                    V::Bool(false) => else_link,
                    other => return Err(format!("if on {other:?}")),
                },
                Exit::Switch {
                    value,
                    cases,
                    default,
                } => {
                    let v = self.val(&env, value)?;
                    let mut chosen = default;
                    for (c, l) in cases {
                        if self.konst(c) == v
                            || (matches!(v, V::Int(_)) && V::Int(int(&self.konst(c))?) == v)
                        {
                            chosen = l;
                            break;
                        }
                    }
                    chosen
                }
            };
            incoming = link
                .args
                .iter()
                .map(|a| self.val(&env, a))
                .collect::<R<_>>()?;
            block = link.target;
        }
    }

    fn val(&self, env: &HashMap<Var, V>, v: &Value) -> R<V> {
        match v {
            Value::Var(v) => env.get(v).cloned().ok_or_else(|| format!("undefined {v}")),
            Value::Const(c) => Ok(self.konst(c)),
        }
    }

    fn op(&mut self, k: &OpKind, a: Vec<V>) -> R<V> {
        let arg = |i: usize| a.get(i).cloned().ok_or_else(|| "missing arg".to_string());
        Ok(match k {
            OpKind::Bin(op) => {
                let (x, y) = (arg(0)?, arg(1)?);
                if let (V::Bool(p), V::Bool(q)) = (&x, &y) {
                    return Ok(match op {
                        BinOp::Eq => V::Bool(p == q),
                        BinOp::Ne => V::Bool(p != q),
                        BinOp::BitAnd => V::Bool(*p & *q),
                        BinOp::BitOr => V::Bool(*p | *q),
                        BinOp::BitXor => V::Bool(*p ^ *q),
                        _ => return Err("bool op".into()),
                    });
                }
                if let (V::Str(p), V::Str(q)) = (&x, &y) {
                    return Ok(match op {
                        BinOp::Eq => V::Bool(p == q),
                        BinOp::Ne => V::Bool(p != q),
                        BinOp::Add => V::Str(format!("{p}{q}")),
                        _ => return Err("str op".into()),
                    });
                }
                let (x, y) = (int(&x)?, int(&y)?);
                match op {
                    BinOp::Add => V::Int(x + y),
                    BinOp::Sub => V::Int(x - y),
                    BinOp::Mul => V::Int(x * y),
                    BinOp::Div => V::Int(x.checked_div(y).ok_or("attempt to divide by zero")?),
                    BinOp::Rem => V::Int(
                        x.checked_rem(y)
                            .ok_or("attempt to calculate the remainder with a divisor of zero")?,
                    ),
                    BinOp::BitAnd => V::Int(x & y),
                    BinOp::BitOr => V::Int(x | y),
                    BinOp::BitXor => V::Int(x ^ y),
                    BinOp::Shl => V::Int(x << y),
                    BinOp::Shr => V::Int(x >> y),
                    BinOp::Eq => V::Bool(x == y),
                    BinOp::Ne => V::Bool(x != y),
                    BinOp::Lt => V::Bool(x < y),
                    BinOp::Le => V::Bool(x <= y),
                    BinOp::Gt => V::Bool(x > y),
                    BinOp::Ge => V::Bool(x >= y),
                }
            }
            OpKind::Un(UnOp::Neg) => V::Int(-int(&arg(0)?)?),
            OpKind::Un(UnOp::Not) => match arg(0)? {
                V::Bool(b) => V::Bool(!b),
                other => V::Int(!int(&other)?),
            },
            OpKind::Cast(t) => match (arg(0)?, t) {
                (V::Bool(b), Ty::Int(_)) => V::Int(b as i128),
                (x, Ty::Int(it)) => V::Int(wrap(int(&x)?, *it)),
                (x, Ty::Char) => V::Char(char::from_u32(int(&x)? as u32).ok_or("char")?),
                (x, _) => x,
            },
            OpKind::SameAs | OpKind::Ref { .. } | OpKind::Deref => arg(0)?,
            OpKind::GetField(f) => match arg(0)? {
                V::Tuple(t) => t
                    .get(f.parse::<usize>().map_err(|_| "field")?)
                    .cloned()
                    .ok_or("field")?,
                V::Obj(o, s) => {
                    let i = self.p.structs[s].field_index(f).ok_or("field")?;
                    o.borrow()[i].clone()
                }
                other => return Err(format!("getfield on {other:?}")),
            },
            OpKind::SetField(f) => match arg(0)? {
                V::Obj(o, s) => {
                    let i = self.p.structs[s].field_index(f).ok_or("field")?;
                    o.borrow_mut()[i] = arg(1)?;
                    V::Unit
                }
                other => return Err(format!("setfield on {other:?}")),
            },
            OpKind::GetIndex => match arg(0)? {
                V::List(l) => {
                    let i = int(&arg(1)?)?;
                    let l = l.borrow();
                    l.get(i as usize).cloned().ok_or_else(|| {
                        format!(
                            "index out of bounds: the len is {} but the index is {i}",
                            l.len()
                        )
                    })?
                }
                V::Str(s) => V::Int(
                    *s.as_bytes()
                        .get(int(&arg(1)?)? as usize)
                        .ok_or("str index")? as i128,
                ),
                other => return Err(format!("getindex on {other:?}")),
            },
            // Without std's messages: enough for the semantics tests.
            OpKind::Slice(kind) => {
                let start = int(&arg(1)?)? as usize;
                let end = |len: usize| -> R<usize> {
                    Ok(match kind {
                        flowspace::model::SliceKind::From => len,
                        flowspace::model::SliceKind::Range => int(&arg(2)?)? as usize,
                        flowspace::model::SliceKind::Inclusive => int(&arg(2)?)? as usize + 1,
                    })
                };
                match arg(0)? {
                    V::List(l) => {
                        let l = l.borrow();
                        let e = end(l.len())?;
                        let items = l.get(start..e).ok_or("slice out of range")?;
                        V::List(Rc::new(RefCell::new(items.to_vec())))
                    }
                    V::Str(s) => {
                        let e = end(s.len())?;
                        V::Str(s.get(start..e).ok_or("slice out of range")?.to_string())
                    }
                    other => return Err(format!("slice of {other:?}")),
                }
            }
            OpKind::SetIndex => match arg(0)? {
                V::List(l) => {
                    let i = int(&arg(1)?)? as usize;
                    let mut l = l.borrow_mut();
                    let n = l.len();
                    *l.get_mut(i).ok_or_else(|| {
                        format!("index out of bounds: the len is {n} but the index is {i}")
                    })? = arg(2)?;
                    V::Unit
                }
                other => return Err(format!("setindex on {other:?}")),
            },
            OpKind::NewStruct(s) => V::Obj(Rc::new(RefCell::new(a)), *s),
            OpKind::NewTuple => V::Tuple(a),
            OpKind::NewVec => V::List(Rc::new(RefCell::new(a))),
            OpKind::NewVecRepeat => {
                let n = int(&arg(1)?)? as usize;
                // `vec![x; n]` clones `x` (a deep copy for a Vec element).
                let x = arg(0)?;
                V::List(Rc::new(RefCell::new(
                    (0..n).map(|_| deep_clone(&x)).collect(),
                )))
            }
            // A user enum value: `#<variant index>` and all of the enum's
            // flattened fields, the variant's own ones filled in.
            OpKind::NewEnum { ty, variant } => {
                let def = &self.p.structs[*ty];
                let first = def.enum_def.as_ref().ok_or("not an enum")?.variants[*variant as usize]
                    .first_field;
                let mut fields = vec![V::Unit; def.fields.len()];
                for (i, x) in a.into_iter().enumerate() {
                    fields[first + i] = x;
                }
                V::Variant(format!("#{variant}"), fields)
            }
            OpKind::IsEnumVariant { variant, .. } => {
                let tag = format!("#{variant}");
                V::Bool(matches!(arg(0)?, V::Variant(m, _) if m == tag))
            }
            OpKind::EnumField { field, .. } => match arg(0)? {
                V::Variant(_, f) => f.get(*field).cloned().ok_or("enum field")?,
                _ => return Err("enum field".into()),
            },
            OpKind::NewVariant(n) => V::Variant(n.clone(), a),
            OpKind::IsVariant(n) => V::Bool(matches!(arg(0)?, V::Variant(m, _) if &m == n)),
            OpKind::VariantField { index, .. } => match arg(0)? {
                V::Variant(_, f) => f.get(*index).cloned().ok_or("variant field")?,
                _ => return Err("variant field".into()),
            },
            OpKind::TryContinues => {
                V::Bool(matches!(arg(0)?, V::Variant(m, _) if m == "Some" || m == "Ok"))
            }
            OpKind::TryUnwrap => match arg(0)? {
                V::Variant(_, f) => f.first().cloned().ok_or("try payload")?,
                _ => return Err("try on a non-variant".into()),
            },
            OpKind::TryResidual => match arg(0)? {
                V::Variant(m, f) if m == "Err" => V::Variant(m, f),
                _ => V::Variant("None".into(), vec![]),
            },
            OpKind::Call(g) => self.call(*g, a)?,
            OpKind::CallPath(p) => {
                match p.iter().map(|s| s.as_str()).collect::<Vec<_>>().as_slice() {
                    ["Vec", "new"] => V::List(Rc::new(RefCell::new(vec![]))),
                    ["String", "new"] => V::Str(String::new()),
                    ["String", "from"] => arg(0)?,
                    ["std", "process", "exit"] => return Err(format!("exit {}", int(&arg(0)?)?)),
                    other => return Err(format!("unknown path {other:?}")),
                }
            }
            OpKind::MethodCall { name, .. } => self.method(name, a)?,
            OpKind::Format(pieces) => {
                let mut s = String::new();
                let mut it = a.into_iter();
                for p in pieces {
                    match p {
                        FmtPiece::Lit(l) => s.push_str(l),
                        FmtPiece::Arg(spec) => {
                            let v = it.next().ok_or("fmt arg")?;
                            let mut text = show(&v, spec.kind == FmtKind::Debug);
                            if spec.plus && matches!(v, V::Int(i) if i >= 0) {
                                text.insert(0, '+');
                            }
                            let w = spec.width.unwrap_or(0) as usize;
                            let n = text.chars().count();
                            if n >= w {
                                s.push_str(&text);
                            } else if spec.zero_pad && matches!(v, V::Int(_)) {
                                // Zeros go after the sign.
                                let (sign, digits) = match text.chars().next() {
                                    Some(c @ ('-' | '+')) => (c.to_string(), text[1..].to_string()),
                                    _ => (String::new(), text.clone()),
                                };
                                s.push_str(&sign);
                                s.extend(std::iter::repeat_n('0', w - n));
                                s.push_str(&digits);
                            } else {
                                let pad = w - n;
                                let numeric = matches!(v, V::Int(_));
                                let fill = if spec.zero_pad { '0' } else { spec.fill };
                                let (l, r) = match spec.align {
                                    FmtAlign::Left => (0, pad),
                                    FmtAlign::Right => (pad, 0),
                                    FmtAlign::Center => (pad / 2, pad - pad / 2),
                                    FmtAlign::Default if numeric => (pad, 0),
                                    FmtAlign::Default => (0, pad),
                                };
                                s.extend(std::iter::repeat_n(fill, l));
                                s.push_str(&text);
                                s.extend(std::iter::repeat_n(fill, r));
                            }
                        }
                    }
                }
                V::Str(s)
            }
            OpKind::Print(_) => {
                if let V::Str(s) = arg(0)? {
                    self.out.push_str(&s);
                }
                V::Unit
            }
            OpKind::Panic => return Err(format!("panic: {}", show(&arg(0)?, false))),
        })
    }

    fn method(&mut self, name: &str, a: Vec<V>) -> R<V> {
        let recv = a.first().cloned().ok_or("receiver")?;
        Ok(match (name, &recv) {
            // What a `for` walks (frontend/loops.rs): a list itself.
            ("__for_seq" | "__for_seq_mut", V::List(_)) => recv.clone(),
            ("len", V::List(l)) => V::Int(l.borrow().len() as i128),
            ("len", V::Str(s)) => V::Int(s.len() as i128),
            ("is_empty", V::List(l)) => V::Bool(l.borrow().is_empty()),
            ("push", V::List(l)) => {
                l.borrow_mut().push(a.get(1).cloned().ok_or("push")?);
                V::Unit
            }
            ("pop", V::List(l)) => match l.borrow_mut().pop() {
                Some(x) => V::Variant("Some".into(), vec![x]),
                None => V::Variant("None".into(), vec![]),
            },
            ("unwrap", V::Variant(n, f)) if n == "Some" || n == "Ok" => f[0].clone(),
            ("unwrap", _) => {
                return Err("panic: called `Option::unwrap()` on a `None` value".into())
            }
            ("clone", V::List(l)) => V::List(Rc::new(RefCell::new(l.borrow().clone()))),
            ("clone", other) => other.clone(),
            ("abs", V::Int(i)) => V::Int(i.abs()),
            ("min", V::Int(i)) => V::Int(*i.min(&int(&a[1])?)),
            ("max", V::Int(i)) => V::Int(*i.max(&int(&a[1])?)),
            ("push_str", V::Str(_)) => return Err("strings are values here".into()),
            _ => {
                // User methods: find `Struct::name` by the receiver's struct.
                if let V::Obj(_, s) = &recv {
                    let q = format!("{}::{name}", self.p.structs[*s].name);
                    if let Some(g) = self.p.graph_by_name(&q) {
                        return self.call(g, a);
                    }
                }
                return Err(format!("unknown method {name} on {recv:?}"));
            }
        })
    }
}

pub fn show(v: &V, debug: bool) -> String {
    match v {
        V::Int(i) => i.to_string(),
        V::Bool(b) => b.to_string(),
        V::Char(c) => {
            if debug {
                format!("{c:?}")
            } else {
                c.to_string()
            }
        }
        V::Str(s) => {
            if debug {
                format!("{s:?}")
            } else {
                s.clone()
            }
        }
        V::Unit => "()".into(),
        V::Variant(n, f) => {
            if f.is_empty() {
                n.clone()
            } else {
                format!(
                    "{n}({})",
                    f.iter()
                        .map(|x| show(x, true))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        }
        V::Tuple(t) => format!(
            "({})",
            t.iter()
                .map(|x| show(x, true))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        V::List(l) => format!(
            "[{}]",
            l.borrow()
                .iter()
                .map(|x| show(x, true))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        V::Obj(..) => "<obj>".into(),
        V::Fn(g) => format!("fn {g}"),
    }
}

fn deep_clone(v: &V) -> V {
    match v {
        V::List(l) => V::List(Rc::new(RefCell::new(
            l.borrow().iter().map(deep_clone).collect(),
        ))),
        other => other.clone(),
    }
}
