//! Every opcode of `Opcode::ALL` compiles and computes what Rust does.
mod common;
use abi::{CallDescr, Effects, FieldDescr, IntKind, Kind};
use common::*;
use jitbackend::compile;
use traceir::ops::Type;
use traceir::{Descr, Op, Opcode, Trace, Value};
use Value::{ConstInt, Input, Op as R};

fn f(x: f64) -> u64 {
    x.to_bits()
}

extern "C" fn callee_i(a: i64, b: i8) -> i16 {
    (a + b as i64) as i16
}
extern "C" fn callee_f(a: f64) -> f64 {
    a * 2.0
}
extern "C" fn callee_r(a: i64) -> i64 {
    a
}

fn calls() -> Vec<CallDescr> {
    let d = |fnptr, args, ret| CallDescr {
        name: "t".into(),
        fnptr,
        args,
        ret,
        effects: Effects::default(),
        jitcode: None,
    };
    vec![
        d(
            0,
            vec![Kind::Int(IntKind::I64), Kind::Int(IntKind::I8)],
            Some(Kind::Int(IntKind::I16)),
        ),
        d(1, vec![Kind::Float], Some(Kind::Float)),
        d(2, vec![Kind::Ref], Some(Kind::Ref)),
    ]
}

/// The type id in the test object's header, and the header: a flag in
/// the high half (`FLAG_PREBUILT`, which no barrier tests).
const OBJ_TYPE_ID: u64 = 9;
const OBJ_HEADER: u64 = abi::layout::FLAG_PREBUILT | OBJ_TYPE_ID;

