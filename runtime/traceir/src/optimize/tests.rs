use super::testutil::calls;
use super::{optimize, run_passes, OptStats};
use crate::text::{parse, print};

#[test]
fn optimizes_a_brainfuck_like_loop() {
    let mut t = parse(
        "[i0, p1]
label(i0, p1)
debug_merge_point('pc=0 op=+')
i2 = getarrayitem_gc_i(p1, i0, descr=<Array u8>)
i3 = int_add(i2, 1)
i4 = int_and(i3, 255)
setarrayitem_gc(p1, i0, i4, descr=<Array u8>)
debug_merge_point('pc=1 op=+')
i5 = getarrayitem_gc_i(p1, i0, descr=<Array u8>)
i6 = int_add(i5, 1)
i7 = int_and(i6, 255)
setarrayitem_gc(p1, i0, i7, descr=<Array u8>)
debug_merge_point('pc=2 op=>')
i8 = int_add(i0, 1)
i9 = arraylen_gc(p1)
i10 = uint_lt(i8, i9)
guard_true(i10, descr=<Guard 0>) [i8, p1]
i11 = arraylen_gc(p1)
i12 = uint_lt(i8, i11)
guard_true(i12, descr=<Guard 1>) [i8, p1]
i13 = int_mul(i8, 1)
i14 = getarrayitem_gc_i(p1, i13, descr=<Array u8>)
guard_value(i14, 0, descr=<Guard 2>) [i13, p1]
i15 = int_add(i14, 7)
jump(i13, p1)
",
    )
    .unwrap();
    let stats = run_passes(&mut t, &calls());
    let want = parse(
        "[i0, p1]
label(i0, p1)
debug_merge_point('pc=0 op=+')
i2 = getarrayitem_gc_i(p1, i0, descr=<Array u8>)
debug_merge_point('pc=1 op=+')
i6 = int_add(i2, 2)
i7 = int_and(i6, 255)
setarrayitem_gc(p1, i0, i7, descr=<Array u8>)
debug_merge_point('pc=2 op=>')
i8 = int_add(i0, 1)
i9 = arraylen_gc(p1)
i10 = uint_lt(i8, i9)
guard_true(i10, descr=<Guard 0>) [i8, p1]
i14 = getarrayitem_gc_i(p1, i8, descr=<Array u8>)
guard_value(i14, 0, descr=<Guard 2>) [i8, p1]
jump(i8, p1)
",
    )
    .unwrap();
    assert_eq!(print(&t, &[]), print(&want, &[]));
    assert_eq!(
        stats,
        OptStats {
            folded: 1,
            cse: 2,
            guards: 1,
            heap: 1,
            stores: 1,
            dead: 3,
            virtuals: 0,
            peeled: 0,
            sunk: 0,
            rounds: 3,
        }
    );
    assert_eq!(stats.removed(), 9);
}

#[test]
fn a_second_round_folds_what_a_guard_pinned() {
    let mut t = parse(
        "[i0]
guard_value(i0, 3, descr=<Guard 0>) []
i1 = int_mul(i0, 2)
i2 = int_lt(i1, 10)
guard_true(i2, descr=<Guard 1>) [i1]
finish(i1)
",
    )
    .unwrap();
    let stats = optimize(&mut t, &calls());
    assert_eq!(
        print(&t, &[]),
        "[i0]\nguard_value(i0, 3, descr=<Guard 0>) []\nfinish(6)\n"
    );
    assert_eq!(stats.folded, 2);
    assert_eq!(stats.guards, 1);
    assert_eq!(stats.rounds, 3);
}

#[test]
fn empty_and_malformed_traces_do_not_panic() {
    let mut t = crate::Trace::default();
    assert_eq!(optimize(&mut t, &[]).removed(), 0);
    // Dangling references and wrong descrs are left alone.
    let mut t =
        parse("[i0, p1]\ni2 = getfield_gc_i(p1)\ni3 = int_add(i2, 1)\nfinish(i3)\n").unwrap();
    t.ops[1].args[0] = crate::Value::Op(99);
    t.ops.push(crate::Op::new(crate::Opcode::GuardTrue, vec![]));
    optimize(&mut t, &[]);
    // The unused read goes; the rest stays as it was.
    let ops: Vec<_> = t.ops.iter().map(|op| op.opcode).collect();
    use crate::Opcode::*;
    assert_eq!(ops, vec![IntAdd, Finish, GuardTrue]);
    assert_eq!(t.ops[0].args[0], crate::Value::Op(99));
}

