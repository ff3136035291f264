//! Integer methods with overflow in their contract (annotator/src/
//! int_methods.rs): the overflow test is computed from the wrapping result
//! with the classic identities, and divisions are given a safe divisor so
//! that no machine instruction traps.

use crate::build::{LResult, Lowerer};
use crate::llgraph::*;
use crate::lltype::LLType;
use annotator::{Builtin, IntArith, SomeValue};
use flowspace::model::IntTy;

impl Lowerer<'_, '_> {
    pub(crate) fn lower_int_arith(
        &mut self,
        bi: Builtin,
        res_ann: &SomeValue,
        res_ty: LLType,
        args: &[LLValue],
    ) -> LResult<LLValue> {
        let a = *args.first().ok_or("internal error: missing receiver")?;
        let b = args.get(1).copied();
        let LLType::Int(t) = self.ty_of(&a) else {
            return Err("internal error: an integer method on a non-integer".into());
        };
        let rhs = || b.ok_or_else(|| "internal error: missing argument".to_string());
        Ok(match bi {
            Builtin::IntWrappingNeg => self.emit(LLOpKind::IntNeg, vec![a], LLType::Int(t)),
            Builtin::IntWrappingPow => self.int_pow(a, rhs()?, t).0,
            Builtin::IntChecked(op) => {
                let SomeValue::Option(inner) = res_ann else {
                    return Err("internal error: checked_* without an Option".into());
                };
                let inner = (**inner).clone();
                let (ovf, v) = self.int_overflowing(op, a, b, t)?;
                let inner2 = inner.clone();
                self.emit_select(
                    ovf,
                    &[v],
                    res_ty,
                    |me| me.make_none(&inner2),
                    |me| me.make_some(&inner, v),
                )?
            }
            Builtin::IntSaturating(op) => {
                let (ovf, v) = self.int_overflowing(op, a, b, t)?;
                let (min, max) = t.range();
                let (min, max) = (Self::int(min as i64, t), Self::int(max as i64, t));
                let bound = if !t.signed() {
                    if op == IntArith::Add {
                        max
                    } else {
                        min
                    }
                } else {
                    // Past MAX when adding a positive or subtracting a
                    // negative number, past MIN otherwise.
                    let neg = self.emit(
                        LLOpKind::IntCmp(Cmp::Lt),
                        vec![rhs()?, Self::int(0, t)],
                        LLType::Bool,
                    );
                    let (if_neg, if_pos) = if op == IntArith::Add {
                        (min, max)
                    } else {
                        (max, min)
                    };
                    self.pick(neg, if_neg, if_pos, t)
                };
                self.pick(ovf, bound, v, t)
            }
            _ => return Err("internal error: not an integer method".into()),
        })
    }

    fn cmp(&mut self, c: Cmp, x: LLValue, y: LLValue) -> LLValue {
        self.emit(LLOpKind::IntCmp(c), vec![x, y], LLType::Bool)
    }

    fn bool_op(&mut self, k: LLOpKind, x: LLValue, y: LLValue) -> LLValue {
        self.emit(k, vec![x, y], LLType::Bool)
    }

    /// `c ? x : y` without branches: `y ^ ((x ^ y) & -(c as t))`.
    fn pick(&mut self, c: LLValue, x: LLValue, y: LLValue, t: IntTy) -> LLValue {
        let ty = LLType::Int(t);
        let one = self.emit(LLOpKind::Cast, vec![c], ty);
        let mask = self.emit(LLOpKind::IntNeg, vec![one], ty);
        let diff = self.emit(LLOpKind::IntXor, vec![x, y], ty);
        let masked = self.emit(LLOpKind::IntAnd, vec![diff, mask], ty);
        self.emit(LLOpKind::IntXor, vec![y, masked], ty)
    }

    /// `x` unless `bad`, else 1: a divisor that cannot trap.
    fn safe_divisor(&mut self, bad: LLValue, x: LLValue, t: IntTy) -> LLValue {
        self.pick(bad, Self::int(1, t), x, t)
    }

