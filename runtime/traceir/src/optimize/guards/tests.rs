use super::guards;
use crate::optimize::testutil::check;

#[test]
fn removes_guards_known_to_hold() {
    check(
        "[i0, i1, p2, p3]
guard_true(1, descr=<Guard 0>) []
guard_false(0, descr=<Guard 1>) []
guard_true(0, descr=<Guard 2>) []
guard_true(i0, descr=<Guard 3>) [i0]
guard_true(i0, descr=<Guard 4>) [i0]
guard_value(i1, 7, descr=<Guard 5>) [i1]
i4 = int_add(i1, 1)
guard_value(i1, 7, descr=<Guard 6>) []
guard_value(i1, 8, descr=<Guard 7>) []
guard_nonnull(p2, descr=<Guard 8>) []
guard_nonnull(p2, descr=<Guard 9>) []
p5 = new(descr=<Size 1 16>)
guard_nonnull(p5, descr=<Guard 10>) []
guard_nonnull(ConstPtr(ptr0), descr=<Guard 11>) []
guard_isnull(p3, descr=<Guard 12>) [p3]
guard_nonnull(p3, descr=<Guard 13>) []
guard_isnull(p3, descr=<Guard 14>) []
finish(i4, p5)
",
        "[i0, i1, p2, p3]
guard_true(0, descr=<Guard 2>) []
guard_true(i0, descr=<Guard 3>) [i0]
guard_value(i1, 7, descr=<Guard 5>) [i1]
i4 = int_add(7, 1)
guard_value(7, 8, descr=<Guard 7>) []
guard_nonnull(p2, descr=<Guard 8>) []
p5 = new(descr=<Size 1 16>)
guard_isnull(p3, descr=<Guard 12>) [p3]
guard_nonnull(NULL, descr=<Guard 13>) []
finish(i4, p5)
",
        8,
        guards,
    );
}

#[test]
fn keeps_unproved_guards_and_forgets_at_labels() {
    // The jump passes new values: nothing known before the label holds.
    let text = "[i0, p1]
guard_true(i0, descr=<Guard 0>) []
guard_value(p1, ConstPtr(ptr0), descr=<Guard 1>) []
label(i0, p1)
guard_true(i0, descr=<Guard 1>) []
i1 = int_lt(i0, 10)
guard_true(i1, descr=<Guard 2>) [i0]
guard_false(i1, descr=<Guard 3>) []
guard_nonnull(p1, descr=<Guard 4>) [p1]
i2 = int_add(i0, 1)
p3 = getfield_gc_r(p1, descr=<Field 8 ref>)
jump(i2, p3)
";
    check(text, text, 0, guards);
}

#[test]
fn facts_about_values_the_loop_keeps_carry_across_the_label() {
    // p1 is passed back unchanged: its guard before the label holds in
    // the loop; i0 changes, so its guard stays.
    let text = "[i0, p1]
guard_true(i0, descr=<Guard 0>) []
guard_nonnull(p1, descr=<Guard 1>) []
label(i0, p1)
guard_true(i0, descr=<Guard 2>) []
guard_nonnull(p1, descr=<Guard 3>) [p1]
i1 = int_sub(i0, 1)
jump(i1, p1)
";
    let want = "[i0, p1]
guard_true(i0, descr=<Guard 0>) []
guard_nonnull(p1, descr=<Guard 1>) []
label(i0, p1)
guard_true(i0, descr=<Guard 2>) []
i2 = int_sub(i0, 1)
jump(i2, p1)
";
    check(text, want, 1, guards);
}

#[test]
fn a_checked_comparison_proves_its_negation_and_mirror_image() {
    // The tape's growth check then its bounds check, as the Brainfuck
    // interpreter's `>` records them.
    let text = "[i0, i1]
i2 = uint_le(i1, i0)
guard_false(i2, descr=<Guard 0>) []
i3 = uint_lt(i0, i1)
guard_true(i3, descr=<Guard 1>) []
i4 = uint_gt(i1, i0)
guard_true(i4, descr=<Guard 2>) []
i5 = int_lt(i0, i1)
guard_true(i5, descr=<Guard 3>) []
finish()
";
    let want = "[i0, i1]
i2 = uint_le(i1, i0)
guard_false(i2, descr=<Guard 0>) []
i3 = uint_lt(i0, i1)
i4 = uint_gt(i1, i0)
i5 = int_lt(i0, i1)
guard_true(i5, descr=<Guard 3>) []
finish()
";
    check(text, want, 2, guards);
}

/// Bounds from guards against constants decide later comparisons with
/// constants, signed and unsigned apart; what they do not decide stays.
#[test]
fn bounds_against_constants_decide_comparisons() {
    check(
        "[i0, i1, i2]
i3 = uint_lt(2, i0)
guard_true(i3, descr=<Guard 0>) []
i4 = uint_lt(1, i0)
guard_true(i4, descr=<Guard 1>) []
i5 = uint_le(i0, 2)
guard_false(i5, descr=<Guard 2>) []
i6 = uint_lt(3, i0)
guard_true(i6, descr=<Guard 3>) []
i7 = int_lt(i1, 10)
guard_true(i7, descr=<Guard 4>) []
i8 = int_ge(i1, 10)
guard_false(i8, descr=<Guard 5>) []
i9 = int_gt(i1, 20)
guard_false(i9, descr=<Guard 6>) []
i10 = uint_lt(i1, 10)
guard_true(i10, descr=<Guard 7>) []
i11 = int_ge(i2, 0)
guard_true(i11, descr=<Guard 8>) []
i12 = int_eq(i2, -1)
guard_false(i12, descr=<Guard 9>) []
finish(i0, i1, i2)
",
        // (The comparisons themselves are left to `dce`.)
        "[i0, i1, i2]
i3 = uint_lt(2, i0)
guard_true(i3, descr=<Guard 0>) []
i4 = uint_lt(1, i0)
i5 = uint_le(i0, 2)
i6 = uint_lt(3, i0)
guard_true(i6, descr=<Guard 3>) []
i7 = int_lt(i1, 10)
guard_true(i7, descr=<Guard 4>) []
i8 = int_ge(i1, 10)
i9 = int_gt(i1, 20)
i10 = uint_lt(i1, 10)
guard_true(i10, descr=<Guard 7>) []
i11 = int_ge(i2, 0)
guard_true(i11, descr=<Guard 8>) []
i12 = int_eq(i2, -1)
finish(i0, i1, i2)
",
        5,
        guards,
    );
}
