//! Every `LLOpKind` maps to an instruction: one op of each kind in a
//! hand-built portal graph, with the expected instruction per kind given
//! by an exhaustive `match` (a new variant breaks this test's build).

use abi::{Insn, Opnd};
use codewriter::write_jitcodes;
use cranelift_entity::PrimaryMap;
use flowspace::model::{Block, FnHints, IntTy, MergePoint, Var};
use flowspace::span::Span;
use rtyper::llgraph::{
    CheckKind, Cmp, LLBlock, LLConst, LLExit, LLGraph, LLOp, LLOpKind, LLProgram, LLValue,
    LLVarData, Prebuilt, PrebuiltData,
};
use rtyper::lltype::{new_type_table, well_known, GcTypeDef, LLType};
use rtyper::opnames::OpTag;

/// The instruction each kind becomes (no wildcard on purpose).
fn expected(k: &LLOpKind) -> &'static str {
    use LLOpKind as K;
    match k {
        K::IntAdd
        | K::IntSub
        | K::IntMul
        | K::IntDiv
        | K::IntRem
        | K::IntAnd
        | K::IntOr
        | K::IntXor
        | K::IntShl
        | K::IntShr => "IntBin",
        K::IntNeg | K::IntNot => "IntUn",
        K::IntCmp(_) => "IntCmp",
        K::FloatAdd | K::FloatSub | K::FloatMul | K::FloatDiv | K::FloatRem => "FloatBin",
        K::FloatNeg => "FloatNeg",
        K::FloatCmp(_) => "FloatCmp",
        K::Cast => "Cast",
        K::SameAs => "Move",
        K::Check(_) => "Check",
        K::Malloc(_) => "New",
        K::MallocArray(_) => "NewArray",
        K::GetField { .. } => "GetField",
        K::SetField { .. } => "SetField",
        K::GetArrayItem(_) => "GetArrayItem",
        K::SetArrayItem(_) => "SetArrayItem",
        K::ArrayLen(_) => "ArrayLen",
        K::PtrEq | K::PtrNe => "PtrEq",
        K::TypeIdOf => "TypeIdOf",
        K::PtrCast => "Move",
        K::DirectCall(_) | K::RuntimeCall(_) => "Call",
        K::JitMergePoint { .. } => "MergePoint",
        K::JitPromote => "Promote",
        K::JitIsJitted => "IsJitted",
    }
}

fn insn_name(i: &Insn) -> &'static str {
    match i {
        Insn::IntBin { .. } => "IntBin",
        Insn::IntUn { .. } => "IntUn",
        Insn::IntCmp { .. } => "IntCmp",
        Insn::FloatBin { .. } => "FloatBin",
        Insn::FloatNeg { .. } => "FloatNeg",
        Insn::FloatCmp { .. } => "FloatCmp",
        Insn::Cast { .. } => "Cast",
        Insn::Move { .. } => "Move",
        Insn::Check { .. } => "Check",
        Insn::New { .. } => "New",
        Insn::NewArray { .. } => "NewArray",
        Insn::GetField { .. } => "GetField",
        Insn::SetField { .. } => "SetField",
        Insn::GetArrayItem { .. } => "GetArrayItem",
        Insn::SetArrayItem { .. } => "SetArrayItem",
        Insn::ArrayLen { .. } => "ArrayLen",
        Insn::PtrEq { .. } => "PtrEq",
        Insn::TypeIdOf { .. } => "TypeIdOf",
        Insn::Call { .. } => "Call",
        Insn::Promote { .. } => "Promote",
        Insn::IsJitted { .. } => "IsJitted",
        Insn::MergePoint { .. } => "MergePoint",
        Insn::Goto { .. } => "Goto",
        Insn::Branch { .. } => "Branch",
        Insn::Switch { .. } => "Switch",
        Insn::Return { .. } => "Return",
        Insn::Unreachable => "Unreachable",
    }
}

struct G {
    vars: PrimaryMap<Var, LLVarData>,
    ops: Vec<LLOp>,
}

impl G {
    fn var(&mut self, ty: LLType) -> Var {
        self.vars.push(LLVarData { ty, name: None })
    }
    fn op(&mut self, kind: LLOpKind, args: Vec<LLValue>, ty: LLType) -> Var {
        let result = self.var(ty);
        self.ops.push(LLOp {
            kind,
            args,
            result,
            span: Span {
                file: 0,
                lo: 0,
                hi: 1,
                line: 3,
                col: 7,
            },
        });
        result
    }
}

fn v(x: Var) -> LLValue {
    LLValue::Var(x)
}