/// The `[-]` loop of the Brainfuck interpreter as the tracer records it
/// (a tape object with its vector and position): after peeling, the loop
/// keeps the cell's read, decrement, store and exit guard; the reads of
/// the vector, its length and items array and the bounds check stay in
/// the preamble.
#[test]
fn peeling_moves_invariant_reads_and_checks_out_of_the_loop() {
    let mut t = parse(
        "[p0, p1]
label(p0, p1)
p2 = getfield_gc_r(p0, descr=<Field 8 ref>)
i3 = getfield_gc_i(p0, descr=<Field 16 u64>)
i4 = getfield_gc_i(p2, descr=<Field 8 u64>)
i5 = uint_lt(i3, i4)
guard_true(i5, descr=<Guard 0>) [p0, p1, i3, i4]
p6 = getfield_gc_r(p2, descr=<Field 16 ref>)
i7 = getarrayitem_gc_i(p6, i3, descr=<Array u8>)
i8 = int_sub(i7, 1)
i9 = int_and(i8, 255)
setarrayitem_gc(p6, i3, i9, descr=<Array u8>)
debug_merge_point('mainloop [152]')
i10 = int_ne(i9, 0)
guard_true(i10, descr=<Guard 1>) [i9, p0, p1]
jump(p0, p1)
",
    )
    .unwrap();
    let stats = optimize(&mut t, &calls());
    super::testutil::assert_well_formed(&t);
    assert_eq!(stats.peeled, 1);
    let text = print(&t, &[]);
    let (preamble, body) = text.split_once("label(").expect("a label");
    assert!(preamble.contains("getfield_gc_r(p0"), "{text}");
    for gone in ["getfield", "uint_lt", "guard_true(i5"] {
        assert!(!body.contains(gone), "{gone} left in the loop:\n{text}");
    }
    let loop_ops: Vec<&str> = body
        .lines()
        .skip(1)
        .map(|l| l.split('(').next().unwrap_or(""))
        .map(|l| l.rsplit(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        loop_ops,
        [
            // The cell's value comes in through the label (`carry`), and
            // only the guard's exit stores it (`sink`).
            "int_sub",
            "int_and",
            "debug_merge_point",
            "int_ne",
            "guard_true",
            "jump"
        ],
        "{text}"
    );
}

/// A field the loop writes travels through the label: no load or store on
/// the loop's path, a store on each exit.
#[test]
fn a_field_the_loop_writes_is_carried_through_the_label() {
    let mut t = parse(
        "[p0]
label(p0)
i1 = getfield_gc_i(p0, descr=<Field 16 u64>)
i2 = int_add(i1, 1)
setfield_gc(p0, i2, descr=<Field 16 u64>)
i3 = int_lt(i2, 100)
guard_true(i3, descr=<Guard 0>) [p0]
jump(p0)
",
    )
    .unwrap();
    optimize(&mut t, &calls());
    super::testutil::assert_well_formed(&t);
    let text = print(&t, &[]);
    let (_, body) = text.split_once("label(").expect("a label");
    assert!(!body.contains("getfield_gc_i(p0"), "{text}");
    assert!(
        !body.lines().any(|l| l.starts_with("setfield_gc")),
        "{text}"
    );
    assert!(body.contains("{setfield_gc(p0, i5"), "{text}");
    assert!(body.contains("jump(p0, i5)"), "{text}");
}

#[test]
fn type_ids_known_from_a_guard_or_an_allocation_fold() {
    // A `dyn` call dispatched twice on one object: the second read of its
    // type id is the first (cse), which the guard says is 7, so the second
    // test goes; a virtual's type id is its descr's.
    let mut t = parse(
        "[p0]
i1 = type_id_gc(p0)
guard_value(i1, 7, descr=<Guard 0>) [p0]
i2 = type_id_gc(p0)
i3 = int_eq(i2, 7)
guard_true(i3, descr=<Guard 1>) [p0]
p4 = new(descr=<Size 8 16>)
i5 = type_id_gc(p4)
finish(i5, i2)
",
    )
    .unwrap();
    run_passes(&mut t, &calls());
    let want = parse(
        "[p0]
i1 = type_id_gc(p0)
guard_value(i1, 7, descr=<Guard 0>) [p0]
finish(8, 7)
",
    )
    .unwrap();
    assert_eq!(print(&t, &[]), print(&want, &[]));
}