/// A trace using `opc` on frame inputs; the frame to run it on; the
/// expected exit index and frame prefix.
fn case(opc: Opcode, obj: u64) -> (Trace, Vec<u64>, u32, Vec<u64>) {
    use Opcode::*;
    let int2 = |a: i64, b: i64, r: i64| (vec![Type::Int; 2], vec![a as u64, b as u64], r as u64);
    let fl2 = |a: f64, b: f64, r: u64| (vec![Type::Float; 2], vec![f(a), f(b)], r);
    let (inputs, frame, expect) = match opc {
        IntAdd => int2(i64::MAX, 2, i64::MIN + 1),
        IntSub => int2(3, 5, -2),
        IntMul => int2(-7, 6, -42),
        IntFloorDiv => int2(-7, 2, -3),
        UintFloorDiv => int2(-1, 2, i64::MAX),
        IntMod => int2(-7, 2, -1),
        UintMod => int2(-1, 10, (u64::MAX % 10) as i64),
        IntAnd => int2(12, 10, 8),
        IntOr => int2(12, 10, 14),
        IntXor => int2(12, 10, 6),
        IntLshift => int2(3, 62, i64::MIN | (1 << 62)),
        IntRshift => int2(-16, 2, -4),
        UintRshift => int2(-16, 60, 15),
        IntNeg | IntInvert | CastIntToFloat | CastUintToFloat | SameAsI => {
            let r = match opc {
                IntNeg => -5i64 as u64,
                IntInvert => !5i64 as u64,
                CastIntToFloat => f(5.0),
                CastUintToFloat => f(5.0),
                _ => 5,
            };
            (vec![Type::Int], vec![5], r)
        }
        IntSignext => (vec![Type::Int; 2], vec![0x1ff, 0], -1i64 as u64),
        IntLt => int2(-1, 0, 1),
        IntLe => int2(0, 0, 1),
        IntGt => int2(-1, 0, 0),
        IntGe => int2(-1, 0, 0),
        IntEq => int2(4, 4, 1),
        IntNe => int2(4, 4, 0),
        UintLt => int2(-1, 0, 0),
        UintLe => int2(0, -1, 1),
        UintGt => int2(-1, 0, 1),
        UintGe => int2(0, -1, 0),
        FloatAdd => fl2(1.5, 2.25, f(3.75)),
        FloatSub => fl2(1.5, 2.25, f(-0.75)),
        FloatMul => fl2(1.5, 2.0, f(3.0)),
        FloatTrueDiv => fl2(1.0, 4.0, f(0.25)),
        FloatNeg | SameAsF => {
            let r = if opc == FloatNeg { f(-2.5) } else { f(2.5) };
            (vec![Type::Float], vec![f(2.5)], r)
        }
        CastFloatToInt => (vec![Type::Float], vec![f(300.7)], 255),
        FloatLt => fl2(1.0, f64::NAN, 0),
        FloatLe => fl2(1.0, 1.0, 1),
        FloatGt => fl2(2.0, 1.0, 1),
        FloatGe => fl2(f64::NAN, 1.0, 0),
        FloatEq => fl2(f64::NAN, f64::NAN, 0),
        FloatNe => fl2(f64::NAN, f64::NAN, 1),
        PtrEq | PtrNe => (vec![Type::Ref; 2], vec![obj, obj], (opc == PtrEq) as u64),
        // The header's low half only (its high half holds flags).
        TypeIdGc => (vec![Type::Ref], vec![obj], OBJ_TYPE_ID),
        SameAsR | ArraylenGc | GetfieldGcI | GetfieldGcR | GetfieldGcF | GetarrayitemGcI
        | GetarrayitemGcR | GetarrayitemGcF | SetfieldGc | SetarrayitemGc | New | NewArray => {
            // obj: header, length/field 8 = 2, items [7, obj].
            let r = match opc {
                SameAsR | GetfieldGcR | GetarrayitemGcR => obj,
                ArraylenGc | GetfieldGcI => 2,
                GetfieldGcF => 2, // the bits at offset 8
                GetarrayitemGcF => 7,
                GetarrayitemGcI => 7,
                SetfieldGc | SetarrayitemGc => 2,
                New | NewArray => 0,
                _ => unreachable!(),
            };
            (vec![Type::Ref, Type::Int], vec![obj, 1], r)
        }
        CallI | CallPureI => (vec![Type::Int], vec![300], (300 + 44) as u64),
        CallF | CallPureF => (vec![Type::Float], vec![f(1.25)], f(2.5)),
        CallR | CallPureR => (vec![Type::Ref], vec![obj], obj),
        CallN | CallPureN => (vec![Type::Float], vec![f(1.0)], f(1.0)),
        GuardTrue | GuardFalse | GuardValue | GuardNonnull | GuardIsnull => {
            (vec![Type::Int, Type::Ref], vec![0, obj], 0)
        }
        Label | Jump | Finish | DebugMergePoint => (vec![Type::Int], vec![5], 5),
    };
    let fld = |kind| Descr::Field(FieldDescr { offset: 8, kind });
    let arr = |item| Descr::Array(abi::ArrayDescr { item, item_size: 8 });
    let mut t = trace(inputs, vec![]);
    let a = |k| Input(k);
    let main: Op = match opc {
        IntSignext => op(opc, vec![a(0), ConstInt(1)]),
        IntNeg | IntInvert | CastIntToFloat | CastUintToFloat | SameAsI | FloatNeg | SameAsF
        | SameAsR | ArraylenGc | TypeIdGc => op(opc, vec![a(0)]),
        CastFloatToInt => op(opc, vec![a(0)]).with_descr(Descr::IntKind(IntKind::U8)),
        GetfieldGcI => op(opc, vec![a(0)]).with_descr(fld(Kind::Int(IntKind::I64))),
        GetfieldGcR => op(opc, vec![ConstInt(0)]), // replaced below
        GetfieldGcF => op(opc, vec![a(0)]).with_descr(fld(Kind::Float)),
        GetarrayitemGcI => {
            op(opc, vec![a(0), ConstInt(0)]).with_descr(arr(Kind::Int(IntKind::I64)))
        }
        GetarrayitemGcR => op(opc, vec![a(0), a(1)]).with_descr(arr(Kind::Ref)),
        GetarrayitemGcF => op(opc, vec![a(0), ConstInt(0)]).with_descr(arr(Kind::Float)),
        SetfieldGc => op(opc, vec![a(0), ConstInt(2)]).with_descr(fld(Kind::Int(IntKind::I64))),
        SetarrayitemGc => op(opc, vec![a(0), a(1), a(0)]).with_descr(arr(Kind::Ref)),
        New => op(opc, vec![]).with_descr(Descr::Size {
            type_id: 1,
            size: 16,
        }),
        NewArray => op(opc, vec![a(1)]).with_descr(Descr::ArrayAlloc {
            type_id: 1,
            item_size: 8,
        }),
        CallI | CallPureI => op(opc, vec![a(0), ConstInt(300)]).with_descr(Descr::Call(0)),
        CallF | CallPureF | CallN | CallPureN => op(opc, vec![a(0)]).with_descr(Descr::Call(1)),
        CallR | CallPureR => op(opc, vec![a(0)]).with_descr(Descr::Call(2)),
        GuardTrue | GuardFalse | GuardValue | GuardNonnull | GuardIsnull => {
            let args = match opc {
                GuardTrue | GuardFalse => vec![a(0)],
                GuardValue => vec![a(0), ConstInt(0)],
                _ => vec![a(1)],
            };
            guard(opc, args, vec![ConstInt(111)])
        }
        Label => op(Label, vec![a(0)]),
        Jump | Finish => op(DebugMergePoint, vec![]),
        DebugMergePoint => op(opc, vec![]).with_descr(Descr::Text("x".into())),
        _ => op(opc, vec![a(0), a(1)]),
    };
    let main = if opc == GetfieldGcR {
        // field 8 of obj holds 2, so read the ref at item 1 (offset 24).
        op(opc, vec![a(0)]).with_descr(Descr::Field(FieldDescr {
            offset: 24,
            kind: Kind::Ref,
        }))
    } else {
        main
    };
    t.ops.push(main);
    match opc {
        SetfieldGc | SetarrayitemGc => {
            t.ops
                .push(op(GetfieldGcI, vec![a(0)]).with_descr(fld(Kind::Int(IntKind::I64))));
            t.ops.push(op(Finish, vec![R(1)]));
            (t, frame, 2, vec![expect])
        }
        New | NewArray => {
            t.ops.push(op(Finish, vec![]));
            (t, frame, 1, vec![])
        }
        CallN | CallPureN | Label | Jump | Finish | DebugMergePoint => {
            t.ops.push(op(Finish, vec![a(0)]));
            (t, frame, 1, vec![expect])
        }
        GuardTrue | GuardValue | GuardIsnull => {
            // These fail (x = 0 / obj non-null): the exit is the guard.
            t.ops.push(op(Finish, vec![ConstInt(222)]));
            let fails = opc != GuardValue;
            if fails {
                (t, frame, 0, vec![111])
            } else {
                (t, frame, 1, vec![222])
            }
        }
        GuardFalse | GuardNonnull => {
            t.ops.push(op(Finish, vec![ConstInt(222)]));
            (t, frame, 1, vec![222])
        }
        _ => {
            t.ops.push(op(Finish, vec![R(0)]));
            (t, frame, 1, vec![expect])
        }
    }
}

