//! The std methods of `Option` and `Result` that take a closure
//! (`o.map(|x| x + 1)`, `r.map_err(f)`): a branch on the variant, and a call
//! of the closure's `__call` (or of the function passed by name) where Rust
//! calls it, so it runs only then, as in Rust.

use crate::build::{LResult, Lowerer};
use crate::llgraph::*;
use crate::lltype::LLType;
use crate::repr::*;
use annotator::{Builtin, SomeValue};
use flowspace::model::Op;

impl Lowerer<'_, '_> {
    /// Lowers `bi` (one of the closure-taking builtins) of `op`: `args[0]`
    /// is the receiver; the closure is the last argument.
    pub(crate) fn lower_closure_method(
        &mut self,
        bi: Builtin,
        op: &Op,
        recv: &SomeValue,
        args: &[LLValue],
    ) -> LResult<LLValue> {
        use Builtin as B;
        let res = op.result;
        let want = self.ann(res);
        let res_ty = self.var_ty(res);
        let (Some(&obj), Some(&f)) = (args.first(), args.last()) else {
            return Err("internal error: a closure method without its arguments".into());
        };
        let f_ann = match op.args.last() {
            Some(flowspace::model::Value::Var(v)) => self.ann(*v),
            _ => SomeValue::Impossible,
        };
        let keep: Vec<LLValue> = args.to_vec();
        match (bi, recv) {
            (B::OptionMap | B::OptionAndThen | B::OptionMapOr, SomeValue::Option(inner)) => {
                let is_some = self.option_is_some(inner, obj)?;
                let out_inner = match (&want, bi) {
                    (SomeValue::Option(x), B::OptionMap) => (**x).clone(),
                    _ => SomeValue::Impossible,
                };
                self.emit_select(
                    is_some,
                    &keep,
                    res_ty,
                    |me| {
                        let x = me.option_value(inner, obj)?;
                        if bi == B::OptionMap {
                            let r = me.call_closure(
                                res,
                                f,
                                &f_ann,
                                vec![x],
                                vec![(**inner).clone()],
                                &out_inner,
                            )?;
                            me.make_some(&out_inner, r)
                        } else {
                            me.call_closure(res, f, &f_ann, vec![x], vec![(**inner).clone()], &want)
                        }
                    },
                    |me| match bi {
                        B::OptionMap => me.make_none(&out_inner),
                        B::OptionAndThen => match &want {
                            SomeValue::Option(x) => me.make_none(x),
                            _ => Err("internal error: and_then without an Option".into()),
                        },
                        // `map_or(default, f)`: the default.
                        _ => {
                            let d = args.get(1).copied().ok_or("internal error: map_or")?;
                            let have = self_ann(op, 1, me);
                            me.convert(d, &have, &want)
                        }
                    },
                )
            }
            (B::OptionUnwrapOrElse, SomeValue::Option(inner)) => {
                let is_some = self.option_is_some(inner, obj)?;
                self.emit_select(
                    is_some,
                    &keep,
                    res_ty,
                    |me| {
                        let x = me.option_value(inner, obj)?;
                        me.convert(x, inner, &want)
                    },
                    |me| me.call_closure(res, f, &f_ann, vec![], vec![], &want),
                )
            }
            (B::OptionOkOrElse, SomeValue::Option(inner)) => {
                let is_some = self.option_is_some(inner, obj)?;
                let SomeValue::Result(_, e) = &want else {
                    return Err("internal error: ok_or_else without a Result".into());
                };
                let e = (**e).clone();
                self.emit_select(
                    is_some,
                    &keep,
                    res_ty,
                    |me| {
                        let x = me.option_value(inner, obj)?;
                        me.make_result(&want, true, x)
                    },
                    |me| {
                        let err = me.call_closure(res, f, &f_ann, vec![], vec![], &e)?;
                        me.make_result(&want, false, err)
                    },
                )
            }
            (
                B::ResultMap | B::ResultMapErr | B::ResultAndThen | B::ResultUnwrapOrElse,
                SomeValue::Result(o, e),
            ) => {
                let r = self.reprs.result_repr(o, e)?;
                let is_ok = self.get_field(r.ty, RES_IS_OK, obj, LLType::Bool);
                let (o, e) = ((**o).clone(), (**e).clone());
                let (wo, we) = match &want {
                    SomeValue::Result(a, b) => ((**a).clone(), (**b).clone()),
                    other => (other.clone(), SomeValue::Impossible),
                };
                // Each side calls the closure on its value or passes the
                // value on, and wraps the outcome in its variant or not.
                let (ok_calls, err_calls) = match bi {
                    B::ResultMap | B::ResultAndThen => (true, false),
                    _ => (false, true),
                };
                let (ok_wraps, err_wraps) = match bi {
                    B::ResultAndThen => (false, true),
                    B::ResultUnwrapOrElse => (false, false),
                    _ => (true, true),
                };
                let (want_ok, want_err) = (want.clone(), want.clone());
                let (f_ok, f_err) = (f_ann.clone(), f_ann);
                let ok_side = move |me: &mut Self| {
                    let v = me.get_field(r.ty, RES_OK, obj, r.ok);
                    let side = Side {
                        ok: true,
                        calls: ok_calls,
                        wraps: ok_wraps,
                    };
                    me.result_side(res, side, (f, &f_ok), v, &o, &wo, &want_ok)
                };
                let err_side = move |me: &mut Self| {
                    let v = me.get_field(r.ty, RES_ERR, obj, r.err);
                    let side = Side {
                        ok: false,
                        calls: err_calls,
                        wraps: err_wraps,
                    };
                    me.result_side(res, side, (f, &f_err), v, &e, &we, &want_err)
                };
                self.emit_select(is_ok, &keep, res_ty, ok_side, err_side)
            }
            _ => Err(format!(
                "internal error: {bi:?} on a receiver it does not take"
            )),
        }
    }

