use super::virtualize;
use crate::optimize::testutil::{assert_well_formed, check};
use crate::text::{parse, print};

#[test]
fn an_object_built_and_taken_apart_is_never_allocated() {
    // `let (a, b) = pair(x)`: the tuple's fields are the values stored.
    check(
        "[i0]
p1 = new(descr=<Size 9 24>)
setfield_gc(p1, i0, descr=<Field 8 i64>)
i2 = int_add(i0, 1)
setfield_gc(p1, i2, descr=<Field 16 i64>)
i3 = getfield_gc_i(p1, descr=<Field 8 i64>)
i4 = getfield_gc_i(p1, descr=<Field 16 i64>)
i5 = int_mul(i3, i4)
finish(i5)
",
        "[i0]
i2 = int_add(i0, 1)
i5 = int_mul(i0, i2)
finish(i5)
",
        1,
        virtualize,
    );
}

#[test]
fn a_field_never_stored_reads_as_zero_and_narrow_fields_as_memory_holds_them() {
    check(
        "[i0]
p1 = new(descr=<Size 11 24>)
setfield_gc(p1, i0, descr=<Field 8 u8>)
setfield_gc(p1, 300, descr=<Field 9 i8>)
i2 = getfield_gc_i(p1, descr=<Field 8 u8>)
i3 = getfield_gc_i(p1, descr=<Field 9 i8>)
i4 = getfield_gc_i(p1, descr=<Field 16 i64>)
p5 = getfield_gc_r(p1, descr=<Field 16 ref>)
f6 = getfield_gc_f(p1, descr=<Field 16 float>)
finish(i2, i3, i4, p5, f6)
",
        "[i0]
i2 = int_and(i0, 255)
finish(i2, 44, 0, NULL, 0.0)
",
        1,
        virtualize,
    );
}

