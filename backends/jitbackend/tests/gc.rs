//! GC protocol: shadow-stack roots around collecting ops (spilled, moved,
//! reloaded), the write barrier, allocation.
mod common;
use abi::layout::{FLAG_HAS_CARDS, FLAG_TRACK_YOUNG_PTRS};
use abi::{ArrayDescr, CallDescr, Effects, FieldDescr, IntKind, Kind};
use common::*;
use jitbackend::compile;
use std::sync::atomic::Ordering::SeqCst;
use traceir::ops::Type;
use traceir::{Descr, Opcode, Value};
use Value::{ConstInt, Input, Op as R};

const F8: Descr = Descr::Field(FieldDescr {
    offset: 8,
    kind: Kind::Int(IntKind::I64),
});
const FREF: Descr = Descr::Field(FieldDescr {
    offset: 16,
    kind: Kind::Ref,
});
const SIZE: Descr = Descr::Size {
    type_id: 3,
    size: 32,
};

#[test]
fn live_refs_are_rooted_moved_and_reloaded_across_new() {
    let _g = reset();
    // obj = input; new (collects, moves obj); read obj.f8 after; store
    // the fresh object into obj.fref (barrier test: obj is old, no flag).
    let t = trace(
        vec![Type::Ref],
        vec![
            descr(op(Opcode::New, vec![]), SIZE),
            descr(op(Opcode::GetfieldGcI, vec![Input(0)]), F8),
            descr(
                op(Opcode::SetfieldGc, vec![R(0), ConstInt(5)]),
                Descr::Field(FieldDescr {
                    offset: 8,
                    kind: Kind::Int(IntKind::I64),
                }),
            ),
            op(Opcode::Finish, vec![R(1), Input(0), R(0)]),
        ],
    );
    let obj = alloc_words(OBJ_WORDS, 1);
    unsafe { *obj.add(1) = 4242 };
    MOVE_ON_MALLOC.store(1, SeqCst);
    let mut frame = [obj as u64, 0, 0];
    let c = build(&t);
    let before = root_top();
    assert_eq!(unsafe { c.run(frame.as_mut_ptr()) }, 3);
    assert_eq!(root_top(), before, "shadow stack restored");
    assert_eq!(MALLOCS.load(SeqCst), 1);
    assert_eq!(
        *SEEN_ROOTS.lock().unwrap(),
        vec![obj as u64],
        "obj was rooted"
    );
    // The reloaded (moved) object was used after the collection.
    assert_eq!(frame[0], 4242);
    assert_ne!(frame[1], obj as u64);
    assert_eq!(unsafe { *(frame[1] as *const u64).add(1) }, 4242);
    assert_eq!(unsafe { *(frame[2] as *const u64).add(1) }, 5);
    assert_eq!(unsafe { *(frame[2] as *const u64) }, 3, "header type id");
}

#[test]
fn dead_refs_are_not_rooted_and_unused_slots_are_zeroed() {
    let _g = reset();
    // Two collecting calls: across the first both a and b are live, across
    // the second only b (a is dead): its slot must be zeroed.
    let calls = [CallDescr {
        name: "collect".into(),
        fnptr: 0,
        args: vec![],
        ret: None,
        effects: Effects {
            may_collect: true,
            ..Effects::default()
        },
        jitcode: None,
    }];
    extern "C" fn collect_fn() {
        let _ = fake_malloc(0, 8);
    }
    let fnptrs = [collect_fn as *const () as u64];
    let t = trace(
        vec![Type::Ref, Type::Ref],
        vec![
            descr(op(Opcode::CallN, vec![]), Descr::Call(0)),
            op(Opcode::PtrEq, vec![Input(0), Input(1)]),
            descr(op(Opcode::CallN, vec![]), Descr::Call(0)),
            op(Opcode::Finish, vec![Input(1), R(1)]),
        ],
    );
    let c = compile(&t, &env(&t, &calls, &fnptrs)).unwrap();
    let (a, b) = (alloc_words(4, 0), alloc_words(4, 0));
    let mut frame = [a as u64, b as u64];
    unsafe { c.run(frame.as_mut_ptr()) };
    assert_eq!(MALLOCS.load(SeqCst), 2);
    assert_eq!(*SEEN_ROOTS.lock().unwrap(), vec![b as u64, 0]);
    assert_eq!(frame, [b as u64, 0]);
    assert_eq!(root_top(), roots_base());
}

