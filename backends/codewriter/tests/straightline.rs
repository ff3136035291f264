//! Exact instructions of small functions through the real pipeline.

mod common;

use abi::{Bank, Cmp, Insn, IntBinOp, IntKind, Jump, Kind, Opnd, Reg};

fn int(index: u16) -> Reg {
    Reg {
        bank: Bank::Int,
        index,
    }
}

const SRC: &str = "
fn f(a: i64, b: i64) -> i64 {
    a + b * 3
}
fn g(x: u8, y: u8) -> u8 {
    if x < y { y } else { x }
}
fn main() {
    println!(\"{} {}\", f(1, 2), g(3, 4));
}
";

#[test]
fn straight_line_function_is_exactly_its_ops() {
    let ll = common::rtype("s.rs", SRC);
    let f = common::graph(&ll, "f");
    let data = codewriter::write_jitcodes_with_roots(&ll, &[f]).unwrap();
    assert_eq!(data.program.jitcodes.len(), 1);
    let jc = &data.program.jitcodes[0];
    assert_eq!(jc.name, "f");
    assert_eq!(jc.num_regs, [4, 0, 0]);
    assert_eq!(jc.params, vec![int(0), int(1)]);
    assert_eq!(jc.ret, Some(Kind::Int(IntKind::I64)));
    assert!(!jc.has_loop);
    assert_eq!(
        jc.insns,
        vec![
            Insn::IntBin {
                op: IntBinOp::Mul,
                kind: IntKind::I64,
                dst: int(2),
                a: Opnd::Reg(int(1)),
                b: Opnd::Int(3),
            },
            Insn::IntBin {
                op: IntBinOp::Add,
                kind: IntKind::I64,
                dst: int(3),
                a: Opnd::Reg(int(0)),
                b: Opnd::Reg(int(2)),
            },
            Insn::Return {
                value: Some(Opnd::Reg(int(3))),
            },
        ]
    );
    assert!(data.program.calls.is_empty());
    assert_eq!(data.graph_jitcode.iter().flatten().count(), 1);
}

#[test]
fn branches_jump_to_block_starts_with_moves() {
    let ll = common::rtype("s.rs", SRC);
    let g = common::graph(&ll, "g");
    let data = codewriter::write_jitcodes_with_roots(&ll, &[g]).unwrap();
    let jc = &data.program.jitcodes[0];
    // The comparison is unsigned (operand kind u8), then a branch whose two
    // jumps both reach in-range block starts.
    assert!(matches!(
        jc.insns[0],
        Insn::IntCmp {
            cmp: Cmp::Lt,
            kind: IntKind::U8,
            ..
        }
    ));
    let Insn::Branch {
        then_jump,
        else_jump,
        ..
    } = &jc.insns[1]
    else {
        panic!("{:?}", jc.insns)
    };
    for Jump { target, .. } in [then_jump, else_jump] {
        assert!((*target as usize) < jc.insns.len());
        assert!(*target >= 2);
    }
    // Every path ends in a Return of one of the params (moved or direct).
    assert!(jc
        .insns
        .iter()
        .any(|i| matches!(i, Insn::Return { value: Some(_) })));
    assert!(!jc.has_loop);
}
