//! `format!` and `{:?}`: formatted pieces as runtime calls on a string
//! builder, `Debug` of containers and user types written out as Rust's
//! impls write it.

use crate::build::{LResult, Lowerer};
use crate::llgraph::*;
use crate::lltype::{well_known, LLType};
use crate::repr::*;
use annotator::SomeValue;
use flowspace::model::{FmtAlign, FmtKind, FmtPiece, FmtSpec, IntTy, Op};

const USIZE: LLType = LLType::Int(IntTy::Usize);
const STR: LLType = LLType::Ptr(well_known::STRING);

impl Lowerer<'_, '_> {
    /// Appends `v` formatted by `spec` to the string `sb`.
    pub(crate) fn fmt_value(&mut self, sb: LLValue, v: LLValue, spec: &FmtSpec) -> LResult<()> {
        let u = |n: i64| Self::int(n, IntTy::U64);
        let i = |n: i64| Self::int(n, IntTy::I64);
        let kind = match spec.kind {
            FmtKind::Display => 0,
            FmtKind::Debug => 1,
            FmtKind::LowerHex => 2,
            FmtKind::UpperHex => 3,
            FmtKind::Binary => 4,
            FmtKind::Octal => 5,
        };
        let align = match spec.align {
            FmtAlign::Default => 0,
            FmtAlign::Left => 1,
            FmtAlign::Center => 2,
            FmtAlign::Right => 3,
        };
        let flags = (spec.plus as i64)
            | ((spec.alternate as i64) << 1)
            | ((spec.zero_pad as i64) << 2)
            | (align << 4);
        // The fill char goes as a word (the runtime reads its low 32 bits).
        let spec_words = vec![
            u(kind),
            u(flags),
            u(spec.fill as i64),
            i(spec.width.map(|w| w as i64).unwrap_or(-1)),
            i(spec.precision.map(|w| w as i64).unwrap_or(-1)),
        ];
        let mut call_args = vec![sb];
        // Dispatch on the representation: constants have no annotation,
        // and every formattable type has its own.
        let name = match self.ty_of(&v) {
            LLType::Int(t) => {
                let w = if t == IntTy::U64 {
                    v
                } else {
                    self.emit(LLOpKind::Cast, vec![v], LLType::Int(IntTy::U64))
                };
                call_args.push(w);
                call_args.push(u(t.bits() as i64 | ((t.signed() as i64) << 8)));
                "rr_fmt_int"
            }
            LLType::Float => {
                call_args.push(v);
                "rr_fmt_float"
            }
            LLType::Bool => {
                call_args.push(v);
                "rr_fmt_bool"
            }
            LLType::Char => {
                call_args.push(v);
                "rr_fmt_char"
            }
            LLType::Ptr(p) if p == well_known::STRING => {
                call_args.push(v);
                "rr_fmt_str"
            }
            LLType::Ptr(p) if p == well_known::IO_ERROR => {
                call_args.push(v);
                "rr_fmt_io_error"
            }
            _ => return Err("this value cannot be formatted".into()),
        };
        call_args.extend(spec_words);
        self.call(name, call_args, LLType::Void);
        Ok(())
    }

    /// Appends the literal `text` to the string `sb`.
    pub(crate) fn push_lit(&mut self, sb: LLValue, text: &str) {
        let c = LLValue::Const(LLConst::Prebuilt(self.reprs.str_const(text.as_bytes())));
        self.call("rr_str_push_str", vec![sb, c], LLType::Void);
    }

    /// Appends what `inner` writes, indented by four spaces after each line
    /// break when `pretty` (rustc's `{:#?}` nests this way).
    pub(crate) fn fmt_nested(
        &mut self,
        sb: LLValue,
        pretty: bool,
        inner: impl FnOnce(&mut Self, LLValue) -> LResult<()>,
    ) -> LResult<()> {
        if !pretty {
            return inner(self, sb);
        }
        let tmp = self.new_string();
        self.with_live(&[sb, tmp], |me| inner(me, tmp))?;
        let nl = LLValue::Const(LLConst::Prebuilt(self.reprs.str_const(b"\n")));
        let ind = LLValue::Const(LLConst::Prebuilt(self.reprs.str_const(b"\n    ")));
        let r = self.call("rr_str_replace", vec![tmp, nl, ind], STR);
        self.call("rr_str_push_str", vec![sb, r], LLType::Void);
        Ok(())
    }