#[test]
fn loop_invariant_refs_stay_rooted_through_the_loop() {
    let _g = reset();
    // preamble: obj = input 0; label(i): v = obj.f8; new; i += v; guard
    // i < 10. obj is used at the loop top, so it is live across `new`.
    let t = trace(
        vec![Type::Ref, Type::Int],
        vec![
            op(Opcode::Label, vec![Input(1)]),
            descr(op(Opcode::GetfieldGcI, vec![Input(0)]), F8),
            descr(op(Opcode::New, vec![]), SIZE),
            op(Opcode::IntAdd, vec![Input(1), R(1)]),
            op(Opcode::IntLt, vec![R(3), ConstInt(10)]),
            guard(Opcode::GuardTrue, vec![R(4)], vec![R(3), Input(0)]),
            op(Opcode::Jump, vec![R(3)]),
        ],
    );
    let obj = alloc_words(OBJ_WORDS, 0);
    unsafe { *obj.add(1) = 3 };
    MOVE_ON_MALLOC.store(1, SeqCst);
    let mut frame = [obj as u64, 0];
    assert_eq!(run(&t, &mut frame), 5);
    assert_eq!(frame[0], 12);
    assert_eq!(MALLOCS.load(SeqCst), 4);
    assert_eq!(unsafe { *(frame[1] as *const u64).add(1) }, 3);
    assert_eq!(root_top(), roots_base());
}

#[test]
fn write_barrier_runs_only_for_flagged_objects() {
    let _g = reset();
    let t = trace(
        vec![Type::Ref, Type::Ref],
        vec![
            descr(op(Opcode::SetfieldGc, vec![Input(0), Input(1)]), FREF),
            descr(op(Opcode::SetfieldGc, vec![Input(0), Value::Null]), FREF),
            descr(op(Opcode::GetfieldGcR, vec![Input(0)]), FREF),
            op(Opcode::Finish, vec![R(2)]),
        ],
    );
    let c = build(&t);
    let val = alloc_words(4, 0);
    let young = alloc_words(4, 7);
    let mut frame = [young as u64, val as u64];
    unsafe { c.run(frame.as_mut_ptr()) };
    assert_eq!(BARRIERS.load(SeqCst), 0);
    assert_eq!(frame[0], 0);
    let old = alloc_words(4, 7 | FLAG_TRACK_YOUNG_PTRS);
    let mut frame = [old as u64, val as u64];
    unsafe { c.run(frame.as_mut_ptr()) };
    assert_eq!(BARRIERS.load(SeqCst), 1, "only the non-null store");
    assert_eq!(unsafe { *old.add(2) }, 0);
}

#[test]
fn array_barrier_uses_cards_when_present() {
    let _g = reset();
    let arr_d = Descr::Array(ArrayDescr {
        item: Kind::Ref,
        item_size: 8,
    });
    let t = trace(
        vec![Type::Ref, Type::Int, Type::Ref],
        vec![
            descr(
                op(Opcode::SetarrayitemGc, vec![Input(0), Input(1), Input(2)]),
                arr_d.clone(),
            ),
            descr(op(Opcode::GetarrayitemGcR, vec![Input(0), Input(1)]), arr_d),
            op(Opcode::ArraylenGc, vec![Input(0)]),
            op(Opcode::Finish, vec![R(1), R(2)]),
        ],
    );
    let c = build(&t);
    let val = alloc_words(4, 0) as u64;
    for (flags, plain, cards) in [
        (0, 0, 0),
        (FLAG_TRACK_YOUNG_PTRS, 1, 0),
        (FLAG_TRACK_YOUNG_PTRS | FLAG_HAS_CARDS, 1, 1),
        (FLAG_HAS_CARDS, 1, 1),
    ] {
        let arr = alloc_words(2 + 5, 9 | flags);
        unsafe { *arr.add(1) = 5 };
        let mut frame = [arr as u64, 3, val];
        unsafe { c.run(frame.as_mut_ptr()) };
        assert_eq!(frame[..2], [val, 5]);
        assert_eq!(unsafe { *arr.add(2 + 3) }, val);
        assert_eq!(BARRIERS.load(SeqCst), plain, "flags {flags:x}");
        assert_eq!(ARRAY_BARRIERS.load(SeqCst), cards, "flags {flags:x}");
    }
    assert_eq!(LAST_ARRAY_BARRIER_INDEX.load(SeqCst), 3);
}

