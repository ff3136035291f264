//! Call stubs with mixed int/float/narrow signatures.
use abi::{IntKind, Kind};
use jitbackend::compile_call_stub;

extern "C" fn mixed(a: i8, b: f64, c: u16, d: i64, e: f64, f: i32) -> f64 {
    a as f64 + b + c as f64 + d as f64 + e + f as f64
}
extern "C" fn narrow_ret(a: i32) -> i8 {
    a as i8
}
extern "C" fn unsigned_ret(a: u64) -> u16 {
    a as u16
}
extern "C" fn bool_arg(a: bool, b: i64) -> i64 {
    if a {
        b
    } else {
        -b
    }
}
static mut SEEN: u64 = 0;
extern "C" fn nothing(a: u64) {
    unsafe { SEEN = a };
}

fn int(k: IntKind) -> Kind {
    Kind::Int(k)
}

#[test]
fn mixed_float_and_narrow_args() {
    let s = compile_call_stub(
        &[
            int(IntKind::I8),
            Kind::Float,
            int(IntKind::U16),
            int(IntKind::I64),
            Kind::Float,
            int(IntKind::I32),
        ],
        Some(Kind::Float),
    )
    .unwrap();
    assert_eq!(s.num_args(), 6);
    // Words with garbage in the high bits of narrow args.
    let args = [
        0xffff_ff00_u64 | 0xfe, // i8 -2
        1.5f64.to_bits(),
        0x1234_0000_0003, // u16 3
        (-10i64) as u64,
        0.25f64.to_bits(),
        0xdead_0000_0000_0007, // i32 7
    ];
    let r = unsafe { s.call(mixed as *const () as u64, args.as_ptr()) };
    assert_eq!(f64::from_bits(r), -2.0 + 1.5 + 3.0 - 10.0 + 0.25 + 7.0);
}

#[test]
fn narrow_results_are_normalised() {
    let s = compile_call_stub(&[int(IntKind::I32)], Some(int(IntKind::I8))).unwrap();
    let r = unsafe { s.call(narrow_ret as *const () as u64, [0x1ffu64].as_ptr()) };
    assert_eq!(r as i64, -1);
    let s = compile_call_stub(&[int(IntKind::U64)], Some(int(IntKind::U16))).unwrap();
    let r = unsafe { s.call(unsigned_ret as *const () as u64, [0xfffff].as_ptr()) };
    assert_eq!(r, 0xffff);
    let s = compile_call_stub(
        &[int(IntKind::BOOL), int(IntKind::I64)],
        Some(int(IntKind::I64)),
    )
    .unwrap();
    let r = unsafe { s.call(bool_arg as *const () as u64, [0x100, 5].as_ptr()) };
    assert_eq!(r as i64, -5, "bool truncated to its low byte (0)");
    let r = unsafe { s.call(bool_arg as *const () as u64, [1, 5].as_ptr()) };
    assert_eq!(r, 5);
}

#[test]
fn void_result_is_zero() {
    let s = compile_call_stub(&[Kind::Ref], None).unwrap();
    let r = unsafe { s.call(nothing as *const () as u64, [42u64].as_ptr()) };
    assert_eq!(r, 0);
    assert_eq!(unsafe { std::ptr::addr_of!(SEEN).read() }, 42);
}

#[test]
fn bad_kinds_are_errors() {
    assert!(compile_call_stub(&[int(IntKind::new(7, true))], None).is_err());
    assert!(compile_call_stub(&[], Some(int(IntKind::new(128, false)))).is_err());
}
