use super::strengthen;
use crate::optimize::testutil::check;

#[test]
fn a_run_of_moves_checks_the_last_position_first() {
    // `>>>` on a tape of length i1: three checks of i0 + 1, 2, 3.
    check(
        "[i0, i1, p2]
i3 = int_add(i0, 1)
i4 = uint_le(i1, i3)
guard_false(i4, descr=<Guard 0>) [i3]
setfield_gc(p2, i3, descr=<Field 16 u64>)
i5 = int_add(i0, 2)
i6 = uint_le(i1, i5)
guard_false(i6, descr=<Guard 1>) [i5]
i7 = int_add(i0, 3)
i8 = uint_lt(i7, i1)
guard_true(i8, descr=<Guard 2>) [i7]
finish(i7)
",
        "[i0, i1, p2]
i3 = int_add(i0, 1)
i4 = uint_le(i1, i3)
i9 = uint_le(i0, -4)
guard_true(i9, descr=<Guard 0>) [i3]
i10 = int_add(i0, 3)
i11 = uint_lt(i10, i1)
guard_true(i11, descr=<Guard 0>) [i3]
setfield_gc(p2, i3, descr=<Field 16 u64>)
i5 = int_add(i0, 2)
i6 = uint_le(i1, i5)
i7 = int_add(i0, 3)
i8 = uint_lt(i7, i1)
finish(i7)
",
        2,
        strengthen,
    );
}

#[test]
fn different_bounds_signed_compares_labels_and_restarts_stay() {
    let t = "[i0, i1, i2]
i3 = int_add(i0, 1)
i4 = uint_lt(i3, i1)
guard_true(i4, descr=<Guard 0>) [i3]
i5 = int_add(i0, 2)
i6 = uint_lt(i5, i2)
guard_true(i6, descr=<Guard 1>) [i5]
i7 = int_lt(i5, i1)
guard_true(i7, descr=<Guard 2>) [i5]
i8 = int_add(i0, 3)
i9 = uint_lt(i8, i1)
guard_true(i9, descr=<Restart 4>) [i0, i1, i2]
label(i0, i1, i2)
i10 = int_add(i0, 4)
i11 = uint_lt(i10, i1)
guard_true(i11, descr=<Guard 3>) [i10]
jump(i0, i1, i2)
";
    check(t, t, 0, strengthen);
}
