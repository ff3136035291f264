use super::fold;
use crate::optimize::testutil::check;

#[test]
fn folds_int_constants_with_wrapping_semantics() {
    check(
        "[i0]
i1 = int_add(3, 4)
i2 = int_mul(i1, -2)
i3 = int_sub(-9223372036854775808, 1)
i4 = int_floordiv(-7, 2)
i5 = int_mod(-7, 2)
i6 = uint_floordiv(-1, 2)
i7 = int_signext(255, 1)
i8 = int_signext(32768, 2)
i9 = uint_rshift(-1, 60)
i10 = int_rshift(-16, 2)
i11 = uint_lt(-1, 1)
i12 = int_lt(-1, 1)
i13 = int_lshift(1, 63)
finish(i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i0)
",
        "[i0]
finish(-14, 9223372036854775807, -3, -1, 9223372036854775807, -1, -32768, 15, -4, 0, 1, -9223372036854775808, i0)
",
        13,
        fold,
    );
}

#[test]
fn leaves_undefined_folds_alone() {
    let text = "[i0]
i1 = int_floordiv(5, 0)
i2 = int_mod(-9223372036854775808, -1)
i3 = int_floordiv(-9223372036854775808, -1)
i4 = uint_mod(5, 0)
i5 = int_lshift(1, 64)
i6 = int_signext(300, 3)
i7 = int_add(i0, 1)
i8 = int_mod(i0, -1)
finish(i1, i2, i3, i4, i5, i6, i7, i8)
";
    check(text, text, 0, fold);
}

#[test]
fn applies_identities_in_args_and_fail_args() {
    check(
        "[i0, i1, p2]
i3 = int_add(i0, 0)
i4 = int_mul(1, i1)
i5 = int_and(i4, -1)
i6 = int_sub(i5, i1)
i7 = int_xor(i0, i0)
i8 = int_mul(i0, 0)
i9 = int_eq(i1, i1)
i10 = ptr_eq(p2, p2)
i11 = ptr_ne(NULL, ConstPtr(ptr0))
i12 = int_neg(i0)
i13 = int_neg(i12)
i14 = int_add(i6, i1)
guard_true(i9, descr=<Guard 1>) [i3, i5, i6, i13]
finish(i7, i8, i10, i11, i14, i12)
",
        "[i0, i1, p2]
i12 = int_neg(i0)
guard_true(1, descr=<Guard 1>) [i0, i1, 0, i0]
finish(0, 0, 1, 1, i1, i12)
",
        11,
        fold,
    );
}

#[test]
fn folds_floats_and_casts_exactly() {
    check(
        "[f0]
f1 = float_add(1.5, 2.25)
f2 = float_truediv(1.0, 0.0)
i3 = float_lt(nan, 1.0)
i4 = cast_float_to_int(300.7, descr=<IntKind u8>)
i5 = cast_float_to_int(-1e300, descr=<IntKind i64>)
i6 = cast_float_to_int(nan, descr=<IntKind i32>)
f7 = cast_int_to_float(-3)
f8 = cast_uint_to_float(-1)
f9 = float_add(f0, 0.0)
f10 = float_neg(f0)
f11 = float_neg(f10)
finish(f1, f2, i3, i4, i5, i6, f7, f8, f9, f11)
",
        "[f0]
f9 = float_add(f0, 0.0)
f10 = float_neg(f0)
finish(3.75, inf, 0, 255, -9223372036854775808, 0, -3.0, 1.8446744073709552e19, f9, f0)
",
        9,
        fold,
    );
}

#[test]
fn values_named_by_a_label_are_not_replaced() {
    let text = "[i0]
i1 = int_add(i0, 0)
label(i1)
i2 = int_add(i1, 1)
jump(i2)
";
    check(text, text, 0, fold);
}

#[test]
fn runs_of_masked_adds_become_one_add() {
    let text = "[i0]
i1 = int_add(i0, 1)
i2 = int_and(i1, 255)
i3 = int_add(i2, 1)
i4 = int_and(i3, 255)
i5 = int_add(i4, 1)
i6 = int_and(i5, 255)
finish(i6)
";
    let mut t = crate::text::parse(text).unwrap();
    fold(&mut t);
    super::super::dce(&mut t, &[]);
    assert_eq!(
        crate::text::print(&t, &[]),
        "[i0]\ni1 = int_add(i0, 3)\ni2 = int_and(i1, 255)\nfinish(i2)\n"
    );
    // A masked value used elsewhere (stored, guarded) stays.
    let text = "[i0]
i1 = int_add(i0, 1)
i2 = int_and(i1, 255)
i3 = int_add(i2, 1)
i4 = int_and(i3, 255)
finish(i2, i4)
";
    let mut t = crate::text::parse(text).unwrap();
    fold(&mut t);
    assert_eq!(
        crate::text::print(&t, &[]),
        crate::text::print(&crate::text::parse(text).unwrap(), &[])
    );
    // A mask that is not 2^k - 1 does not wrap: nothing changes.
    let text = "[i0]
i1 = int_add(i0, 1)
i2 = int_and(i1, 254)
i3 = int_add(i2, 1)
i4 = int_and(i3, 254)
finish(i4)
";
    let mut t = crate::text::parse(text).unwrap();
    fold(&mut t);
    assert_eq!(
        crate::text::print(&t, &[]),
        crate::text::print(&crate::text::parse(text).unwrap(), &[])
    );
}

#[test]
fn adds_and_subtracts_of_constants_reassociate() {
    let text = "[i0]
i1 = int_add(i0, 1)
i2 = int_sub(i1, 1)
i3 = int_sub(i1, 3)
i4 = int_add(5, i3)
finish(i2, i4)
";
    let mut t = crate::text::parse(text).unwrap();
    fold(&mut t);
    super::super::dce(&mut t, &[]);
    assert_eq!(
        crate::text::print(&t, &[]),
        "[i0]\ni1 = int_add(i0, 3)\nfinish(i0, i1)\n"
    );
}

#[test]
fn definitions_of_label_arguments_are_not_looked_through() {
    // After the label, i1 holds what the jump passed, not -i0.
    let text = "[i0]
i1 = int_neg(i0)
label(i1)
i2 = int_neg(i1)
i3 = int_sub(i1, 1)
i4 = int_add(i2, i3)
jump(i4)
";
    check(text, text, 0, fold);
}

#[test]
fn the_type_id_of_an_allocation_is_its_descrs() {
    // A `new` (escaped: it is finished) and a copy of it: their headers
    // hold the descr's type id. An object from elsewhere keeps its read.
    check(
        "[p0]
p1 = new(descr=<Size 9 24>)
i2 = type_id_gc(p1)
p3 = same_as_r(p1)
i4 = type_id_gc(p3)
i5 = type_id_gc(p0)
finish(i2, i4, i5, p1)
",
        "[p0]
p1 = new(descr=<Size 9 24>)
i5 = type_id_gc(p0)
finish(9, 9, i5, p1)
",
        3,
        fold,
    );
}