    /// Appends `{:?}` (`{:#?}`) of `v`, annotated `ann`, as Rust's `Debug`
    /// impls write it: `Some(..)`/`None`, `[a, b]`, `(a, b)`, derived
    /// `Debug` for user types; the leaves get `spec` (as Rust's formatter is
    /// passed down).
    pub(crate) fn fmt_debug(
        &mut self,
        sb: LLValue,
        v: LLValue,
        ann: &SomeValue,
        spec: &FmtSpec,
    ) -> LResult<()> {
        self.with_live(&[sb, v], |me| me.fmt_debug_in(sb, v, ann, spec))
    }

    /// Runs `f` with `values` kept alive through the blocks it makes (the
    /// builder carries live values into each new block).
    pub(crate) fn with_live<T>(&mut self, values: &[LLValue], f: impl FnOnce(&mut Self) -> T) -> T {
        let mark = self.live.len();
        for v in values {
            if let LLValue::Var(x) = v {
                self.live.push(*x);
            }
        }
        let r = f(self);
        self.live.truncate(mark);
        r
    }

    pub(crate) fn fmt_debug_in(
        &mut self,
        sb: LLValue,
        v: LLValue,
        ann: &SomeValue,
        spec: &FmtSpec,
    ) -> LResult<()> {
        let pretty = spec.alternate;
        match ann {
            SomeValue::Instance(s) => {
                let text = self.derived_debug(*s, v, pretty)?;
                self.fmt_value(sb, text, &FmtSpec::default())
            }
            SomeValue::Dyn(d) => {
                let prog = self.reprs.prog;
                let mut targets = Vec::new();
                for s in d.types.clone() {
                    let m = prog
                        .method(s, flowspace::model::DERIVED_DEBUG)
                        .ok_or("internal error: `{:?}` of a type without `Debug`")?;
                    targets.push((s, m));
                }
                let p = LLValue::Const(LLConst::Bool(pretty));
                let anns = vec![ann.clone(), SomeValue::bool()];
                let text =
                    self.dyn_dispatch(&targets, vec![v, p], anns, &SomeValue::string(), &[sb])?;
                self.fmt_value(sb, text, &FmtSpec::default())
            }
            SomeValue::Option(x) => {
                if **x == SomeValue::Impossible {
                    self.push_lit(sb, "None");
                    return Ok(());
                }
                let x = (**x).clone();
                let some = self.option_is_some(&x, v)?;
                let spec = *spec;
                self.emit_select(
                    some,
                    &[sb, v],
                    LLType::Void,
                    |me| {
                        let inner = me.option_value(&x, v)?;
                        me.push_lit(sb, if pretty { "Some(\n    " } else { "Some(" });
                        me.fmt_nested(sb, pretty, |me, t| me.fmt_debug(t, inner, &x, &spec))?;
                        me.push_lit(sb, if pretty { ",\n)" } else { ")" });
                        Ok(LLValue::Const(LLConst::Void))
                    },
                    |me| {
                        me.push_lit(sb, "None");
                        Ok(LLValue::Const(LLConst::Void))
                    },
                )?;
                Ok(())
            }
            SomeValue::Result(o, e) => {
                let r = self.reprs.result_repr(o, e)?;
                let (o, e) = ((**o).clone(), (**e).clone());
                let is_ok = self.get_field(r.ty, RES_IS_OK, v, LLType::Bool);
                let spec = *spec;
                let variant = |me: &mut Self, name: &str, f: u32, t: LLType, x: &SomeValue| {
                    let inner = me.get_field(r.ty, f, v, t);
                    me.push_lit(sb, &format!("{name}("));
                    if pretty {
                        me.push_lit(sb, "\n    ");
                    }
                    me.fmt_nested(sb, pretty, |me, t| me.fmt_debug(t, inner, x, &spec))?;
                    me.push_lit(sb, if pretty { ",\n)" } else { ")" });
                    Ok(LLValue::Const(LLConst::Void))
                };
                self.emit_select(
                    is_ok,
                    &[sb, v],
                    LLType::Void,
                    |me| variant(me, "Ok", RES_OK, r.ok, &o),
                    |me| variant(me, "Err", RES_ERR, r.err, &e),
                )?;
                Ok(())
            }
            SomeValue::ParseIntError | SomeValue::ParseFloatError => {
                // The kind codes of `rr_str_parse_int_error`/`_float_error`.
                let (ty, kinds): (&str, &[&str]) = if *ann == SomeValue::ParseIntError {
                    (
                        "ParseIntError",
                        &["Empty", "InvalidDigit", "PosOverflow", "NegOverflow"],
                    )
                } else {
                    ("ParseFloatError", &["Empty", "Invalid"])
                };
                self.push_lit(sb, &format!("{ty} {{"));
                self.push_lit(sb, if pretty { "\n    kind: " } else { " kind: " });
                for (k, name) in kinds.iter().enumerate() {
                    let hit = self.emit(
                        LLOpKind::IntCmp(Cmp::Eq),
                        vec![v, Self::int(k as i64 + 1, IntTy::U8)],
                        LLType::Bool,
                    );
                    self.emit_if(hit, &[sb, v], |me| {
                        me.push_lit(sb, name);
                        Ok(())
                    })?;
                }
                self.push_lit(sb, if pretty { ",\n}" } else { " }" });
                Ok(())
            }
            SomeValue::TryFromIntError => {
                self.push_lit(sb, "TryFromIntError(())");
                Ok(())
            }
            SomeValue::Unit => {
                self.push_lit(sb, "()");
                Ok(())
            }
            SomeValue::FmtError => {
                self.push_lit(sb, "Error");
                Ok(())
            }
            SomeValue::Tuple(xs) => {
                let LLType::Ptr(ty) = self.ty_of(&v) else {
                    self.push_lit(sb, "()");
                    return Ok(());
                };
                self.push_lit(sb, "(");
                for (k, x) in xs.iter().enumerate() {
                    let t = self.reprs.ll(x)?;
                    let f = self.get_field(ty, k as u32, v, t);
                    if pretty {
                        self.push_lit(sb, "\n    ");
                    } else if k > 0 {
                        self.push_lit(sb, ", ");
                    }
                    self.fmt_nested(sb, pretty, |me, t| me.fmt_debug(t, f, x, spec))?;
                    if pretty {
                        self.push_lit(sb, ",");
                    }
                }
                if pretty && !xs.is_empty() {
                    self.push_lit(sb, "\n");
                } else if xs.len() == 1 {
                    self.push_lit(sb, ",");
                }
                self.push_lit(sb, ")");
                Ok(())
            }
            SomeValue::List(l) => {
                let lr = self.reprs.list_repr(*l)?;
                let item = self.reprs.anns.listdef(*l).map(|d| d.item.clone());
                let item = item.unwrap_or(SomeValue::Impossible);
                self.push_lit(sb, "[");
                let len = self.get_field(lr.list, LIST_LENGTH, v, USIZE);
                let spec = *spec;
                self.emit_counted_loop(len, &[sb, v, len], |me, i| {
                    me.with_live(&[i, len], |me| {
                        if pretty {
                            me.push_lit(sb, "\n    ");
                        } else {
                            let later = me.emit(
                                LLOpKind::IntCmp(Cmp::Ne),
                                vec![i, Self::int(0, IntTy::Usize)],
                                LLType::Bool,
                            );
                            me.emit_if(later, &[sb, v, i], |me| {
                                me.push_lit(sb, ", ");
                                Ok(())
                            })?;
                        }
                        let items = me.get_field(lr.list, LIST_ITEMS, v, LLType::Ptr(lr.array));
                        let x = me.emit(LLOpKind::GetArrayItem(lr.array), vec![items, i], lr.item);
                        me.fmt_nested(sb, pretty, |me, t| me.fmt_debug(t, x, &item, &spec))?;
                        if pretty {
                            me.push_lit(sb, ",");
                        }
                        Ok(())
                    })
                })?;
                if pretty {
                    let some = self.emit(
                        LLOpKind::IntCmp(Cmp::Ne),
                        vec![len, Self::int(0, IntTy::Usize)],
                        LLType::Bool,
                    );
                    self.emit_if(some, &[sb], |me| {
                        me.push_lit(sb, "\n");
                        Ok(())
                    })?;
                }
                self.push_lit(sb, "]");
                Ok(())
            }
            _ => self.fmt_value(sb, v, spec),
        }
    }

