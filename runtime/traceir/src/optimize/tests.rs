use super::testutil::calls;
use super::{optimize, OptStats};
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
    let stats = optimize(&mut t, &calls());
    let want = parse(
        "[i0, p1]
label(i0, p1)
debug_merge_point('pc=0 op=+')
i2 = getarrayitem_gc_i(p1, i0, descr=<Array u8>)
i3 = int_add(i2, 1)
i4 = int_and(i3, 255)
setarrayitem_gc(p1, i0, i4, descr=<Array u8>)
debug_merge_point('pc=1 op=+')
i6 = int_add(i4, 1)
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
            dead: 1,
            rounds: 2,
        }
    );
    assert_eq!(stats.removed(), 6);
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
