//! The integer methods with overflow in their contract: `checked_*`
//! (`Option` results), `saturating_add`/`_sub`, `pow` and `wrapping_pow`
//! (wrapping, as rustc's release build computes `pow`), `wrapping_neg`.

use crate::builtins::Builtin as B;
use crate::engine::{Annotator, OpError};
use crate::model::{IntKind, SomeValue};
use flowspace::model::IntTy;

/// The operation of a checked or saturating method.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum IntArith {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Neg,
    Abs,
    Pow,
}

fn u32_ann() -> SomeValue {
    SomeValue::Int {
        kind: IntKind::Ty(IntTy::U32),
        nonneg: true,
        konst: None,
    }
}

impl Annotator<'_> {
    /// `recv.name(args)` for an integer `recv`, if `name` is one of this
    /// file's methods.
    pub(crate) fn int_arith_method(
        &mut self,
        name: &str,
        recv: &SomeValue,
        args: &[SomeValue],
    ) -> Option<Result<(B, SomeValue), OpError>> {
        use IntArith as A;
        let (b, arity) = match name {
            "checked_add" => (B::IntChecked(A::Add), 1),
            "checked_sub" => (B::IntChecked(A::Sub), 1),
            "checked_mul" => (B::IntChecked(A::Mul), 1),
            "checked_div" => (B::IntChecked(A::Div), 1),
            "checked_rem" => (B::IntChecked(A::Rem), 1),
            "checked_neg" => (B::IntChecked(A::Neg), 0),
            "checked_abs" => (B::IntChecked(A::Abs), 0),
            "checked_pow" => (B::IntChecked(A::Pow), 1),
            "saturating_add" => (B::IntSaturating(A::Add), 1),
            "saturating_sub" => (B::IntSaturating(A::Sub), 1),
            "pow" | "wrapping_pow" => (B::IntWrappingPow, 1),
            "wrapping_neg" => (B::IntWrappingNeg, 0),
            _ => return None,
        };
        Some(self.int_arith(name, b, arity, recv, args))
    }

    fn int_arith(
        &mut self,
        name: &str,
        b: B,
        arity: usize,
        recv: &SomeValue,
        args: &[SomeValue],
    ) -> Result<(B, SomeValue), OpError> {
        if args.len() != arity {
            return Err(OpError::new(format!(
                "method `{name}` takes {arity} argument(s) but {} were given",
                args.len()
            )));
        }
        let pow = matches!(b, B::IntChecked(IntArith::Pow) | B::IntWrappingPow);
        let v = if pow {
            // The exponent is a `u32`.
            self.union(&args[0], &u32_ann()).map_err(|_| {
                OpError::new(format!("the exponent of `{name}` must be a `u32`"))
                    .help("convert it: `x.pow(n as u32)`")
            })?;
            self.strip_konst(recv)
        } else if arity == 1 {
            self.union_int_operands(recv, &args[0])?
        } else {
            self.strip_konst(recv)
        };
        let v = self.with_nonneg(&self.strip_konst(&v), false);
        let signed = self.canon(&v).int_ty().is_some_and(|t| t.signed());
        if b == B::IntChecked(IntArith::Abs) && !signed {
            return Err(OpError::new(
                "`checked_abs` is only defined on signed integers",
            ));
        }
        Ok(match b {
            B::IntChecked(_) => (b, SomeValue::Option(Box::new(v))),
            _ => (b, v),
        })
    }
}