    /// Calls the closure `f` (annotated `f_ann`) of the std method whose
    /// result is `res` with `args`; the value has the representation of
    /// `want`.
    fn call_closure(
        &mut self,
        res: flowspace::model::Var,
        f: LLValue,
        f_ann: &SomeValue,
        args: Vec<LLValue>,
        arg_anns: Vec<SomeValue>,
        want: &SomeValue,
    ) -> LResult<LLValue> {
        let (m, with_recv) = *self
            .reprs
            .anns
            .closure_calls
            .get(&(self.g, res))
            .ok_or("internal error: a closure call that was not annotated")?;
        let (mut all, mut anns) = (Vec::new(), Vec::new());
        if with_recv {
            all.push(f);
            anns.push(f_ann.clone());
        }
        all.extend(args);
        anns.extend(arg_anns);
        self.call_returning(m, all, anns, want)
    }

    /// One side of a closure-taking `Result` method: the value `v`
    /// (annotated `from`) goes through the closure `f` or passes on, into
    /// `inner` (the variant's type in the result) when it is then wrapped as
    /// that variant of `want`, else into `want` itself.
    #[allow(clippy::too_many_arguments)]
    fn result_side(
        &mut self,
        res: flowspace::model::Var,
        side: Side,
        (f, f_ann): (LLValue, &SomeValue),
        v: LLValue,
        from: &SomeValue,
        inner: &SomeValue,
        want: &SomeValue,
    ) -> LResult<LLValue> {
        let to = if side.wraps { inner } else { want };
        let x = if side.calls {
            self.call_closure(res, f, f_ann, vec![v], vec![from.clone()], to)?
        } else {
            self.convert(v, from, to)?
        };
        if side.wraps {
            self.make_result(want, side.ok, x)
        } else {
            Ok(x)
        }
    }

    /// A new `Ok(v)` (or `Err(v)`) of the `Result` annotated `res`.
    fn make_result(&mut self, res: &SomeValue, is_ok: bool, v: LLValue) -> LResult<LLValue> {
        let SomeValue::Result(o, e) = res else {
            return Err("internal error: a Result of a non-Result".into());
        };
        let r = self.reprs.result_repr(o, e)?;
        let obj = self.emit(LLOpKind::Malloc(r.ty), vec![], LLType::Ptr(r.ty));
        self.set_field(r.ty, RES_IS_OK, obj, LLValue::Const(LLConst::Bool(is_ok)));
        let (field, t) = if is_ok {
            (RES_OK, r.ok)
        } else {
            (RES_ERR, r.err)
        };
        if t != LLType::Void {
            self.set_field(r.ty, field, obj, v);
        }
        Ok(obj)
    }
}

/// What one side of a `Result` does in `result_side`.
#[derive(Clone, Copy)]
struct Side {
    /// The `Ok` side (else the `Err` side).
    ok: bool,
    /// Its value goes through the closure.
    calls: bool,
    /// The outcome is wrapped as this side's variant.
    wraps: bool,
}

/// The annotation of operand `j` of `op`.
fn self_ann(op: &Op, j: usize, me: &Lowerer<'_, '_>) -> SomeValue {
    match op.args.get(j) {
        Some(flowspace::model::Value::Var(v)) => me.ann(*v),
        _ => SomeValue::Impossible,
    }
}