#[test]
fn stores_into_fresh_objects_skip_the_barrier_until_a_collection() {
    let _g = reset();
    // A fresh object whose header (faked by malloc) has the flag: stores
    // right after `new` skip the test; after another `new` they do not.
    extern "C" fn flagged_malloc(t: u64, s: u64) -> *mut u8 {
        let p = fake_malloc(t, s) as *mut u64;
        unsafe { *p |= FLAG_TRACK_YOUNG_PTRS };
        p as *mut u8
    }
    let t = trace(
        vec![Type::Ref],
        vec![
            descr(op(Opcode::New, vec![]), SIZE),
            descr(op(Opcode::SetfieldGc, vec![R(0), Input(0)]), FREF),
            descr(op(Opcode::New, vec![]), SIZE),
            descr(op(Opcode::SetfieldGc, vec![R(0), Input(0)]), FREF),
            descr(op(Opcode::SetfieldGc, vec![R(2), Input(0)]), FREF),
            op(Opcode::Finish, vec![R(0), R(2)]),
        ],
    );
    let mut e = env(&t, &[], &[]);
    e.rt.malloc = flagged_malloc as *const () as u64;
    let c = compile(&t, &e).unwrap();
    let val = alloc_words(4, 0);
    let mut frame = [val as u64, 0];
    unsafe { c.run(frame.as_mut_ptr()) };
    assert_eq!(BARRIERS.load(SeqCst), 1);
    assert_eq!(unsafe { *(frame[0] as *const u64).add(2) }, val as u64);
    assert_eq!(unsafe { *(frame[1] as *const u64).add(2) }, val as u64);
}

#[test]
fn new_array_and_gcref_constants() {
    let _g = reset();
    let arr_d = Descr::Array(ArrayDescr {
        item: Kind::Int(IntKind::I16),
        item_size: 2,
    });
    let konst = alloc_words(4, 0);
    unsafe { *konst.add(1) = 99 };
    let mut t = trace(vec![Type::Int], vec![]);
    let k = t.const_ref(konst as u64);
    t.ops = vec![
        descr(
            op(Opcode::NewArray, vec![Input(0)]),
            Descr::ArrayAlloc {
                type_id: 4,
                item_size: 2,
            },
        ),
        descr(
            op(
                Opcode::SetarrayitemGc,
                vec![R(0), ConstInt(1), ConstInt(-2)],
            ),
            arr_d.clone(),
        ),
        descr(op(Opcode::GetarrayitemGcI, vec![R(0), ConstInt(1)]), arr_d),
        op(Opcode::ArraylenGc, vec![R(0)]),
        descr(op(Opcode::GetfieldGcI, vec![k]), F8),
        op(Opcode::Finish, vec![R(2), R(3), R(4), k]),
    ];
    let c = build(&t);
    let mut frame = [6u64, 0, 0, 0];
    unsafe { c.run(frame.as_mut_ptr()) };
    assert_eq!(frame, [(-2i64) as u64, 6, 99, konst as u64]);
    // The table is read at run time: a moved constant is seen.
    let moved = alloc_words(4, 0);
    unsafe { *moved.add(1) = 100 };
    t.gcrefs[0] = moved as u64;
    let mut frame = [1u64, 0, 0, 0];
    unsafe { c.run(frame.as_mut_ptr()) };
    assert_eq!(frame[2..], [100, moved as u64]);
}
