use super::dce;
use crate::optimize::testutil::{calls, check};

#[test]
fn drops_unused_side_effect_free_ops() {
    check(
        "[i0, p1]
i2 = int_add(i0, 1)
i3 = int_mul(i2, 2)
i4 = getfield_gc_i(p1, descr=<Field 8 i64>)
p5 = new(descr=<Size 1 16>)
p6 = new_array(3, descr=<ArrayAlloc 2 8>)
i7 = call_pure_i(i0, descr=<Call 2>)
i8 = call_pure_i(i0, descr=<Call 3>)
i9 = call_pure_i(i0, descr=<Call 7>)
i10 = call_i(i0, descr=<Call 1>)
i11 = int_sub(i0, 1)
guard_true(i0, descr=<Guard 0>) [i11]
setfield_gc(p1, i0, descr=<Field 8 i64>)
debug_merge_point('x')
i12 = int_add(i0, 2)
finish(i12)
",
        "[i0, p1]
p6 = new_array(3, descr=<ArrayAlloc 2 8>)
i8 = call_pure_i(i0, descr=<Call 3>)
i9 = call_pure_i(i0, descr=<Call 7>)
i10 = call_i(i0, descr=<Call 1>)
i11 = int_sub(i0, 1)
guard_true(i0, descr=<Guard 0>) [i11]
setfield_gc(p1, i0, descr=<Field 8 i64>)
debug_merge_point('x')
i12 = int_add(i0, 2)
finish(i12)
",
        5,
        |t| dce(t, &calls()),
    );
}

#[test]
fn label_and_jump_args_are_uses() {
    let text = "[i0]
i1 = int_add(i0, 1)
label(i0, i1)
i2 = int_add(i1, 1)
jump(i0, i2)
";
    check(text, text, 0, |t| dce(t, &calls()));
}