#[test]
fn every_op_kind_maps_to_its_instruction() {
    let mut types = new_type_table();
    let i64t = LLType::Int(IntTy::I64);
    let st = types.push(GcTypeDef::new_struct(
        "S".into(),
        &[("f".into(), i64t), ("g".into(), LLType::Bool)],
    ));
    let at = types.push(GcTypeDef::new_array("Array<i64>".into(), i64t));
    let mut prebuilt = PrimaryMap::new();
    let pb = prebuilt.push(Prebuilt {
        ty: st,
        data: PrebuiltData::Struct(vec![LLConst::Int(1, IntTy::I64), LLConst::Bool(false)]),
    });

    // callee(x: i64) -> i64 { x }
    let mut graphs = PrimaryMap::new();
    let mut cvars = PrimaryMap::new();
    let cx = cvars.push(LLVarData {
        ty: i64t,
        name: Some("x".into()),
    });
    let mut cblocks = PrimaryMap::new();
    let cstart: Block = cblocks.push(LLBlock {
        inputs: vec![cx],
        ops: vec![],
        exit: LLExit::Return(v(cx)),
    });
    let callee = graphs.push(LLGraph {
        name: "callee".into(),
        ret: i64t,
        start: cstart,
        blocks: cblocks,
        vars: cvars,
        hints: FnHints::default(),
        span: Span::default(),
    });

    let mut g = G {
        vars: PrimaryMap::new(),
        ops: vec![],
    };
    let a = g.var(i64t);
    let b = g.var(i64t);
    let x = g.var(LLType::Float);
    let s = g.var(LLType::Ptr(st));
    let arr = g.var(LLType::Ptr(at));
    let c = g.var(LLType::Bool);
    let u = g.var(LLType::Int(IntTy::Usize));
    use LLOpKind as K;
    for k in [
        K::IntAdd,
        K::IntSub,
        K::IntMul,
        K::IntDiv,
        K::IntRem,
        K::IntAnd,
        K::IntOr,
        K::IntXor,
        K::IntShl,
        K::IntShr,
    ] {
        g.op(k, vec![v(a), v(b)], i64t);
    }
    g.op(K::IntNeg, vec![v(a)], i64t);
    g.op(K::IntNot, vec![v(a)], i64t);
    g.op(K::IntCmp(Cmp::Lt), vec![v(a), v(b)], LLType::Bool);
    for k in [
        K::FloatAdd,
        K::FloatSub,
        K::FloatMul,
        K::FloatDiv,
        K::FloatRem,
    ] {
        g.op(k, vec![v(x), v(x)], LLType::Float);
    }
    g.op(K::FloatNeg, vec![v(x)], LLType::Float);
    g.op(K::FloatCmp(Cmp::Ge), vec![v(x), v(x)], LLType::Bool);
    g.op(K::Cast, vec![v(a)], LLType::Float);
    g.op(K::SameAs, vec![v(a)], i64t);
    g.op(K::JitPromote, vec![v(a)], i64t);
    g.op(K::JitIsJitted, vec![], LLType::Bool);
    for (k, args) in [
        (CheckKind::Bounds, vec![v(u), v(u)]),
        (CheckKind::DivZero, vec![v(b)]),
        (CheckKind::RemZero, vec![v(b)]),
        (CheckKind::DivOverflow, vec![v(a), v(b)]),
        (CheckKind::RemOverflow, vec![v(a), v(b)]),
        (CheckKind::UnwrapNone, vec![v(c)]),
        (
            CheckKind::Expect,
            vec![v(c), LLValue::Const(LLConst::Prebuilt(pb))],
        ),
    ] {
        g.op(K::Check(k), args, LLType::Void);
    }
    g.op(K::Malloc(st), vec![], LLType::Ptr(st));
    g.op(K::MallocArray(at), vec![v(u)], LLType::Ptr(at));
    g.op(K::GetField { ty: st, field: 1 }, vec![v(s)], LLType::Bool);
    g.op(
        K::SetField { ty: st, field: 0 },
        vec![v(s), v(a)],
        LLType::Void,
    );
    g.op(K::GetArrayItem(at), vec![v(arr), v(u)], i64t);
    g.op(K::SetArrayItem(at), vec![v(arr), v(u), v(a)], LLType::Void);
    g.op(K::ArrayLen(at), vec![v(arr)], LLType::Int(IntTy::Usize));
    g.op(
        K::PtrEq,
        vec![v(s), LLValue::Const(LLConst::Null(st))],
        LLType::Bool,
    );
    g.op(K::PtrNe, vec![v(s), v(s)], LLType::Bool);
    g.op(K::TypeIdOf, vec![v(s)], LLType::Int(IntTy::U32));
    let obj = g.op(K::PtrCast, vec![v(s)], LLType::Ptr(well_known::OBJECT));
    g.op(K::TypeIdOf, vec![v(obj)], LLType::Int(IntTy::U32));
    g.op(K::PtrCast, vec![v(obj)], LLType::Ptr(st));
    g.op(K::DirectCall(callee), vec![v(a)], i64t);
    g.op(
        K::RuntimeCall("rr_dict_len".into()),
        vec![v(s)],
        LLType::Int(IntTy::U64),
    );
    g.op(
        K::JitMergePoint {
            driver: 0,
            greens: 1,
        },
        vec![v(a), v(b), v(s)],
        LLType::Void,
    );
    let kinds: Vec<LLOpKind> = g.ops.iter().map(|o| o.kind.clone()).collect();
    // Every kind is in the graph (the table of op names lists them all).
    let missing: Vec<&str> = rtyper::opnames::ALL
        .iter()
        .filter(|t| !kinds.iter().any(|k| OpTag::of(k) == **t))
        .map(|t| t.name())
        .collect();
    assert!(missing.is_empty(), "op kinds missing here: {missing:?}");
    let mut blocks = PrimaryMap::new();
    let start = blocks.push(LLBlock {
        inputs: vec![a, b, x, s, arr, c, u],
        ops: g.ops,
        exit: LLExit::Return(LLValue::Const(LLConst::Void)),
    });
    let portal = graphs.push(LLGraph {
        name: "portal".into(),
        ret: LLType::Void,
        start,
        blocks,
        vars: g.vars,
        hints: FnHints {
            merge_point: Some(MergePoint {
                greens: vec!["a".into()],
                reds: vec!["b".into(), "s".into()],
                get_printable_location: Some("callee".into()),
                ..MergePoint::default()
            }),
            ..FnHints::default()
        },
        span: Span::default(),
    });
    let program = LLProgram {
        types,
        graphs,
        prebuilt,
        entry: portal,
        files: vec!["t.rs".into()],
    };
    let data = write_jitcodes(&program).expect("codewriter");
    let p = &data.program;
    assert_eq!(data.graph_jitcode[portal.index_()], Some(0));
    assert_eq!(data.graph_jitcode[callee.index_()], Some(1));
    let jc = &p.jitcodes[0];
    assert!(jc.has_loop, "portals always loop");
    assert!(!p.jitcodes[1].has_loop);
    assert_eq!(jc.insns.len(), kinds.len() + 1);
    for (k, insn) in kinds.iter().zip(&jc.insns) {
        assert_eq!(expected(k), insn_name(insn), "{k:?} -> {insn:?}");
    }
    assert_eq!(jc.insns.last(), Some(&Insn::Return { value: None }));
    // One string for the seven checks at the same place.
    assert_eq!(p.strings, vec!["t.rs:3:7".to_string()]);
    assert_eq!(data.refconsts, vec![pb]);
    // Driver: greens/reds named by the hint; printable location = callee.
    let d = &p.drivers[0];
    assert_eq!(
        d.greens,
        vec![("a".to_string(), abi::Kind::Int(abi::IntKind::I64))]
    );
    assert_eq!(d.reds.len(), 2);
    assert_eq!(d.reds[1], ("s".to_string(), abi::Kind::Ref));
    assert_eq!(d.merge_point_pc as usize, kinds.len() - 1);
    let plc = d.get_printable_location.expect("printable location") as usize;
    assert_eq!(p.calls[plc].name, "callee");
    assert_eq!(p.calls[plc].jitcode, Some(1));
    // `type_id_of` reads into an int register; `ptr_cast` moves between
    // ref registers.
    let tids: Vec<&Insn> = jc
        .insns
        .iter()
        .filter(|i| matches!(i, Insn::TypeIdOf { .. }))
        .collect();
    assert_eq!(tids.len(), 2, "{tids:?}");
    for i in tids {
        let Insn::TypeIdOf {
            dst,
            obj: Opnd::Reg(o),
        } = i
        else {
            panic!("{i:?}")
        };
        assert_eq!(
            (dst.bank, o.bank),
            (abi::Bank::Int, abi::Bank::Ref),
            "{i:?}"
        );
    }
    // The PtrEq against null, and the Expect check's message constant.
    assert!(jc.insns.iter().any(|i| matches!(
        i,
        Insn::PtrEq {
            b: Opnd::Null,
            ne: false,
            ..
        }
    )));
    assert!(jc.insns.iter().any(|i| matches!(
        i,
        Insn::Check { kind: abi::CheckKind::Expect, args, .. } if args[1] == Opnd::RefConst(0)
    )));
    assert!(jc.insns.iter().any(|i| matches!(
        i,
        Insn::Check {
            kind: abi::CheckKind::DivOverflow(abi::IntKind::I64),
            ..
        }
    )));
    // Field descriptors from the layout: `g` (bool) after `f` at 8.
    assert!(jc.insns.iter().any(|i| matches!(
        i,
        Insn::GetField {
            field: abi::FieldDescr {
                offset: 16,
                kind: abi::Kind::Int(abi::IntKind::BOOL)
            },
            ..
        }
    )));
    let back = abi::wire::decode(&abi::wire::encode(p)).expect("decode");
    assert_eq!(&back, p);
}

trait Idx {
    fn index_(&self) -> usize;
}
impl<T: cranelift_entity::EntityRef> Idx for T {
    fn index_(&self) -> usize {
        self.index()
    }
}