#[test]
fn a_guard_describes_the_object_its_fail_args_hold() {
    // The `Option` from `Vec::pop`: a guard after it keeps it in its fail
    // args; the object's fields become fail args, its slot null.
    check(
        "[i0, p1]
p2 = new(descr=<Size 11 24>)
setfield_gc(p2, 1, descr=<Field 8 u8>)
setfield_gc(p2, i0, descr=<Field 16 i64>)
i3 = int_lt(i0, 10)
guard_true(i3, descr=<Guard 0>) [p1, p2]
i4 = getfield_gc_i(p2, descr=<Field 16 i64>)
finish(i4)
",
        "[i0, p1]
i3 = int_lt(i0, 10)
guard_true(i3, descr=<Guard 0>) [p1, NULL, 1, i0] virtual(#1, descr=<Size 11 24>, <Field 8 u8>=#2, <Field 16 i64>=#3)
finish(i0)
",
        1,
        virtualize,
    );
}

#[test]
fn nested_virtuals_and_values_already_in_the_fail_args_share_slots() {
    check(
        "[i0]
p1 = new(descr=<Size 9 24>)
p2 = new(descr=<Size 10 16>)
setfield_gc(p2, i0, descr=<Field 8 i64>)
setfield_gc(p1, p2, descr=<Field 8 ref>)
setfield_gc(p1, i0, descr=<Field 16 i64>)
guard_true(i0, descr=<Guard 3>) [i0, p1]
finish()
",
        "[i0]
guard_true(i0, descr=<Guard 3>) [i0, NULL, NULL] virtual(#1, descr=<Size 9 24>, <Field 8 ref>=#2, <Field 16 i64>=#0) virtual(#2, descr=<Size 10 16>, <Field 8 i64>=#0)
finish()
",
        2,
        virtualize,
    );
}

#[test]
fn a_store_into_a_real_object_forces_it_there() {
    // Escapes through a field store: allocated right before the store,
    // with the fields it has by then; later reads are real reads.
    check(
        "[i0, p1]
p2 = new(descr=<Size 9 24>)
setfield_gc(p2, i0, descr=<Field 8 i64>)
guard_true(i0, descr=<Guard 0>) [p2]
setfield_gc(p2, 0, descr=<Field 16 i64>)
setfield_gc(p1, p2, descr=<Field 8 ref>)
i3 = getfield_gc_i(p2, descr=<Field 8 i64>)
finish(i3)
",
        "[i0, p1]
guard_true(i0, descr=<Guard 0>) [NULL, i0] virtual(#0, descr=<Size 9 24>, <Field 8 i64>=#1)
p2 = new(descr=<Size 9 24>)
setfield_gc(p2, i0, descr=<Field 8 i64>)
setfield_gc(p1, p2, descr=<Field 8 ref>)
i3 = getfield_gc_i(p2, descr=<Field 8 i64>)
finish(i3)
",
        0,
        virtualize,
    );
}

#[test]
fn calls_jumps_and_restart_guards_force() {
    // Each object is allocated right where it escapes: a call's argument,
    // a restart guard's fail arg (another trace's input), a jump's arg.
    let t = "[i0]
p1 = new(descr=<Size 9 16>)
setfield_gc(p1, i0, descr=<Field 8 i64>)
call_n(p1, descr=<Call 0>)
p2 = new(descr=<Size 9 16>)
guard_true(i0, descr=<Restart 4>) [p2]
p3 = new(descr=<Size 9 16>)
jump(p3)
";
    check(t, t, 0, virtualize);
}

#[test]
fn identity_comparisons_and_null_checks_of_a_virtual_fold() {
    check(
        "[p0]
p1 = new(descr=<Size 9 16>)
p2 = new(descr=<Size 9 16>)
guard_nonnull(p1, descr=<Guard 0>) []
i3 = ptr_eq(p1, p0)
i4 = ptr_eq(p1, p2)
i5 = ptr_ne(p1, p1)
i6 = ptr_eq(p1, p1)
finish(i3, i4, i5, i6)
",
        "[p0]
finish(0, 0, 0, 1)
",
        2,
        virtualize,
    );
}

#[test]
fn a_virtual_the_loop_uses_is_allocated_before_the_label() {
    // p1 is read in the loop: real before the label. p2 dies in the
    // preamble and p3 is made and used up within one iteration.
    check(
        "[i0]
p1 = new(descr=<Size 9 16>)
setfield_gc(p1, 7, descr=<Field 8 i64>)
p2 = new(descr=<Size 9 16>)
label(i0)
p3 = new(descr=<Size 9 16>)
setfield_gc(p3, i0, descr=<Field 8 i64>)
i4 = getfield_gc_i(p3, descr=<Field 8 i64>)
i5 = getfield_gc_i(p1, descr=<Field 8 i64>)
i6 = int_add(i4, i5)
jump(i6)
",
        "[i0]
p1 = new(descr=<Size 9 16>)
setfield_gc(p1, 7, descr=<Field 8 i64>)
label(i0)
i5 = getfield_gc_i(p1, descr=<Field 8 i64>)
i6 = int_add(i0, i5)
jump(i6)
",
        2,
        virtualize,
    );
}

#[test]
fn an_object_in_two_fail_arg_slots_is_real() {
    let mut t = parse(
        "[i0]
p1 = new(descr=<Size 9 16>)
p2 = same_as_r(p1)
guard_true(i0, descr=<Guard 0>) [p1, p2]
finish()
",
    )
    .unwrap();
    virtualize(&mut t);
    assert_well_formed(&t);
    let text = print(&t, &[]);
    assert!(text.contains("new("), "{text}");
    assert!(!text.contains("virtual("), "{text}");
}

#[test]
fn virtual_descriptions_parse_back() {
    let text = "[i0]
guard_true(i0, descr=<Guard 1>) [i0, NULL] virtual(#1, descr=<Size 9 24>, <Field 8 i64>=#0, <Field 16 ref>=#1)
finish()
";
    let t = parse(text).unwrap();
    assert_eq!(t.ops[0].virtuals.len(), 1);
    assert_eq!(print(&t, &[]), text);
    assert!(parse("[i0]\nguard_true(i0, descr=<Guard 1>) [NULL] virtual(#0)\n").is_err());
}

#[test]
fn the_type_id_of_a_virtual_is_its_descrs_and_does_not_force_it() {
    check(
        "[i0, p9]
p1 = new(descr=<Size 9 24>)
setfield_gc(p1, i0, descr=<Field 8 i64>)
i2 = type_id_gc(p1)
i3 = type_id_gc(p9)
i4 = getfield_gc_i(p1, descr=<Field 8 i64>)
finish(i2, i3, i4)
",
        "[i0, p9]
i3 = type_id_gc(p9)
finish(9, i3, i0)
",
        1,
        virtualize,
    );
}
