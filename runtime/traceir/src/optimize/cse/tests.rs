use super::cse;
use crate::optimize::testutil::{calls, check};

#[test]
fn shares_pure_ops_and_elidable_calls() {
    check(
        "[i0, i1, p2]
i3 = int_add(i0, i1)
i4 = int_add(i1, i0)
i5 = int_sub(i0, i1)
i6 = int_sub(i1, i0)
i7 = arraylen_gc(p2)
setarrayitem_gc(p2, 0, 1, descr=<Array i64>)
i8 = arraylen_gc(p2)
i9 = call_pure_i(i0, descr=<Call 2>)
call_n(p2, descr=<Call 0>)
i10 = call_pure_i(i0, descr=<Call 2>)
i11 = call_pure_i(i0, descr=<Call 4>)
i12 = call_pure_i(i0, descr=<Call 3>)
call_n(p2, descr=<Call 0>)
i13 = call_pure_i(i0, descr=<Call 4>)
i15 = getfield_gc_i(p2, descr=<Field 8 i64>)
i16 = getfield_gc_i(p2, descr=<Field 8 i64>)
guard_true(i4, descr=<Guard 0>) [i8, i10]
finish(i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i15, i16)
",
        "[i0, i1, p2]
i3 = int_add(i0, i1)
i5 = int_sub(i0, i1)
i6 = int_sub(i1, i0)
i7 = arraylen_gc(p2)
setarrayitem_gc(p2, 0, 1, descr=<Array i64>)
i9 = call_pure_i(i0, descr=<Call 2>)
call_n(p2, descr=<Call 0>)
i11 = call_pure_i(i0, descr=<Call 4>)
i12 = call_pure_i(i0, descr=<Call 3>)
call_n(p2, descr=<Call 0>)
i13 = call_pure_i(i0, descr=<Call 4>)
i15 = getfield_gc_i(p2, descr=<Field 8 i64>)
i16 = getfield_gc_i(p2, descr=<Field 8 i64>)
guard_true(i3, descr=<Guard 0>) [i7, i9]
finish(i3, i3, i5, i6, i7, i7, i9, i9, i11, i12, i13, i15, i16)
",
        3,
        |t| cse(t, &calls()),
    );
}

#[test]
fn different_descrs_and_labels_separate() {
    let text = "[f0, i1]
i2 = cast_float_to_int(f0, descr=<IntKind u8>)
i3 = cast_float_to_int(f0, descr=<IntKind i8>)
i4 = int_add(i1, 1)
label(f0, i1, i4)
i5 = int_add(i1, 1)
i6 = call_pure_i(i1, descr=<Call 9>)
call_n(descr=<Call 9>)
i7 = call_pure_i(i1, descr=<Call 9>)
jump(f0, i5, i7)
";
    check(text, text, 0, |t| cse(t, &calls()));
}
