use super::*;
use crate::ops::Opcode;
use abi::{ArrayDescr, Effects};

const EXAMPLE: &str = "\
[i0, p1, f2]
label(i0, p1, f2)
debug_merge_point('pc=3 op=+')
i3 = getarrayitem_gc_i(p1, i0, descr=<Array u8>)
i4 = int_add(i3, 1)
i5 = int_and(i4, 255)
setarrayitem_gc(p1, i0, i5, descr=<Array u8>)
i6 = getfield_gc_i(p1, descr=<Field 8 u64>)
p7 = getfield_gc_r(p1, descr=<Field 16 ref>)
i8 = call_i(i6, 3, descr=<Call 2>)
guard_true(i8, descr=<Guard 0>) [i0, p1, i3]
f9 = float_add(f2, 1.5)
jump(i4, p1, f9)
";

fn roundtrip(text: &str) -> Trace {
    let t = parse(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(print(&t, &[]), text);
    assert_eq!(parse(&print(&t, &[])).unwrap(), t);
    t
}

#[test]
fn example_parses_to_the_right_values() {
    let t = roundtrip(EXAMPLE);
    assert_eq!(t.inputs, vec![Type::Int, Type::Ref, Type::Float]);
    assert_eq!(t.ops.len(), 12);
    let get = &t.ops[2];
    assert_eq!(get.opcode, Opcode::GetarrayitemGcI);
    assert_eq!(get.args, vec![Value::Input(1), Value::Input(0)]);
    assert_eq!(
        get.descr,
        Descr::Array(ArrayDescr {
            item: Kind::Int(IntKind::U8),
            item_size: 1
        })
    );
    assert_eq!(t.ops[3].args, vec![Value::Op(2), Value::ConstInt(1)]);
    assert_eq!(t.ops[1].descr, Descr::Text("pc=3 op=+".into()));
    let guard = &t.ops[9];
    assert_eq!(guard.args, vec![Value::Op(8)]);
    assert_eq!(guard.resume, 0);
    assert_eq!(
        guard.fail_args,
        vec![Value::Input(0), Value::Input(1), Value::Op(2)]
    );
    assert_eq!(t.ops[10].args[1], Value::ConstFloat(1.5f64.to_bits()));
    assert_eq!(t.ops[11].args[0], Value::Op(3));
}

#[test]
fn constants_descrs_and_strings_roundtrip() {
    let text = "\
[p0]
debug_merge_point('it''s \\\\ \\' here')
p1 = new(descr=<Size 7 24>)
p2 = new_array(10, descr=<ArrayAlloc 9 8>)
setfield_gc(p1, ConstPtr(ptr1), descr=<Field 8 ref>)
setfield_gc(p1, NULL, descr=<Field 16 ref>)
i3 = cast_float_to_int(-2.5e-7, descr=<IntKind i16>)
f4 = float_mul(inf, -inf)
f5 = float_add(nan, -0.0)
f6 = float_sub(1e100, 3.0)
i7 = int_sub(-9223372036854775808, 9223372036854775807)
setarrayitem_gc(p2, 0, ConstPtr(ptr0), descr=<Array ref>)
setarrayitem_gc(p2, 1, 5, descr=<Array u16 4>)
call_n(p0, descr=<Call 0>)
guard_value(i3, -4, descr=<Guard 17>) []
guard_nonnull(p0, descr=<Guard 3>) [i7, f6, NULL]
finish(i3)
";
    // `''` is not an escape: this text must be rejected...
    assert!(parse(text).is_err());
    let text = text.replace("it''s", "it");
    let t = roundtrip(&text);
    assert_eq!(t.ops[0].descr, Descr::Text("it \\ ' here".into()));
    assert_eq!(t.gcrefs, vec![0x1000, 0x1008]);
    assert_eq!(t.ops[3].args[1], Value::ConstRef(1));
    assert_eq!(t.ops[4].args[1], Value::Null);
    assert_eq!(t.ops[9].args[0], Value::ConstInt(i64::MIN));
    assert_eq!(t.ops[7].args[1], Value::ConstFloat((-0.0f64).to_bits()));
    assert_eq!(t.ops[13].resume, 17);
    assert_eq!(
        t.ops[11].descr,
        Descr::Array(ArrayDescr {
            item: Kind::Int(IntKind::U16),
            item_size: 4
        })
    );
}

#[test]
fn call_names_are_printed_and_accepted() {
    let calls = vec![abi::CallDescr {
        name: "rr_dict_getitem".into(),
        fnptr: 0,
        args: vec![],
        ret: None,
        effects: Effects::default(),
        jitcode: None,
    }];
    let t = parse("[i0]\ncall_n(i0, descr=<Call 0>)\ni1 = call_pure_i(descr=<Call 5>)\n").unwrap();
    let text = print(&t, &calls);
    assert_eq!(
        text,
        "[i0]\ncall_n(i0, descr=<Call 0 rr_dict_getitem>)\ni1 = call_pure_i(descr=<Call 5>)\n"
    );
    assert_eq!(parse(&text).unwrap(), t);
    let t2 = parse("[]\ncall_n(descr=<Call 1 Vec<u8>::push>)\n").unwrap();
    assert_eq!(t2.ops[0].descr, Descr::Call(1));
}

#[test]
fn hand_written_names_need_not_be_sequential() {
    let t = parse("# a comment\n[i10, p3]\n\ni99 = int_add(i10, i10)\nguard_true(i99, descr=<Guard 1>) [p3]\n").unwrap();
    assert_eq!(t.ops[0].args, vec![Value::Input(0), Value::Input(0)]);
    assert_eq!(
        print(&t, &[]),
        "[i0, p1]\ni2 = int_add(i0, i0)\nguard_true(i2, descr=<Guard 1>) [p1]\n"
    );
}

#[test]
fn errors_carry_line_numbers() {
    let cases = [
        ("", 1, "inputs"),
        ("[i0]\ni1 = int_add(i0)\n", 2, "takes 2"),
        ("[i0]\n\ni1 = int_add(i0, i5)\n", 3, "not defined"),
        ("[i0]\np1 = int_add(i0, 1)\n", 2, "named `iN`"),
        ("[i0]\nint_add(i0, 1)\n", 2, "result name"),
        ("[i0]\ni1 = frobnicate(i0)\n", 2, "unknown operation"),
        ("[i0]\ni0 = int_neg(i0)\n", 2, "twice"),
        (
            "[i0]\ni1 = getfield_gc_i(i0, descr=<Field 8 u7>)\n",
            2,
            "kind",
        ),
        (
            "[i0]\ni1 = getfield_gc_i(i0, descr=<Field 8 u8)\n",
            2,
            "unterminated",
        ),
        ("[i0]\ndebug_merge_point('abc)\n", 2, "unterminated"),
        ("[i0]\ni1 = int_neg(i0) junk\n", 2, "unexpected"),
        ("[i0]\ni1 = int_neg(1x)\n", 2, "bad value"),
        ("[x0]\n", 1, "input name"),
    ];
    for (text, line, msg) in cases {
        let e = parse(text).expect_err(text);
        assert_eq!(e.line, line, "{text}: {e}");
        assert!(e.message.contains(msg), "{text}: {e}");
    }
}

#[test]
fn built_traces_roundtrip_through_text() {
    let mut t = Trace {
        inputs: vec![Type::Ref],
        ..Trace::default()
    };
    let c = t.const_ref(0x1000);
    let a = t.push(Op::new(Opcode::PtrEq, vec![Value::Input(0), c]));
    let mut g = Op::new(Opcode::GuardFalse, vec![a]);
    g.resume = 4;
    g.fail_args = vec![Value::Input(0), Value::ConstFloat(0.1f64.to_bits())];
    t.push(g);
    t.push(Op::new(Opcode::Finish, vec![Value::Null]));
    let text = print(&t, &[]);
    assert_eq!(
        text,
        "[p0]\ni1 = ptr_eq(p0, ConstPtr(ptr0))\nguard_false(i1, descr=<Guard 4>) [p0, 0.1]\nfinish(NULL)\n"
    );
    assert_eq!(parse(&text).unwrap(), t);
}