    /// `r.unwrap()` / `r.expect(msg)` (`args`: the result, then `msg`) for an
    /// error type the runtime does not know: the panic message is built here
    /// with the error's `{:?}`, as `Result::unwrap` formats it.
    pub(crate) fn unwrap_any(
        &mut self,
        expect: bool,
        o: &SomeValue,
        e: &SomeValue,
        args: &[LLValue],
        res: flowspace::model::Var,
    ) -> LResult<()> {
        let r = self.reprs.result_repr(o, e)?;
        let obj = *args
            .first()
            .ok_or("internal error: unwrap without a value")?;
        let msg = if expect {
            Some(
                *args
                    .get(1)
                    .ok_or("internal error: expect without a message")?,
            )
        } else {
            None
        };
        let ok = self.get_field(r.ty, RES_IS_OK, obj, LLType::Bool);
        let mut extra = vec![obj];
        extra.extend(msg);
        let e = e.clone();
        self.emit_cold(ok, &extra, |me| {
            let err = me.get_field(r.ty, RES_ERR, obj, r.err);
            let sb = me.new_string();
            match msg {
                Some(m) => {
                    me.call("rr_str_push_str", vec![sb, m], LLType::Void);
                    me.push_lit(sb, ": ");
                }
                None => me.push_lit(sb, "called `Result::unwrap()` on an `Err` value: "),
            }
            let spec = FmtSpec {
                kind: FmtKind::Debug,
                ..Default::default()
            };
            if e.debug_by_parts() {
                me.fmt_debug(sb, err, &e, &spec)?;
            } else {
                me.fmt_value(sb, err, &spec)?;
            }
            let loc = me.loc();
            me.call("rr_panic_str", vec![sb, loc], LLType::Void);
            Ok(())
        })?;
        let v = self.get_field(r.ty, RES_OK, obj, r.ok);
        self.assign(res, v);
        Ok(())
    }