#[test]
fn every_opcode_compiles_and_runs() {
    let _g = reset();
    let calls = calls();
    let fnptrs = [
        callee_i as *const () as u64,
        callee_f as *const () as u64,
        callee_r as *const () as u64,
    ];
    let obj = alloc_words(5, OBJ_HEADER);
    unsafe {
        *obj.add(1) = 2;
        *obj.add(2) = 7;
        *obj.add(3) = obj as u64;
    }
    for &opc in Opcode::ALL {
        let (t, mut frame, exit, expect) = case(opc, obj as u64);
        frame.resize(4, 0);
        let c = compile(&t, &env(&t, &calls, &fnptrs))
            .unwrap_or_else(|e| panic!("{}: {e}", opc.name()));
        let got = unsafe { c.run(frame.as_mut_ptr()) };
        assert_eq!(got, exit, "{}", opc.name());
        assert_eq!(&frame[..expect.len()], &expect[..], "{}", opc.name());
        // Restore the object for the next opcode.
        unsafe {
            *obj = OBJ_HEADER;
            *obj.add(1) = 2;
            *obj.add(2) = 7;
            *obj.add(3) = obj as u64;
        }
    }
}

#[test]
fn float_to_int_casts_follow_rust_as() {
    let kinds = [
        IntKind::I8,
        IntKind::I16,
        IntKind::I32,
        IntKind::I64,
        IntKind::U8,
        IntKind::U16,
        IntKind::U32,
        IntKind::U64,
    ];
    let xs = [
        0.0,
        -0.0,
        1.9,
        -1.9,
        127.5,
        128.0,
        -129.0,
        1e10,
        -1e10,
        1e30,
        -1e30,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        65535.9,
        4294967296.5,
    ];
    for k in kinds {
        let t = trace(
            vec![Type::Float],
            vec![
                op(Opcode::CastFloatToInt, vec![Input(0)]).with_descr(Descr::IntKind(k)),
                op(Opcode::Finish, vec![R(0)]),
            ],
        );
        let c = build(&t);
        for x in xs {
            let want: i64 = match (k.bits, k.signed) {
                (8, true) => x as i8 as i64,
                (16, true) => x as i16 as i64,
                (32, true) => x as i32 as i64,
                (64, true) => x as i64,
                (8, false) => x as u8 as i64,
                (16, false) => x as u16 as i64,
                (32, false) => x as u32 as i64,
                _ => x as u64 as i64,
            };
            let mut frame = [f(x)];
            unsafe { c.run(frame.as_mut_ptr()) };
            assert_eq!(frame[0] as i64, want, "{x} as {k:?}");
        }
    }
}

#[test]
fn narrow_fields_load_extended_and_store_truncated() {
    for k in [
        IntKind::I8,
        IntKind::U8,
        IntKind::I16,
        IntKind::U16,
        IntKind::I32,
        IntKind::U32,
    ] {
        let d = Descr::Field(FieldDescr {
            offset: 9,
            kind: Kind::Int(k),
        });
        let t = trace(
            vec![Type::Ref, Type::Int],
            vec![
                op(Opcode::SetfieldGc, vec![Input(0), Input(1)]).with_descr(d.clone()),
                op(Opcode::GetfieldGcI, vec![Input(0)]).with_descr(d),
                op(Opcode::Finish, vec![R(1)]),
            ],
        );
        let c = build(&t);
        let obj = alloc_words(4, 0);
        let v = -0x1234_5678_9abc_def0i64;
        let mut frame = [obj as u64, v as u64];
        unsafe { c.run(frame.as_mut_ptr()) };
        assert_eq!(frame[0] as i64, k.normalise(v), "{k:?}");
        // Neighbouring bytes untouched.
        let bytes = unsafe { std::slice::from_raw_parts(obj as *const u8, 32) };
        assert_eq!(bytes[8], 0);
        assert!(bytes[9 + k.bytes() as usize..].iter().all(|&b| b == 0));
    }
}
