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
    let text = "[i0, p1]
guard_true(i0, descr=<Guard 0>) []
guard_value(p1, ConstPtr(ptr0), descr=<Guard 1>) []
label(i0, p1)
guard_true(i0, descr=<Guard 1>) []
i1 = int_lt(i0, 10)
guard_true(i1, descr=<Guard 2>) [i0]
guard_false(i1, descr=<Guard 3>) []
guard_nonnull(p1, descr=<Guard 4>) [p1]
jump(i0, p1)
";
    check(text, text, 0, guards);
}
