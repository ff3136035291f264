//! Flowing one block: the annotation rule of every operation and exit.

use crate::builtins::{Builtin, Resolution};
use crate::engine::{Annotator, OpError};
use crate::model::{IntKind, Site, SomeValue};
use flowspace::model::{
    BinOp, Block, Const, Exit, FmtKind, FmtPiece, GraphId, IntTy, Link, Op, OpKind, SliceKind,
    StructId, Ty, UnOp, Value,
};

impl Annotator<'_> {
    pub(crate) fn flow_block(&mut self, g: GraphId, b: Block) {
        self.flowing(Some((g, b)));
        self.flow_block_ops(g, b);
        self.flowing(None);
    }

    fn flow_block_ops(&mut self, g: GraphId, b: Block) {
        let prog = self.prog;
        let Some(gr) = prog.graphs.get(g) else {
            return;
        };
        let Some(block) = gr.blocks.get(b) else {
            return;
        };
        for (i, op) in block.ops.iter().enumerate() {
            let mut args = Vec::with_capacity(op.args.len());
            for (j, a) in op.args.iter().enumerate() {
                let site = Site::OpArg {
                    block: b,
                    op: i as u32,
                    arg: j as u32,
                };
                args.push(self.value_ann(g, site, op.span, a));
            }
            if args.iter().any(|a| a.is_impossible()) {
                // An operand is not known yet (or never exists): stop here;
                // the block is flowed again when it changes.
                return;
            }
            match self.flow_op(g, op, &args) {
                Ok(v) if v.is_impossible() => return,
                Ok(v) => {
                    if let Err(e) = self.set_var(g, op.result, &v) {
                        self.report(op.span, e);
                        return;
                    }
                }
                Err(e) => {
                    self.report(op.span, e);
                    return;
                }
            }
        }
        let span = block.ops.last().map(|o| o.span).unwrap_or(gr.span);
        let exit_site = Site::ExitValue { block: b };
        match &block.exit {
            Exit::Goto(l) => self.follow(g, b, 0, l),
            Exit::If {
                cond,
                then_link,
                else_link,
            } => {
                let c = self.value_ann(g, exit_site, span, cond);
                match c {
                    SomeValue::Impossible => return,
                    SomeValue::Bool { .. } => {}
                    other => {
                        let e = OpError::new(format!(
                            "expected `bool` as a condition, found `{}`",
                            self.describe(&other)
                        ));
                        self.report(span, e);
                        return;
                    }
                }
                self.follow(g, b, 0, then_link);
                self.follow(g, b, 1, else_link);
            }
            Exit::Switch {
                value,
                cases,
                default,
            } => {
                let v = self.value_ann(g, exit_site, span, value);
                for (c, _) in cases {
                    let ok = match (&v, c) {
                        (SomeValue::Impossible, _) => return,
                        (SomeValue::Int { kind, .. }, Const::Int(n, t)) => {
                            let r = match t {
                                Some(t) => self.unify_kinds(*kind, IntKind::Ty(*t)).is_ok(),
                                None => true,
                            };
                            // The case must fit the value's type.
                            let fits = match self.resolve_kind(*kind) {
                                IntKind::Ty(t) => {
                                    let (lo, hi) = t.range();
                                    *n >= lo && *n <= hi
                                }
                                IntKind::Var(_) => true,
                            };
                            r && fits
                        }
                        (SomeValue::Char, Const::Char(_)) => true,
                        (SomeValue::Bool { .. }, Const::Bool(_)) => true,
                        _ => false,
                    };
                    if !ok {
                        let e = OpError::new(format!(
                            "a `match` on `{}` has a pattern of another type or out of range",
                            self.describe(&v)
                        ));
                        self.report(span, e);
                        return;
                    }
                }
                for (k, (_, l)) in cases.iter().enumerate() {
                    self.follow(g, b, k as u32, l);
                }
                self.follow(g, b, cases.len() as u32, default);
            }
            Exit::Return(v) => {
                let a = self.value_ann(g, exit_site, span, v);
                if a.is_impossible() {
                    return;
                }
                let decl = self.ret_decl(g);
                let old = self.rets.get(&g).cloned().unwrap_or(SomeValue::Impossible);
                let new = self
                    .union(&old, &a)
                    .and_then(|u| self.conform(&decl, &u))
                    .and_then(|u| {
                        if matches!(gr.ret_ty, Ty::Never) {
                            Err("a function returning `!` returns".into())
                        } else {
                            Ok(u)
                        }
                    });
                match new {
                    Ok(u) => {
                        if self.canon(&u) != self.canon(&old) {
                            self.rets.insert(g, u);
                            self.note_shared_change();
                        }
                    }
                    Err(m) => {
                        let e = OpError::new(format!("wrong return value of `{}`: {m}", gr.name));
                        self.report(span, e);
                    }
                }
            }
            Exit::Unreachable => {}
        }
    }

    fn follow(&mut self, g: GraphId, b: Block, li: u32, link: &Link) {
        let prog = self.prog;
        let Some(gr) = prog.graphs.get(g) else {
            return;
        };
        let span = gr
            .blocks
            .get(b)
            .and_then(|bd| bd.ops.last())
            .map(|o| o.span)
            .unwrap_or(gr.span);
        let Some(target) = gr.blocks.get(link.target) else {
            return;
        };
        if target.inputs.len() != link.args.len() {
            self.report(
                span,
                OpError::new("internal error: a link passes the wrong number of values"),
            );
            return;
        }
        let mut changed = self.mark_reached(g, link.target);
        for (j, (a, inp)) in link.args.iter().zip(&target.inputs).enumerate() {
            let site = Site::LinkArg {
                block: b,
                link: li,
                arg: j as u32,
            };
            let ann = self.value_ann(g, site, span, a);
            match self.set_var(g, *inp, &ann) {
                Ok(c) => changed |= c,
                Err(e) => {
                    self.report(span, e);
                    return;
                }
            }
        }
        if changed {
            self.schedule(g, link.target);
        }
    }

    fn flow_op(&mut self, g: GraphId, op: &Op, args: &[SomeValue]) -> Result<SomeValue, OpError> {
        let peeled;
        let args = if args.iter().any(|a| matches!(a, SomeValue::Rc(_))) {
            peeled = peel_rc_operands(op, args);
            &peeled[..]
        } else {
            args
        };
        let want = |n: usize| -> Result<(), OpError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(OpError::new(format!(
                    "internal error: operation with {} operand(s), expected {n}",
                    args.len()
                )))
            }
        };
        match &op.kind {
            OpKind::Bin(bop) => {
                want(2)?;
                let v = self.binop(*bop, &args[0], &args[1])?;
                // `==` on values with a derived `eq` (also inside `Option`s)
                // calls it.
                if matches!(bop, BinOp::Eq | BinOp::Ne) {
                    if let Some((m, x)) = self.derived_eq_of(&args[0], &args[1]) {
                        self.resolutions
                            .insert((g, op.result), Resolution::UserMethod(m));
                        self.flow_into_params(m, &[x.clone(), x])?;
                    }
                }
                Ok(v)
            }
            OpKind::Un(u) => {
                want(1)?;
                self.unop(*u, &args[0])
            }
            OpKind::Cast(ty) => {
                want(1)?;
                let literal = matches!(op.args.first(), Some(Value::Const(Const::Int(_, None))));
                self.cast(&args[0], ty, literal)
            }
            OpKind::SameAs | OpKind::Deref => {
                want(1)?;
                Ok(args[0].clone())
            }
            OpKind::Ref { mutable } => {
                want(1)?;
                if *mutable && !args[0].is_heap() {
                    return Err(OpError::new(format!(
                        "`&mut` to a value of type `{}` is not supported",
                        self.describe(&args[0])
                    ))
                    .help(
                        "`&mut` of a number, `bool` or `char` works for a local variable that \
                         is declared with its type or a literal (`let mut n: i64 = v[0];` then \
                         `f(&mut n)`); for a field or an element, pass the struct or the `Vec` \
                         itself, or return the new value",
                    ));
                }
                Ok(args[0].clone())
            }
            OpKind::GetField(name) => {
                want(1)?;
                match &args[0] {
                    SomeValue::Instance(s) => {
                        let idx = self.field_index(*s, name)?;
                        let fields = self.struct_fields(*s);
                        Ok(fields
                            .get(idx)
                            .map(|f| f.ann.clone())
                            .unwrap_or(SomeValue::Impossible))
                    }
                    SomeValue::Tuple(xs) => name
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| xs.get(i))
                        .cloned()
                        .ok_or_else(|| OpError::new(format!("no field `{name}` on this tuple"))),
                    other => Err(OpError::new(format!(
                        "no field `{name}` on a value of type `{}`",
                        self.describe(other)
                    ))),
                }
            }
            OpKind::SetField(name) => {
                want(2)?;
                match &args[0] {
                    SomeValue::Instance(s) => {
                        let idx = self.field_index(*s, name)?;
                        self.union_field(*s, idx, &args[1], true)?;
                        Ok(SomeValue::Unit)
                    }
                    SomeValue::Tuple(_) => Err(OpError::new(
                        "assigning to a field of a tuple is not supported",
                    )
                    .help("tuples are values in RRust; build a new tuple, or use a struct")),
                    other => Err(OpError::new(format!(
                        "no field `{name}` on a value of type `{}`",
                        self.describe(other)
                    ))),
                }
            }
            OpKind::GetIndex => {
                want(2)?;
                match &args[0] {
                    SomeValue::List(l) => {
                        let l = *l;
                        self.expect_int(&args[1], IntTy::Usize)?;
                        Ok(self.list_item(l))
                    }
                    SomeValue::Dict(d) => {
                        let d = *d;
                        self.dict_union(d, &args[1], &SomeValue::Impossible)?;
                        Ok(self.dict_value(d))
                    }
                    SomeValue::Str { .. } => {
                        Err(OpError::new("strings cannot be indexed by an integer")
                            .help("index the bytes instead: `s.as_bytes()[i]`"))
                    }
                    other => Err(OpError::new(format!(
                        "cannot index a value of type `{}`",
                        self.describe(other)
                    ))),
                }
            }
            OpKind::Slice(kind) => {
                want(if *kind == SliceKind::From { 2 } else { 3 })?;
                for a in &args[1..] {
                    self.expect_int(a, IntTy::Usize)?;
                }
                match &args[0] {
                    // A new list of the same items (the frontend lets it be
                    // read only, so one-way union suffices).
                    SomeValue::List(l) => {
                        let item = self.list_item(*l);
                        let copy = self.site_list(g, op.result, 0, SomeValue::Impossible);
                        self.list_union_item(copy, &item)?;
                        Ok(SomeValue::List(copy))
                    }
                    SomeValue::Str { .. } => Ok(SomeValue::Str { owned: false }),
                    other => Err(OpError::new(format!(
                        "cannot slice a value of type `{}`",
                        self.describe(other)
                    ))
                    .help("`&v[a..b]` works on a `Vec`, an array, a slice and a string")),
                }
            }
            OpKind::SetIndex => {
                want(3)?;
                match &args[0] {
                    SomeValue::List(l) => {
                        let l = *l;
                        self.expect_int(&args[1], IntTy::Usize)?;
                        self.list_union_item(l, &args[2])?;
                        self.list_flags(l, false, true);
                        Ok(SomeValue::Unit)
                    }
                    SomeValue::Dict(_) => Err(OpError::new(
                        "cannot assign through `map[key]` (HashMap has no IndexMut)",
                    )
                    .help("use `map.insert(key, value)`")),
                    other => Err(OpError::new(format!(
                        "cannot assign into a value of type `{}`",
                        self.describe(other)
                    ))),
                }
            }
            OpKind::NewStruct(s) => {
                let n = self
                    .prog
                    .structs
                    .get(*s)
                    .map(|d| d.fields.len())
                    .unwrap_or(0);
                want(n)?;
                for (i, a) in args.iter().enumerate() {
                    self.union_field(*s, i, a, false)?;
                }
                Ok(SomeValue::Instance(*s))
            }
            OpKind::NewTuple => {
                if args.is_empty() {
                    Ok(SomeValue::Unit)
                } else {
                    Ok(SomeValue::Tuple(args.to_vec()))
                }
            }
            OpKind::NewVec => {
                let l = self.site_list(g, op.result, 0, SomeValue::Impossible);
                for a in args {
                    self.list_union_item(l, a)?;
                }
                Ok(SomeValue::List(l))
            }
            OpKind::NewVecRepeat => {
                want(2)?;
                self.expect_int(&args[1], IntTy::Usize)?;
                // Heap items are cloned one by one (vec![x; n] clones x);
                // only a clone that copies everything is allowed.
                let deep_clone_ok = match &args[0] {
                    SomeValue::Str { .. } => true,
                    SomeValue::List(l) => !self.list_item(*l).is_heap(),
                    // Never written once built: the items may share it.
                    SomeValue::Instance(s) => self.is_copy_value(s),
                    _ => false,
                };
                if args[0].is_heap() && !deep_clone_ok {
                    return Err(OpError::new(format!(
                        "`vec![x; n]` with `x` of type `{}` is not supported",
                        self.describe(&args[0])
                    ))
                    .help("`vec![x; n]` is supported for numbers, strings, lists of numbers and `Copy` structs and enums (RRust clones those exactly); build deeper rows in a loop"));
                }
                let l = self.site_list(g, op.result, 0, SomeValue::Impossible);
                self.list_union_item(l, &args[0])?;
                Ok(SomeValue::List(l))
            }
            OpKind::NewVariant(name) => {
                want(1)?;
                let x = Box::new(args[0].clone());
                match name.as_str() {
                    "Some" => Ok(SomeValue::Option(x)),
                    "Ok" => Ok(SomeValue::Result(x, Box::new(SomeValue::Impossible))),
                    "Err" => Ok(SomeValue::Result(Box::new(SomeValue::Impossible), x)),
                    _ => Err(OpError::new(format!("variant `{name}` is not supported"))),
                }
            }
            OpKind::IsVariant(name) => {
                want(1)?;
                match (&args[0], name.as_str()) {
                    (SomeValue::Option(_), "Some" | "None")
                    | (SomeValue::Result(..), "Ok" | "Err") => Ok(SomeValue::bool()),
                    (other, _) => Err(OpError::new(format!(
                        "pattern `{name}` cannot match a value of type `{}`",
                        self.describe(other)
                    ))),
                }
            }
            OpKind::VariantField { variant, index } => {
                want(1)?;
                match (&args[0], variant.as_str(), index) {
                    (SomeValue::Option(x), "Some", 0) => Ok((**x).clone()),
                    (SomeValue::Result(x, _), "Ok", 0) => Ok((**x).clone()),
                    (SomeValue::Result(_, e), "Err", 0) => Ok((**e).clone()),
                    (other, _, _) => Err(OpError::new(format!(
                        "pattern `{variant}(..)` cannot match a value of type `{}`",
                        self.describe(other)
                    ))),
                }
            }
            OpKind::TryContinues => {
                want(1)?;
                self.try_operand(&args[0])?;
                Ok(SomeValue::bool())
            }
            OpKind::TryUnwrap => {
                want(1)?;
                match &args[0] {
                    SomeValue::Option(x) | SomeValue::Result(x, _) => Ok((**x).clone()),
                    other => Err(self.try_operand(other).err().unwrap_or_else(|| {
                        OpError::new("internal error: `?` on a value that is not tested")
                    })),
                }
            }
            OpKind::TryResidual => {
                want(1)?;
                self.try_residual(g, &args[0])
            }
            OpKind::NewEnum { ty, variant } => {
                let (first, count) = self.variant_fields(*ty, *variant)?;
                want(count)?;
                for (i, a) in args.iter().enumerate() {
                    self.union_field(*ty, first + i, a, false)?;
                }
                Ok(SomeValue::Instance(*ty))
            }
            OpKind::IsEnumVariant { ty, .. } => {
                want(1)?;
                self.expect_enum(&args[0], *ty)?;
                Ok(SomeValue::bool())
            }
            OpKind::EnumField { ty, field } => {
                want(1)?;
                self.expect_enum(&args[0], *ty)?;
                let fields = self.struct_fields(*ty);
                fields
                    .get(*field)
                    .map(|f| f.ann.clone())
                    .ok_or_else(|| OpError::new("internal error: no such variant field"))
            }
            OpKind::Call(callee) => {
                let Some(target) = self.instance_of(*callee, args)? else {
                    return Ok(SomeValue::Impossible);
                };
                if target != *callee {
                    self.resolutions
                        .insert((g, op.result), Resolution::Instance(target));
                }
                self.flow_into_params(target, args)?;
                Ok(self
                    .rets
                    .get(&target)
                    .cloned()
                    .unwrap_or(SomeValue::Impossible))
            }
            OpKind::CallPath(path) => {
                let (b, v) = self.builtin_path(g, op, path, args)?;
                self.resolutions
                    .insert((g, op.result), Resolution::Builtin(b));
                Ok(v)
            }
            OpKind::MethodCall { name, .. } => {
                let Some(recv) = args.first() else {
                    return Err(OpError::new("internal error: method call without receiver"));
                };
                // `b.as_ref()`/`b.as_mut()` of a `Box<T>` is the `T` itself
                // (boxes are erased), unless the type has such a method.
                if matches!(name.as_str(), "as_ref" | "as_mut") && args.len() == 1 {
                    let own = match recv {
                        SomeValue::Instance(s) => self.user_method(*s, name).is_ok(),
                        SomeValue::Dyn(d) => crate::dyn_declares(self.prog, &d.traits, name),
                        _ => true,
                    };
                    if !own {
                        self.resolutions
                            .insert((g, op.result), Resolution::Builtin(Builtin::Identity));
                        return Ok(recv.clone());
                    }
                }
                if let SomeValue::Instance(s) = recv {
                    // What a `for` walks is the value itself (then `len`
                    // and indexing, or the message below).
                    if name == "__for_seq" || name == "__for_seq_mut" {
                        self.resolutions
                            .insert((g, op.result), Resolution::Builtin(Builtin::Identity));
                        return Ok(recv.clone());
                    }
                    if name == "clone" && args.len() == 1 && self.user_method(*s, name).is_err() {
                        return self.clone_instance(g, op, *s, recv.clone());
                    }
                    // `for x in it` over a type of the file loops by index
                    // (`len`, then indexing), which an `Iterator` has not.
                    if name == "len"
                        && self.user_method(*s, name).is_err()
                        && self.user_method(*s, "next").is_ok()
                    {
                        return Err(OpError::new(format!(
                            "`for` over an iterator of your own type (`{}`) is not supported yet",
                            self.struct_name(*s)
                        ))
                        .help("call `next` in a loop: `while let Some(x) = it.next() { .. }`"));
                    }
                    let m = if name == "to_string"
                        && args.len() == 1
                        && self.user_method(*s, name).is_err()
                    {
                        self.display_method(*s)?
                    } else {
                        self.user_method(*s, name)?
                    };
                    let Some(m) = self.instance_of(m, args)? else {
                        return Ok(SomeValue::Impossible);
                    };
                    self.resolutions
                        .insert((g, op.result), Resolution::UserMethod(m));
                    self.flow_into_params(m, args)?;
                    return Ok(self.rets.get(&m).cloned().unwrap_or(SomeValue::Impossible));
                }
                if let SomeValue::Dyn(d) = recv {
                    return self.dyn_method_call(g, op, d.clone(), name, args);
                }
                if let (SomeValue::Func(f), "__call") = (recv, name.as_str()) {
                    let callee_args = &args[1..];
                    let Some(m) = self.instance_of(*f, callee_args)? else {
                        return Ok(SomeValue::Impossible);
                    };
                    self.resolutions
                        .insert((g, op.result), Resolution::FuncValue(m));
                    self.flow_into_params(m, callee_args)?;
                    return Ok(self.rets.get(&m).cloned().unwrap_or(SomeValue::Impossible));
                }
                let recv = recv.clone();
                let (b, v) = self.builtin_method(g, op, name, &recv, &args[1..])?;
                self.resolutions
                    .insert((g, op.result), Resolution::Builtin(b));
                Ok(v)
            }
            OpKind::Format(pieces) => {
                let specs: Vec<_> = pieces
                    .iter()
                    .filter_map(|p| match p {
                        FmtPiece::Arg(s) => Some(*s),
                        FmtPiece::Lit(_) => None,
                    })
                    .collect();
                want(specs.len())?;
                for (spec, a) in specs.iter().zip(args) {
                    if let (FmtKind::Display, SomeValue::Instance(s)) = (spec.kind, a) {
                        // The spec is not applied: a `Display` written with
                        // `write!` ignores width and fill, as under rustc.
                        let m = self.display_method(*s)?;
                        self.flow_into_params(m, std::slice::from_ref(a))?;
                        continue;
                    }
                    if let (FmtKind::Display, SomeValue::Dyn(d)) = (spec.kind, a) {
                        self.dyn_display(d)?;
                        continue;
                    }
                    if spec.kind == FmtKind::Debug && a.debug_by_parts() {
                        self.check_debug(a, spec)?;
                        continue;
                    }
                    let ok = match spec.kind {
                        FmtKind::Display | FmtKind::Debug => matches!(
                            a,
                            SomeValue::Int { .. }
                                | SomeValue::Bool { .. }
                                | SomeValue::Char
                                | SomeValue::Float
                                | SomeValue::Str { .. }
                                | SomeValue::IoError
                                | SomeValue::ParseIntError
                                | SomeValue::ParseFloatError
                                | SomeValue::TryFromIntError
                        ),
                        _ => matches!(a, SomeValue::Int { .. }),
                    };
                    if !ok {
                        let help = match a {
                            SomeValue::Option(_) => "match on it and format the value inside: `match o { Some(v) => println!(\"Some({})\", v), None => println!(\"None\") }`",
                            SomeValue::List(_) => "format the items in a loop: `for x in v.iter() { print!(\"{} \", x); }`",
                            SomeValue::Tuple(_) => "format the fields one by one: `println!(\"({}, {})\", t.0, t.1)`",
                            SomeValue::Instance(_) => "format the fields one by one (`println!(\"{} {}\", p.x, p.y)`), or derive `Debug` and use `{:?}`",
                            SomeValue::RefCell(_) => "format its value: `println!(\"{:?}\", c.borrow())`",
                            SomeValue::Cell(_) => "format its value: `println!(\"{:?}\", c.get())`",
                            _ => "format its parts one by one",
                        };
                        return Err(OpError::new(format!(
                            "formatting a value of type `{}` with {:?} is not supported",
                            self.describe(a),
                            spec.kind
                        ))
                        .help(help));
                    }
                }
                Ok(SomeValue::string())
            }
            OpKind::Print(_) => {
                want(1)?;
                self.expect_shape(&args[0], &SomeValue::string(), "String")?;
                Ok(SomeValue::Unit)
            }
            OpKind::Panic => {
                want(1)?;
                self.expect_shape(&args[0], &SomeValue::string(), "String")?;
                Ok(SomeValue::Impossible)
            }
        }
    }

    fn field_index(&self, s: flowspace::model::StructId, name: &str) -> Result<usize, OpError> {
        let def = self
            .prog
            .structs
            .get(s)
            .ok_or_else(|| OpError::new("internal error: unknown struct"))?;
        def.field_index(name)
            .ok_or_else(|| {
                let kind = if def.is_enum() { "enum" } else { "struct" };
                let e = OpError::new(format!("no field `{name}` on {kind} `{}`", def.name));
                if def.is_enum() {
                    e.help("the fields of an enum's variants are reached by matching: `if let Enum::Variant { x, .. } = e { .. }`")
                } else {
                    e
                }
            })
    }

    /// The range of `StructDef::fields` that holds a variant's fields.
    fn variant_fields(&self, ty: StructId, variant: u32) -> Result<(usize, usize), OpError> {
        self.prog
            .structs
            .get(ty)
            .and_then(|d| d.enum_def.as_ref())
            .and_then(|e| e.variants.get(variant as usize))
            .map(|v| (v.first_field, v.field_count))
            .ok_or_else(|| OpError::new("internal error: unknown variant"))
    }

    /// A struct or enum deriving `Copy`: its objects are never written
    /// after they are built (`check_structs` rejects a `Copy` struct whose
    /// fields are assigned), so copies may share them.
    pub(crate) fn is_copy_value(&self, s: &StructId) -> bool {
        self.prog.structs.get(*s).is_some_and(|d| d.derives("Copy"))
    }

    /// `x.clone()` on a struct or enum without a `clone` method of its own:
    /// the derived one (a deep copy); for a `Copy` enum the value itself.
    fn clone_instance(
        &mut self,
        g: GraphId,
        op: &Op,
        s: StructId,
        recv: SomeValue,
    ) -> Result<SomeValue, OpError> {
        if self.is_copy_value(&s)
            || self
                .prog
                .structs
                .get(s)
                .is_some_and(|d| d.is_fieldless_enum())
        {
            self.resolutions.insert(
                (g, op.result),
                Resolution::Builtin(crate::Builtin::Identity),
            );
            return Ok(recv);
        }
        let m = self.derived_method(s, flowspace::model::DERIVED_CLONE, "Clone", "be cloned")?;
        self.resolutions
            .insert((g, op.result), Resolution::UserMethod(m));
        self.flow_into_params(m, &[recv])?;
        Ok(self.rets.get(&m).cloned().unwrap_or(SomeValue::Impossible))
    }

    /// The method `impl fmt::Display` made on `s` (`{}`, `.to_string()`).
    pub(crate) fn display_method(&self, s: StructId) -> Result<GraphId, OpError> {
        self.user_method(s, flowspace::model::USER_DISPLAY)
            .map_err(|_| {
                let name = self.struct_name(s);
                OpError::new(format!("`{name}` doesn't implement `std::fmt::Display`")).help(
                    format!(
                        "implement it: `impl fmt::Display for {name} {{ fn fmt(&self, f: &mut \
                     fmt::Formatter) -> fmt::Result {{ write!(f, \"..\") }} }}` (with `use \
                     std::fmt;`), or derive `Debug` and format it with `{{:?}}`"
                    ),
                )
            })
    }

    fn struct_name(&self, s: StructId) -> String {
        self.prog
            .structs
            .get(s)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    }

    /// The method `#[derive(derive)]` made on `s` (named `method`), or the
    /// error rustc also gives: "`S` cannot <what>: it does not derive ..".
    fn derived_method(
        &self,
        s: StructId,
        method: &str,
        derive: &str,
        what: &str,
    ) -> Result<GraphId, OpError> {
        self.user_method(s, method).map_err(|_| {
            OpError::new(format!(
                "`{}` cannot {what}: it does not derive `{derive}`",
                self.struct_name(s)
            ))
            .help(format!(
                "add `#[derive({derive})]` to it, as rustc also asks"
            ))
        })
    }

    /// `{:?}` of `a`: user types through their derived `Debug`, `Option`s,
    /// `Vec`s and tuples through their contents, which get the same spec.
    fn check_debug(
        &mut self,
        a: &SomeValue,
        spec: &flowspace::model::FmtSpec,
    ) -> Result<(), OpError> {
        match a {
            SomeValue::Instance(s) => self.debug_instance(*s, spec),
            // Each type the object may be (the trait requires `Debug`).
            SomeValue::Dyn(d) => {
                for s in d.types.clone() {
                    self.debug_instance(s, spec)?;
                }
                Ok(())
            }
            SomeValue::Option(x) => self.check_debug(x, spec),
            SomeValue::Result(o, e) => {
                let e = (**e).clone();
                self.check_debug(o, spec)?;
                self.check_debug(&e, spec)
            }
            SomeValue::List(l) => {
                let item = self.list_item(*l);
                self.check_debug(&item, spec)
            }
            SomeValue::Tuple(xs) => {
                for x in xs.clone() {
                    self.check_debug(&x, spec)?;
                }
                Ok(())
            }
            SomeValue::Impossible
            | SomeValue::Int { .. }
            | SomeValue::Bool { .. }
            | SomeValue::Char
            | SomeValue::Float
            | SomeValue::Unit
            | SomeValue::ParseIntError
            | SomeValue::ParseFloatError
            | SomeValue::TryFromIntError
            | SomeValue::FmtError
            | SomeValue::Str { .. } => Ok(()),
            SomeValue::RefCell(_) | SomeValue::Cell(_) => Err(OpError::new(format!(
                "formatting a `{}` itself with Debug is not supported (only as a field of a type deriving `Debug`)",
                self.describe(a)
            ))
            .help(if matches!(a, SomeValue::RefCell(_)) {
                "format its value: `println!(\"{:?}\", c.borrow())`"
            } else {
                "format its value: `println!(\"{:?}\", c.get())`"
            })),
            other => Err(OpError::new(format!(
                "formatting a value of type `{}` with Debug is not supported",
                self.describe(other)
            ))
            .help("format its parts one by one")),
        }
    }

    /// `unwrap`/`expect` of a `Result` print the error with `{:?}`, so its
    /// type must have `Debug` (as rustc requires).
    pub(crate) fn check_error_debug(&mut self, err: &SomeValue) -> Result<(), OpError> {
        if matches!(err, SomeValue::IoError) {
            return Ok(());
        }
        let spec = flowspace::model::FmtSpec {
            kind: FmtKind::Debug,
            ..Default::default()
        };
        self.check_debug(err, &spec)
    }

    /// `{:?}` of a struct or enum: its derived `Debug` method, called with
    /// whether the format is `{:#?}`.
    fn debug_instance(
        &mut self,
        s: StructId,
        spec: &flowspace::model::FmtSpec,
    ) -> Result<(), OpError> {
        let m = self.derived_method(
            s,
            flowspace::model::DERIVED_DEBUG,
            "Debug",
            "be formatted with `{:?}`",
        )?;
        let name = self.struct_name(s);
        let plain = flowspace::model::FmtSpec {
            kind: spec.kind,
            alternate: spec.alternate,
            ..Default::default()
        };
        if *spec != plain {
            return Err(OpError::new(format!(
                "`{{:?}}` of `{name}` with a width, fill, sign or precision is not supported yet"
            ))
            .help("format it into a `String` first: `format!(\"{:>8}\", format!(\"{:?}\", v))`"));
        }
        self.flow_into_params(m, &[SomeValue::Instance(s), SomeValue::bool()])?;
        Ok(())
    }

    /// The derived `eq` method that compares `a` with `b` (two values of one
    /// struct or enum with fields, or two `Option`s of them), and the type
    /// of its parameters.
    fn derived_eq_of(&self, a: &SomeValue, b: &SomeValue) -> Option<(GraphId, SomeValue)> {
        match (a, b) {
            (SomeValue::Option(x), SomeValue::Option(y)) => self.derived_eq_of(x, y),
            (SomeValue::Option(x), SomeValue::Impossible)
            | (SomeValue::Impossible, SomeValue::Option(x)) => {
                self.derived_eq_of(x, &SomeValue::Impossible)
            }
            (SomeValue::Instance(s), SomeValue::Instance(_) | SomeValue::Impossible)
            | (SomeValue::Impossible, SomeValue::Instance(s)) => {
                // Fieldless enums without one (derived or not) compare
                // their discriminants; a user's `impl PartialEq` is called.
                let m = self.user_method(*s, flowspace::model::DERIVED_EQ).ok()?;
                Some((m, a.clone()))
            }
            _ => None,
        }
    }

    /// `{}` of a `dyn` value: the `Display` method of each type it may be
    /// (all of them have one when the trait requires `Display`).
    fn dyn_display(&mut self, d: &crate::model::DynSet) -> Result<(), OpError> {
        let describe = self.describe(&SomeValue::Dyn(d.clone()));
        let Some(targets) = crate::dyn_display_targets(self.prog, d) else {
            return Err(OpError::new(format!(
                "`{describe}` doesn't implement `std::fmt::Display`"
            ))
            .help("require it of the trait's types: `trait Shape: std::fmt::Display { .. }`"));
        };
        for (s, m) in targets {
            self.flow_into_params(m, &[SomeValue::Instance(s)])?;
        }
        Ok(())
    }

    /// `x.name(args)` on a `dyn` value: the method of the trait that
    /// declares it, for each type implementing the trait (a `match` on
    /// the object's type id once lowered); the result is the union of
    /// their results.
    fn dyn_method_call(
        &mut self,
        g: GraphId,
        op: &Op,
        d: crate::model::DynSet,
        name: &str,
        args: &[SomeValue],
    ) -> Result<SomeValue, OpError> {
        let describe = self.describe(&SomeValue::Dyn(d.clone()));
        let declared = crate::dyn_declares(self.prog, &d.traits, name);
        if name == "to_string" && args.len() == 1 && !declared {
            self.dyn_display(&d)?;
            let targets = crate::dyn_display_targets(self.prog, &d).unwrap_or_default();
            self.resolutions
                .insert((g, op.result), Resolution::DynMethod);
            self.dyn_calls.insert((g, op.result), targets);
            return Ok(SomeValue::string());
        }
        if !declared {
            return Err(OpError::new(format!(
                "no method `{name}` on a value of type `{describe}`"
            ))
            .help(
                "a trait object can call the methods of its trait and supertraits that take \
                 `&self` or `&mut self`",
            ));
        }
        let mut targets = Vec::new();
        let mut result = SomeValue::Impossible;
        for s in d.types.clone() {
            let m = self.user_method(s, name)?;
            let mut own = args.to_vec();
            own[0] = SomeValue::Instance(s);
            let Some(m) = self.instance_of(m, &own)? else {
                return Ok(SomeValue::Impossible);
            };
            self.flow_into_params(m, &own)?;
            let r = self.rets.get(&m).cloned().unwrap_or(SomeValue::Impossible);
            result = self.union(&result, &r).map_err(|e| {
                OpError::new(format!(
                    "the implementations of `{name}` return values of different types: {e}"
                ))
            })?;
            targets.push((s, m));
        }
        self.resolutions
            .insert((g, op.result), Resolution::DynMethod);
        self.dyn_calls.insert((g, op.result), targets);
        Ok(result)
    }

    /// A pattern of enum `ty` is matched against `a`.
    fn expect_enum(&self, a: &SomeValue, ty: StructId) -> Result<(), OpError> {
        match a {
            SomeValue::Instance(s) if *s == ty => Ok(()),
            // Not reached yet (a value that never exists matches nothing).
            SomeValue::Impossible => Ok(()),
            other => Err(OpError::new(format!(
                "a pattern of enum `{}` cannot match a value of type `{}`",
                self.prog
                    .structs
                    .get(ty)
                    .map(|d| d.name.as_str())
                    .unwrap_or("?"),
                self.describe(other)
            ))),
        }
    }

    /// `==`, `<` and friends on two values of one user type: fieldless
    /// enums compare their discriminants, as the derives do.
    fn enum_comparison(&self, ty: StructId, op: BinOp) -> Result<SomeValue, OpError> {
        let Some(def) = self.prog.structs.get(ty) else {
            return Err(OpError::new("internal error: unknown type"));
        };
        let (derive, ops) = if matches!(op, BinOp::Eq | BinOp::Ne) {
            ("PartialEq", "`==`")
        } else {
            ("PartialOrd", "`<`")
        };
        // A user's `impl PartialEq` (its `eq` renamed as the derive's).
        let user_eq =
            derive == "PartialEq" && self.prog.method(ty, flowspace::model::DERIVED_EQ).is_some();
        match &def.enum_def {
            _ if user_eq => Ok(SomeValue::bool()),
            Some(e) if e.is_fieldless() && def.derives(derive) => Ok(SomeValue::bool()),
            Some(e) if e.is_fieldless() => Err(OpError::new(format!(
                "`{}` cannot be compared with {ops}: it does not derive `{derive}`",
                def.name
            ))
            .help(format!("add `#[derive({derive})]` to the enum, as rustc also asks"))),
            _ if derive == "PartialEq" && def.derives(derive) => Ok(SomeValue::bool()),
            _ if derive == "PartialEq" => Err(OpError::new(format!(
                "`{}` cannot be compared with {ops}: it does not derive `{derive}`",
                def.name
            ))
            .help("add `#[derive(PartialEq)]` to it, as rustc also asks")),
            Some(_) => Err(OpError::new(format!(
                "ordering values of enum `{}` with {ops} is not supported yet (its variants have fields)",
                def.name
            ))
            .help("match on the variants instead: `match (a, b) { .. }`")),
            None => Err(OpError::new(format!(
                "ordering values of struct `{}` with {ops} is not supported yet",
                def.name
            ))
            .help("compare their fields: `a.x < b.x`")),
        }
    }

    pub(crate) fn user_method(
        &self,
        s: flowspace::model::StructId,
        name: &str,
    ) -> Result<GraphId, OpError> {
        self.prog.method(s, name).ok_or_else(|| {
            OpError::new(format!(
                "no method `{name}` on type `{}`",
                self.struct_name(s)
            ))
        })
    }

    fn binop(&mut self, op: BinOp, a: &SomeValue, b: &SomeValue) -> Result<SomeValue, OpError> {
        use BinOp::*;
        use SomeValue as S;
        let bad = |me: &Self| {
            OpError::new(format!(
                "cannot apply `{}` to `{}` and `{}`",
                op.name(),
                me.describe(a),
                me.describe(b)
            ))
        };
        match (a, b) {
            (
                S::Int {
                    kind: k1,
                    nonneg: n1,
                    ..
                },
                S::Int {
                    kind: k2,
                    nonneg: n2,
                    ..
                },
            ) => {
                if matches!(op, Shl | Shr) {
                    // The amount may have any integer type.
                    return Ok(S::Int {
                        kind: *k1,
                        nonneg: op == Shr && *n1,
                        konst: None,
                    });
                }
                let kind = self.unify_kinds(*k1, *k2).map_err(OpError::new)?;
                if op.is_comparison() {
                    return Ok(S::bool());
                }
                let nonneg = match op {
                    Add | Mul | Div | Rem | BitOr | BitXor => *n1 && *n2,
                    BitAnd => *n1 || *n2,
                    _ => false,
                };
                Ok(S::Int {
                    kind,
                    nonneg,
                    konst: None,
                })
            }
            (S::Instance(x), S::Instance(y)) if x == y && op.is_comparison() => {
                self.enum_comparison(*x, op)
            }
            (S::Float, S::Float) => match op {
                Add | Sub | Mul | Div | Rem => Ok(S::Float),
                _ if op.is_comparison() => Ok(S::bool()),
                _ => Err(bad(self)),
            },
            (S::Bool { .. }, S::Bool { .. }) => match op {
                BitAnd | BitOr | BitXor => Ok(S::bool()),
                _ if op.is_comparison() => Ok(S::bool()),
                _ => Err(bad(self)),
            },
            (S::Char, S::Char) if op.is_comparison() => Ok(S::bool()),
            (S::Str { owned }, S::Str { .. }) => match op {
                _ if op.is_comparison() => Ok(S::bool()),
                Add if *owned => Ok(S::string()),
                Add => Err(bad(self).help("write `a.to_string() + b` or use `format!`")),
                _ => Err(bad(self)),
            },
            // `==` on `Option`s: their contents must compare.
            (S::Option(x), S::Option(y)) if matches!(op, Eq | Ne) => {
                if matches!(**x, S::Option(_)) || matches!(**y, S::Option(_)) {
                    return Err(bad(self)
                        .help("comparing nested `Option`s is not supported yet; match on them"));
                }
                if **x != S::Impossible && **y != S::Impossible {
                    self.binop(op, x, y)?;
                }
                Ok(S::bool())
            }
            (S::Option(_), _) | (_, S::Option(_)) if op.is_comparison() => Err(bad(self).help(
                "ordering `Option`s is not supported yet; match on them: \
                 `matches!(a, Some(x) if x < y)`",
            )),
            _ => Err(bad(self)),
        }
    }

    fn unop(&mut self, op: UnOp, a: &SomeValue) -> Result<SomeValue, OpError> {
        match (op, a) {
            (UnOp::Neg, SomeValue::Int { kind, konst, .. }) => {
                if let IntKind::Ty(t) = self.resolve_kind(*kind) {
                    if !t.signed() {
                        return Err(OpError::new(format!(
                            "cannot apply unary `-` to type `{}`",
                            t.name()
                        )));
                    }
                }
                Ok(SomeValue::Int {
                    kind: *kind,
                    nonneg: konst.is_some_and(|k| k <= 0),
                    konst: konst.map(|k| -k),
                })
            }
            (UnOp::Neg, SomeValue::Float) => Ok(SomeValue::Float),
            (UnOp::Not, SomeValue::Bool { konst }) => Ok(SomeValue::Bool {
                konst: konst.map(|k| !k),
            }),
            (UnOp::Not, SomeValue::Int { kind, .. }) => Ok(SomeValue::Int {
                kind: *kind,
                nonneg: false,
                konst: None,
            }),
            _ => Err(OpError::new(format!(
                "cannot apply unary `{}` to `{}`",
                if op == UnOp::Neg { "-" } else { "!" },
                self.describe(a)
            ))),
        }
    }

    fn cast(&mut self, a: &SomeValue, ty: &Ty, literal: bool) -> Result<SomeValue, OpError> {
        let bad = |me: &Self| OpError::new(format!("cannot cast `{}` as `{ty:?}`", me.describe(a)));
        match ty {
            Ty::Int(t) => match a {
                SomeValue::Int { kind, .. } => {
                    if literal {
                        // rustc types an unsuffixed literal by the cast target.
                        self.unify_kinds(*kind, IntKind::Ty(*t))
                            .map_err(OpError::new)?;
                    }
                    Ok(SomeValue::int(*t))
                }
                SomeValue::Bool { .. } | SomeValue::Char | SomeValue::Float => {
                    Ok(SomeValue::int(*t))
                }
                SomeValue::Instance(s) if self.is_fieldless_enum(*s) => Ok(SomeValue::int(*t)),
                _ => Err(bad(self)),
            },
            Ty::Char => match a {
                SomeValue::Char => Ok(SomeValue::Char),
                SomeValue::Int { kind, .. } => {
                    self.unify_kinds(*kind, IntKind::Ty(IntTy::U8))
                        .map_err(|_| {
                            OpError::new("only `u8` can be cast as `char`").help(
                                "use `char::from_u32(x)` on the untranslated side, or cast a `u8`",
                            )
                        })?;
                    Ok(SomeValue::Char)
                }
                _ => Err(bad(self)),
            },
            Ty::F64 => match a {
                SomeValue::Int { .. } | SomeValue::Float => Ok(SomeValue::Float),
                _ => Err(bad(self)),
            },
            _ => Err(bad(self)
                .help("RRust supports `as` casts between integers, `char`, `bool` and `f64`")),
        }
    }
}

/// The operands of `op` with `Rc<T>` seen as `T` where Rust derefs it: the
/// receiver of a method (except `clone`, which clones the `Rc`), the base of
/// a field or an index, the operands of operators and formatting. Values
/// passed on or stored keep their `Rc` (so that a later `clone` shares).
fn peel_rc_operands(op: &Op, args: &[SomeValue]) -> Vec<SomeValue> {
    let keep = |i: usize| match &op.kind {
        OpKind::SameAs
        | OpKind::Ref { .. }
        | OpKind::Call(_)
        | OpKind::CallPath(_)
        | OpKind::NewStruct(_)
        | OpKind::NewTuple
        | OpKind::NewVec
        | OpKind::NewVariant(_)
        | OpKind::NewEnum { .. } => true,
        OpKind::NewVecRepeat => i == 0,
        OpKind::SetField(_) => i == 1,
        OpKind::SetIndex => i == 2,
        OpKind::MethodCall { name, .. } => i > 0 || name == "clone",
        _ => false,
    };
    args.iter()
        .enumerate()
        .map(|(i, a)| {
            if keep(i) {
                a.clone()
            } else {
                a.peel_rc().clone()
            }
        })
        .collect()
}