    /// The text of `{:?}` (`{:#?}` when `pretty`) of a value of user type
    /// `s`: a call of its derived `Debug` method.
    pub(crate) fn derived_debug(
        &mut self,
        s: flowspace::model::StructId,
        v: LLValue,
        pretty: bool,
    ) -> LResult<LLValue> {
        let m = self
            .reprs
            .prog
            .method(s, flowspace::model::DERIVED_DEBUG)
            .ok_or("internal error: `{:?}` of a type without a derived `Debug`")?;
        let id = *self
            .graph_ids
            .get(&m)
            .ok_or("internal error: a derived `Debug` that was not annotated")?;
        let p = LLValue::Const(LLConst::Bool(pretty));
        Ok(self.emit(LLOpKind::DirectCall(id), vec![v, p], STR))
    }

    /// The text of `{}` of a value of user type `s`: a call of the method
    /// its `impl fmt::Display` became.
    pub(crate) fn user_display(
        &mut self,
        s: flowspace::model::StructId,
        v: LLValue,
    ) -> LResult<LLValue> {
        let m = self
            .reprs
            .prog
            .method(s, flowspace::model::USER_DISPLAY)
            .ok_or("internal error: `{}` of a type without `Display`")?;
        let id = *self
            .graph_ids
            .get(&m)
            .ok_or("internal error: a `Display` method that was not annotated")?;
        Ok(self.emit(LLOpKind::DirectCall(id), vec![v], STR))
    }

    /// The text of `{}` of a `dyn` value: its type's `Display` method,
    /// chosen by the type id.
    fn dyn_display(&mut self, d: &annotator::DynSet, v: LLValue, sb: LLValue) -> LResult<LLValue> {
        let prog = self.reprs.prog;
        let targets = annotator::dyn_display_targets(prog, d)
            .ok_or("internal error: `{}` of a `dyn` value without `Display`")?;
        let anns = vec![SomeValue::Dyn(d.clone())];
        self.dyn_dispatch(&targets, vec![v], anns, &SomeValue::string(), &[sb])
    }