    /// (overflowed, the wrapping result) of `a op b`.
    fn int_overflowing(
        &mut self,
        op: IntArith,
        a: LLValue,
        b: Option<LLValue>,
        t: IntTy,
    ) -> LResult<(LLValue, LLValue)> {
        let ty = LLType::Int(t);
        let zero = Self::int(0, t);
        let min = Self::int(t.range().0 as i64, t);
        let minus_one = Self::int(-1, t);
        let b = || b.ok_or_else(|| "internal error: missing argument".to_string());
        Ok(match op {
            IntArith::Add | IntArith::Sub => {
                let b = b()?;
                let kind = if op == IntArith::Add {
                    LLOpKind::IntAdd
                } else {
                    LLOpKind::IntSub
                };
                let r = self.emit(kind, vec![a, b], ty);
                let ovf = if !t.signed() {
                    if op == IntArith::Add {
                        self.cmp(Cmp::Lt, r, a)
                    } else {
                        self.cmp(Cmp::Lt, a, b)
                    }
                } else {
                    // Add: both operands' signs differ from the result's;
                    // sub: the operands' signs differ and the result's
                    // differs from `a`'s.
                    let ar = self.emit(LLOpKind::IntXor, vec![a, r], ty);
                    let other = if op == IntArith::Add {
                        self.emit(LLOpKind::IntXor, vec![b, r], ty)
                    } else {
                        self.emit(LLOpKind::IntXor, vec![a, b], ty)
                    };
                    let both = self.emit(LLOpKind::IntAnd, vec![ar, other], ty);
                    self.cmp(Cmp::Lt, both, zero)
                };
                (ovf, r)
            }
            IntArith::Mul => {
                let b = b()?;
                let r = self.emit(LLOpKind::IntMul, vec![a, b], ty);
                // Overflow exactly when r / a != b (a not 0; for signed
                // types a = -1 overflows only with b = MIN).
                let a_zero = self.cmp(Cmp::Eq, a, zero);
                let (skip, special) = if t.signed() {
                    let a_m1 = self.cmp(Cmp::Eq, a, minus_one);
                    let skip = self.bool_op(LLOpKind::IntOr, a_zero, a_m1);
                    let b_min = self.cmp(Cmp::Eq, b, min);
                    (skip, Some(self.bool_op(LLOpKind::IntAnd, a_m1, b_min)))
                } else {
                    (a_zero, None)
                };
                let d = self.safe_divisor(skip, a, t);
                let q = self.emit(LLOpKind::IntDiv, vec![r, d], ty);
                let differs = self.cmp(Cmp::Ne, q, b);
                let taken = self.emit(LLOpKind::IntNot, vec![skip], LLType::Bool);
                let mut ovf = self.bool_op(LLOpKind::IntAnd, taken, differs);
                if let Some(s) = special {
                    ovf = self.bool_op(LLOpKind::IntOr, ovf, s);
                }
                (ovf, r)
            }
            IntArith::Div | IntArith::Rem => {
                let b = b()?;
                let mut bad = self.cmp(Cmp::Eq, b, zero);
                if t.signed() {
                    let a_min = self.cmp(Cmp::Eq, a, min);
                    let b_m1 = self.cmp(Cmp::Eq, b, minus_one);
                    let both = self.bool_op(LLOpKind::IntAnd, a_min, b_m1);
                    bad = self.bool_op(LLOpKind::IntOr, bad, both);
                }
                let d = self.safe_divisor(bad, b, t);
                let kind = if op == IntArith::Div {
                    LLOpKind::IntDiv
                } else {
                    LLOpKind::IntRem
                };
                (bad, self.emit(kind, vec![a, d], ty))
            }
            IntArith::Neg => {
                let ovf = if t.signed() {
                    self.cmp(Cmp::Eq, a, min)
                } else {
                    self.cmp(Cmp::Ne, a, zero)
                };
                (ovf, self.emit(LLOpKind::IntNeg, vec![a], ty))
            }
            IntArith::Abs => {
                let ovf = self.cmp(Cmp::Eq, a, min);
                let neg = self.emit(LLOpKind::IntNeg, vec![a], ty);
                let lt = self.cmp(Cmp::Lt, a, zero);
                (ovf, self.pick(lt, neg, a, t))
            }
            IntArith::Pow => {
                let (v, ovf) = self.int_pow(a, b()?, t);
                (ovf, v)
            }
        })
    }

    /// `a.wrapping_pow(e)` and whether `a.pow(e)` overflows (runtime calls).
    fn int_pow(&mut self, a: LLValue, e: LLValue, t: IntTy) -> (LLValue, LLValue) {
        let u64t = LLType::Int(IntTy::U64);
        let wa = self.emit(LLOpKind::Cast, vec![a], u64t);
        let we = self.emit(LLOpKind::Cast, vec![e], u64t);
        let code = Self::int(t.bits() as i64 | ((t.signed() as i64) << 8), IntTy::U64);
        let w = self.call("rr_int_pow", vec![wa, we, code], u64t);
        let v = self.emit(LLOpKind::Cast, vec![w], LLType::Int(t));
        let o = self.call(
            "rr_int_pow_overflows",
            vec![wa, we, code],
            LLType::Int(IntTy::U8),
        );
        let ovf = self.cmp(Cmp::Ne, o, Self::int(0, IntTy::U8));
        (v, ovf)
    }
}