    /// `format!`: a new string, then one runtime call per piece.
    pub fn lower_format(
        &mut self,
        pieces: &[FmtPiece],
        args: &[LLValue],
        op: &Op,
    ) -> LResult<LLValue> {
        let sb = self.new_string();
        // `{:?}` of a container branches and loops: the arguments still to
        // be formatted must flow through those blocks.
        let saved_live = self.live.clone();
        for a in args {
            if let LLValue::Var(v) = a {
                self.live.push(*v);
            }
        }
        let r = self.format_pieces(sb, pieces, args, op);
        self.live = saved_live;
        r?;
        Ok(sb)
    }

    pub(crate) fn format_pieces(
        &mut self,
        sb: LLValue,
        pieces: &[FmtPiece],
        args: &[LLValue],
        op: &Op,
    ) -> LResult<()> {
        let mut k = 0;
        for p in pieces {
            match p {
                FmtPiece::Lit(s) => {
                    if s.is_empty() {
                        continue;
                    }
                    let c = LLValue::Const(LLConst::Prebuilt(self.reprs.str_const(s.as_bytes())));
                    self.call("rr_str_push_str", vec![sb, c], LLType::Void);
                }
                FmtPiece::Arg(spec) => {
                    let Some(v) = args.get(k) else {
                        return Err("internal error: format argument missing".into());
                    };
                    k += 1;
                    let ann = op.args.get(k - 1).and_then(|a| self.value_ann(a));
                    if let (FmtKind::Display, Some(SomeValue::Instance(s))) = (spec.kind, &ann) {
                        let text = self.user_display(*s, *v)?;
                        self.call("rr_str_push_str", vec![sb, text], LLType::Void);
                        continue;
                    }
                    if let (FmtKind::Display, Some(SomeValue::Dyn(d))) = (spec.kind, &ann) {
                        let text = self.dyn_display(d, *v, sb)?;
                        self.call("rr_str_push_str", vec![sb, text], LLType::Void);
                        continue;
                    }
                    if let (FmtKind::Display, Some(ann)) = (spec.kind, &ann) {
                        if let Some(text) = self.error_message(sb, ann, *v)? {
                            self.fmt_value(sb, text, spec)?;
                            continue;
                        }
                    }
                    if let (FmtKind::Debug, Some(ann)) = (spec.kind, ann) {
                        if ann.debug_by_parts() {
                            self.fmt_debug(sb, *v, &ann, spec)?;
                            continue;
                        }
                    }
                    self.fmt_value(sb, *v, spec)?;
                }
            }
        }
        Ok(())
    }
}

impl Lowerer<'_, '_> {
    /// `{}` of a `ParseIntError`, `ParseFloatError` or `TryFromIntError`
    /// (a kind code): a new string holding std's message for it.
    fn error_message(
        &mut self,
        sb: LLValue,
        ann: &SomeValue,
        code: LLValue,
    ) -> LResult<Option<LLValue>> {
        // Kind codes from 1, as `rr_str_parse_int_error` gives them.
        let messages: &[&str] = match ann {
            SomeValue::ParseIntError => &[
                "cannot parse integer from empty string",
                "invalid digit found in string",
                "number too large to fit in target type",
                "number too small to fit in target type",
            ],
            SomeValue::ParseFloatError => &[
                "cannot parse float from empty string",
                "invalid float literal",
            ],
            SomeValue::TryFromIntError => &["out of range integral type conversion attempted"],
            _ => return Ok(None),
        };
        let text = self.new_string();
        self.with_live(&[sb, text, code], |me| {
            for (k, m) in messages.iter().enumerate() {
                let hit = me.emit(
                    LLOpKind::IntCmp(Cmp::Eq),
                    vec![code, Self::int(k as i64 + 1, IntTy::U8)],
                    LLType::Bool,
                );
                me.emit_if(hit, &[sb, text, code], |me| {
                    me.push_lit(text, m);
                    Ok(())
                })?;
            }
            Ok::<(), String>(())
        })?;
        Ok(Some(text))
    }
}
