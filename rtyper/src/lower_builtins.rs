//! Lowering of the std surface: list/string/dict methods, Option and
//! Result, I/O, and `format!` (runtime calls of `docs/runtime-abi.md`).

use crate::build::{LResult, Lowerer};
use crate::llgraph::*;
use crate::lltype::{well_known, LLType};
use crate::repr::*;
use annotator::{AsciiClass, Builtin, BuiltinObj, SomeValue};
use flowspace::model::{FmtSpec, IntTy, Op};

const USIZE: LLType = LLType::Int(IntTy::Usize);
const STR: LLType = LLType::Ptr(well_known::STRING);

impl Lowerer<'_, '_> {
    pub fn lower_builtin(
        &mut self,
        bi: Builtin,
        op: &Op,
        recv: &SomeValue,
        args: &[LLValue],
    ) -> LResult<()> {
        use Builtin as B;
        let res = op.result;
        let res_ty = self.var_ty(res);
        let res_ann = self.ann(res);
        let arg = |k: usize| -> LResult<LLValue> {
            args.get(k)
                .copied()
                .ok_or_else(|| "internal error: missing argument".to_string())
        };
        let u64c = |n: i64| Self::int(n, IntTy::U64);
        let list_repr = |me: &mut Self| -> LResult<ListRepr> {
            match recv {
                SomeValue::List(l) => me.reprs.list_repr(*l),
                _ => Err("internal error: list method on a non-list".into()),
            }
        };
        let v: LLValue = match bi {
            B::CellNew
            | B::CellBorrow(_)
            | B::CellRelease(_)
            | B::CellGet
            | B::CellSet
            | B::CellReplace(_)
            | B::CellBorrowedMut
            | B::RcPtrEq => self.lower_cell_method(bi, recv, &res_ann, args)?,
            B::SlotIdentity
            | B::ListSlotLast
            | B::ListSlotGet
            | B::ListSlotSet
            | B::DictSlotOf
            | B::DictSlotOpt
            | B::DictSlotGet
            | B::DictSlotSet
            | B::DictEntry
            | B::DictEntryDefault => self.lower_slot_method(bi, recv, &res_ann, res_ty, args)?,
            B::IntChecked(_) | B::IntSaturating(_) | B::IntWrappingPow | B::IntWrappingNeg => {
                self.lower_int_arith(bi, &res_ann, res_ty, args)?
            }
            B::OptionMap
            | B::OptionAndThen
            | B::OptionUnwrapOrElse
            | B::OptionMapOr
            | B::OptionOkOrElse
            | B::ResultMap
            | B::ResultMapErr
            | B::ResultAndThen
            | B::ResultUnwrapOrElse => self.lower_closure_method(bi, op, recv, args)?,
            B::ListLen | B::StrLen => {
                let lt = self.list_type_of(recv)?;
                self.get_field(lt, LIST_LENGTH, arg(0)?, USIZE)
            }
            B::ListIsEmpty | B::StrIsEmpty => {
                let lt = self.list_type_of(recv)?;
                let n = self.get_field(lt, LIST_LENGTH, arg(0)?, USIZE);
                self.emit(
                    LLOpKind::IntCmp(Cmp::Eq),
                    vec![n, Self::int(0, IntTy::Usize)],
                    LLType::Bool,
                )
            }
            B::ListPush => {
                let lr = list_repr(self)?;
                let (list, x) = (arg(0)?, arg(1)?);
                self.push(lr, list, x)?;
                LLValue::Const(LLConst::Void)
            }
            B::ListPop | B::ListLast | B::ListFirst => {
                // `pop` and `last` read the last item the same way; `pop`
                // also shortens the list; `first` reads item 0.
                let lr = list_repr(self)?;
                let list = arg(0)?;
                let SomeValue::Option(item) = res_ann.clone() else {
                    return Err("internal error: pop/last without an Option result".into());
                };
                let pop = bi == B::ListPop;
                let len = self.get_field(lr.list, LIST_LENGTH, list, USIZE);
                let empty = self.emit(
                    LLOpKind::IntCmp(Cmp::Eq),
                    vec![len, Self::int(0, IntTy::Usize)],
                    LLType::Bool,
                );
                let item2 = item.clone();
                self.emit_select(
                    empty,
                    &[list, len],
                    res_ty,
                    |me| me.make_none(&item),
                    |me| {
                        let n = me.emit(
                            LLOpKind::IntSub,
                            vec![len, Self::int(1, IntTy::Usize)],
                            USIZE,
                        );
                        let at = if bi == B::ListFirst {
                            Self::int(0, IntTy::Usize)
                        } else {
                            n
                        };
                        let items = me.get_field(lr.list, LIST_ITEMS, list, LLType::Ptr(lr.array));
                        let x = me.emit(LLOpKind::GetArrayItem(lr.array), vec![items, at], lr.item);
                        if pop {
                            me.set_field(lr.list, LIST_LENGTH, list, n);
                        }
                        me.make_some(&item2, x)
                    },
                )?
            }
            B::ListClear => {
                let lr = list_repr(self)?;
                self.set_field(lr.list, LIST_LENGTH, arg(0)?, Self::int(0, IntTy::Usize));
                LLValue::Const(LLConst::Void)
            }
            B::ListGet => {
                let lr = list_repr(self)?;
                let (list, i) = (arg(0)?, arg(1)?);
                let SomeValue::Option(item) = res_ann.clone() else {
                    return Err("internal error: get without an Option result".into());
                };
                let len = self.get_field(lr.list, LIST_LENGTH, list, USIZE);
                let inb = self.emit(LLOpKind::IntCmp(Cmp::Lt), vec![i, len], LLType::Bool);
                let item2 = item.clone();
                self.emit_select(
                    inb,
                    &[list, i],
                    res_ty,
                    |me| {
                        let items = me.get_field(lr.list, LIST_ITEMS, list, LLType::Ptr(lr.array));
                        let x = me.emit(LLOpKind::GetArrayItem(lr.array), vec![items, i], lr.item);
                        me.make_some(&item, x)
                    },
                    |me| me.make_none(&item2),
                )?
            }
            B::ListContains => {
                let lr = list_repr(self)?;
                let (list, x) = (arg(0)?, arg(1)?);
                let item = match recv {
                    SomeValue::List(l) => self
                        .reprs
                        .anns
                        .listdef(*l)
                        .map(|d| d.item.clone())
                        .unwrap_or(SomeValue::Impossible),
                    _ => return Err("internal error: contains on a non-list".into()),
                };
                let method = match &item {
                    SomeValue::Instance(s) => {
                        self.reprs.prog.method(*s, flowspace::model::DERIVED_EQ)
                    }
                    _ => None,
                };
                let len = self.get_field(lr.list, LIST_LENGTH, list, USIZE);
                self.emit_any(len, &[list, x], |me, i| {
                    let items = me.get_field(lr.list, LIST_ITEMS, list, LLType::Ptr(lr.array));
                    let y = me.emit(LLOpKind::GetArrayItem(lr.array), vec![items, i], lr.item);
                    me.value_eq(y, &item, x, &item, method)
                })?
            }
            B::ListSwap => {
                let lr = list_repr(self)?;
                let (list, i, j) = (arg(0)?, arg(1)?, arg(2)?);
                // Both indices are checked before anything moves, as in Rust.
                let items = self.checked_items(lr, list, i);
                let len = self.get_field(lr.list, LIST_LENGTH, list, USIZE);
                self.emit(
                    LLOpKind::Check(CheckKind::Bounds),
                    vec![j, len],
                    LLType::Void,
                );
                let a = self.emit(LLOpKind::GetArrayItem(lr.array), vec![items, i], lr.item);
                let b = self.emit(LLOpKind::GetArrayItem(lr.array), vec![items, j], lr.item);
                self.emit(
                    LLOpKind::SetArrayItem(lr.array),
                    vec![items, i, b],
                    LLType::Void,
                );
                self.emit(
                    LLOpKind::SetArrayItem(lr.array),
                    vec![items, j, a],
                    LLType::Void,
                );
                LLValue::Const(LLConst::Void)
            }
            B::ToString => {
                let x = arg(0)?;
                let sb = self.new_string();
                self.fmt_value(sb, x, &FmtSpec::default())?;
                sb
            }
            B::AsciiClass(class) => self.ascii_class(class, arg(0)?)?,
            B::FloatUnary(op) => self.call(
                "rr_f64_unary",
                vec![arg(0)?, u64c(op as i64)],
                LLType::Float,
            ),
            B::FloatBinary(op) => self.call(
                "rr_f64_binary",
                vec![arg(0)?, arg(1)?, u64c(op as i64)],
                LLType::Float,
            ),
            B::FloatTest(op) => {
                self.call("rr_f64_test", vec![arg(0)?, u64c(op as i64)], LLType::Bool)
            }
            B::FloatPowi => self.call("rr_f64_powi", vec![arg(0)?, arg(1)?], LLType::Float),
            B::CharClass(class) => self.call(
                "rr_char_class",
                vec![arg(0)?, u64c(class as i64)],
                LLType::Bool,
            ),
            B::CharAsciiCase(up) => self.call(
                "rr_char_ascii_case",
                vec![arg(0)?, u64c(up as i64)],
                LLType::Char,
            ),
            B::CharToDigit(radix) => {
                let d = self.call(
                    "rr_char_to_digit",
                    vec![arg(0)?, u64c(radix as i64)],
                    LLType::Int(IntTy::I64),
                );
                let none = self.emit(
                    LLOpKind::IntCmp(Cmp::Lt),
                    vec![d, Self::int(0, IntTy::I64)],
                    LLType::Bool,
                );
                let u32a = SomeValue::int(IntTy::U32);
                self.emit_select(
                    none,
                    &[d],
                    res_ty,
                    |me| me.make_none(&u32a),
                    |me| {
                        let v = me.emit(LLOpKind::Cast, vec![d], LLType::Int(IntTy::U32));
                        me.make_some(&SomeValue::int(IntTy::U32), v)
                    },
                )?
            }
            B::DictWalk(w) => self.lower_dict_walk(w, recv, &res_ann, arg(0)?)?,
            B::ListInsert => {
                let lr = list_repr(self)?;
                let (list, i, x) = (arg(0)?, arg(1)?, arg(2)?);
                let loc = self.loc();
                let iu = self.emit(LLOpKind::Cast, vec![i], LLType::Int(IntTy::U64));
                self.call(
                    "rr_list_open_gap",
                    vec![
                        list,
                        iu,
                        u64c(lr.item.size() as i64),
                        u64c(lr.array.as_u32() as i64),
                        loc,
                    ],
                    LLType::Void,
                );
                // The items array may be a new one now.
                let items = self.get_field(lr.list, LIST_ITEMS, list, LLType::Ptr(lr.array));
                self.emit(
                    LLOpKind::SetArrayItem(lr.array),
                    vec![items, i, x],
                    LLType::Void,
                );
                LLValue::Const(LLConst::Void)
            }
            B::ListRemove => {
                let lr = list_repr(self)?;
                let (list, i) = (arg(0)?, arg(1)?);
                let loc = self.loc();
                let iu = self.emit(LLOpKind::Cast, vec![i], LLType::Int(IntTy::U64));
                self.call_returning_word(
                    "rr_list_close_gap",
                    vec![list, iu, u64c(lr.item.size() as i64), loc],
                    lr.item,
                )?
            }
            B::ListReverse => {
                let lr = list_repr(self)?;
                self.call(
                    "rr_list_reverse",
                    vec![arg(0)?, u64c(lr.item.size() as i64)],
                    LLType::Void,
                );
                LLValue::Const(LLConst::Void)
            }
            B::ListTruncate => {
                let lr = list_repr(self)?;
                let (list, n) = (arg(0)?, arg(1)?);
                let len = self.get_field(lr.list, LIST_LENGTH, list, USIZE);
                let shorter = self.emit(LLOpKind::IntCmp(Cmp::Lt), vec![n, len], LLType::Bool);
                self.emit_if(shorter, &[list, n], |me| {
                    me.set_field(lr.list, LIST_LENGTH, list, n);
                    Ok(())
                })?;
                LLValue::Const(LLConst::Void)
            }
            B::ListSort => {
                let lr = list_repr(self)?;
                let kind = match lr.item {
                    LLType::Int(t) => t.bits() as i64 | ((t.signed() as i64) << 8),
                    LLType::Bool => 8,
                    LLType::Char => 32,
                    LLType::Ptr(p) if p == well_known::STRING => 1 << 16,
                    _ => return Err("internal error: sort of unsortable items".into()),
                };
                self.call("rr_list_sort", vec![arg(0)?, u64c(kind)], LLType::Void);
                LLValue::Const(LLConst::Void)
            }
            B::ListDrainAll => {
                let lr = list_repr(self)?;
                let list = arg(0)?;
                let copy = self.shallow_clone(lr, list);
                self.set_field(lr.list, LIST_LENGTH, list, Self::int(0, IntTy::Usize));
                copy
            }
            B::ListClone => {
                let lr = list_repr(self)?;
                let copy = self.shallow_clone(lr, arg(0)?);
                // Strings are cloned one by one, as `Vec<String>::clone` does
                // (the annotator allows no other heap items here).
                if lr.item == LLType::Ptr(well_known::STRING) {
                    let len = self.get_field(lr.list, LIST_LENGTH, copy, USIZE);
                    self.emit_counted_loop(len, &[copy], |me, i| {
                        let items = me.get_field(lr.list, LIST_ITEMS, copy, LLType::Ptr(lr.array));
                        let s = me.emit(LLOpKind::GetArrayItem(lr.array), vec![items, i], lr.item);
                        let c = me.clone_str(s);
                        let items = me.get_field(lr.list, LIST_ITEMS, copy, LLType::Ptr(lr.array));
                        me.emit(
                            LLOpKind::SetArrayItem(lr.array),
                            vec![items, i, c],
                            LLType::Void,
                        );
                        Ok(())
                    })?;
                }
                copy
            }
            B::ListCloneEach(m) => {
                let lr = list_repr(self)?;
                let item_ann = match recv {
                    SomeValue::List(l) => self.reprs.anns.listdef(*l).map(|d| d.item.clone()),
                    _ => None,
                }
                .unwrap_or(SomeValue::Impossible);
                let copy = self.shallow_clone(lr, arg(0)?);
                let len = self.get_field(lr.list, LIST_LENGTH, copy, USIZE);
                self.emit_counted_loop(len, &[copy], |me, i| {
                    let items = me.get_field(lr.list, LIST_ITEMS, copy, LLType::Ptr(lr.array));
                    let x = me.emit(LLOpKind::GetArrayItem(lr.array), vec![items, i], lr.item);
                    let c = me.call_returning(m, vec![x], vec![item_ann.clone()], &item_ann)?;
                    // The clone may have moved the copy's items.
                    let items = me.get_field(lr.list, LIST_ITEMS, copy, LLType::Ptr(lr.array));
                    me.emit(
                        LLOpKind::SetArrayItem(lr.array),
                        vec![items, i, c],
                        LLType::Void,
                    );
                    Ok(())
                })?;
                copy
            }
            B::ListJoin => {
                let sep = match args.get(1) {
                    Some(s) => *s,
                    None => LLValue::Const(LLConst::Prebuilt(self.reprs.str_const(b""))),
                };
                self.call("rr_list_join", vec![arg(0)?, sep], STR)
            }
            B::StrPush => {
                self.call("rr_str_push_char", vec![arg(0)?, arg(1)?], LLType::Void);
                LLValue::Const(LLConst::Void)
            }
            B::StrPushStr => {
                self.call("rr_str_push_str", vec![arg(0)?, arg(1)?], LLType::Void);
                LLValue::Const(LLConst::Void)
            }
            B::StrWriteStr => {
                self.call("rr_str_push_str", vec![arg(0)?, arg(1)?], LLType::Void);
                let SomeValue::Result(o, e) = &res_ann else {
                    return Err("internal error: write_str without a Result".into());
                };
                let r = self.reprs.result_repr(o, e)?;
                LLValue::Const(LLConst::Prebuilt(self.reprs.ok_unit_const(r)))
            }
            B::StrAsBytes | B::StrAsStr | B::Identity => arg(0)?,
            B::StrTest(f) => self.call(f, vec![arg(0)?, arg(1)?], LLType::Bool),
            B::StrTestChar(f) => {
                let pat = self.one_char_string(arg(1)?);
                self.call(f, vec![arg(0)?, pat], LLType::Bool)
            }
            B::StrTrimMatches { how, char_pattern } => {
                let pat = match char_pattern {
                    true => self.one_char_string(arg(1)?),
                    false => arg(1)?,
                };
                let how = u64c(how as i64);
                self.call("rr_str_trim_matches", vec![arg(0)?, pat, how], STR)
            }
            B::StrReplace => self.call("rr_str_replace", vec![arg(0)?, arg(1)?, arg(2)?], STR),
            B::StrRepeat => {
                let n = self.emit(LLOpKind::Cast, vec![arg(1)?], LLType::Int(IntTy::U64));
                self.call("rr_str_repeat", vec![arg(0)?, n], STR)
            }
            B::StrMap(how) => {
                let how = Self::int(how as i64, IntTy::U64);
                self.call("rr_str_map", vec![arg(0)?, how], STR)
            }
            B::IntTryFrom(to) => {
                let SomeValue::Result(o, e) = &res_ann else {
                    return Err("internal error: try_from without a Result".into());
                };
                let r = self.reprs.result_repr(o, e)?;
                let x = arg(0)?;
                let LLType::Int(from) = self.ty_of(&x) else {
                    return Err("internal error: try_from of a non-integer".into());
                };
                // In range: the value survives the round trip, and a sign
                // change between signed and unsigned types did not occur.
                let y = self.emit(LLOpKind::Cast, vec![x], LLType::Int(to));
                let back = self.emit(LLOpKind::Cast, vec![y], LLType::Int(from));
                let mut ok = self.emit(LLOpKind::IntCmp(Cmp::Eq), vec![back, x], LLType::Bool);
                let negative = match (from.signed(), to.signed()) {
                    (true, false) => Some((x, from)),
                    (false, true) => Some((y, to)),
                    _ => None,
                };
                if let Some((v, t)) = negative {
                    let nonneg = self.emit(
                        LLOpKind::IntCmp(Cmp::Ge),
                        vec![v, Self::int(0, t)],
                        LLType::Bool,
                    );
                    ok = self.emit(LLOpKind::IntAnd, vec![ok, nonneg], LLType::Bool);
                }
                let bad = self.emit(LLOpKind::IntNot, vec![ok], LLType::Bool);
                let code = self.emit(LLOpKind::Cast, vec![bad], LLType::Int(IntTy::U8));
                self.result_of(r, code, y)
            }
            B::StrParseInt(t) => {
                let SomeValue::Result(o, e) = &res_ann else {
                    return Err("internal error: parse without a Result".into());
                };
                let r = self.reprs.result_repr(o, e)?;
                let s = arg(0)?;
                let bits = Self::int(t.bits() as i64, IntTy::U64);
                let signed = Self::int(t.signed() as i64, IntTy::U64);
                let code = self.call(
                    "rr_str_parse_int_error",
                    vec![s, bits, signed],
                    LLType::Int(IntTy::U8),
                );
                let word = self.call(
                    "rr_str_parse_int",
                    vec![s, bits, signed],
                    LLType::Int(IntTy::I64),
                );
                let value = self.emit(LLOpKind::Cast, vec![word], r.ok);
                self.result_of(r, code, value)
            }
            B::StrChars => {
                let SomeValue::List(l) = &res_ann else {
                    return Err("internal error: chars without a list".into());
                };
                let lr = self.reprs.list_repr(*l)?;
                let ids = [lr.list.as_u32(), lr.array.as_u32()].map(|t| u64c(t as i64));
                self.call(
                    "rr_str_chars",
                    vec![arg(0)?, ids[0], ids[1]],
                    LLType::Ptr(lr.list),
                )
            }
            B::StrLines => self.call(
                "rr_str_lines",
                vec![arg(0)?],
                LLType::Ptr(well_known::STRING_LIST),
            ),
            B::StrSplit => self.call(
                "rr_str_split",
                vec![arg(0)?, arg(1)?],
                LLType::Ptr(well_known::STRING_LIST),
            ),
            B::StrSplitChar => {
                let pat = self.one_char_string(arg(1)?);
                self.call(
                    "rr_str_split",
                    vec![arg(0)?, pat],
                    LLType::Ptr(well_known::STRING_LIST),
                )
            }
            B::StrParseFloat => {
                let SomeValue::Result(o, e) = &res_ann else {
                    return Err("internal error: parse without a Result".into());
                };
                let r = self.reprs.result_repr(o, e)?;
                let s = arg(0)?;
                let code = self.call("rr_str_parse_float_error", vec![s], LLType::Int(IntTy::U8));
                let value = self.call("rr_str_parse_float", vec![s], LLType::Float);
                self.result_of(r, code, value)
            }
            B::StrSplitWhitespace => self.call(
                "rr_str_split_whitespace",
                vec![arg(0)?],
                LLType::Ptr(well_known::STRING_LIST),
            ),
            B::StrClone | B::StringFrom => self.clone_str(arg(0)?),
            B::DictInsert => {
                let (k, v) = (self.word_of(arg(1)?)?, self.word_of(arg(2)?)?);
                self.call("rr_dict_insert", vec![arg(0)?, k, v], LLType::Bool);
                LLValue::Const(LLConst::Void)
            }
            B::DictRemove => {
                let k = self.word_of(arg(1)?)?;
                self.call("rr_dict_remove", vec![arg(0)?, k], LLType::Bool);
                LLValue::Const(LLConst::Void)
            }
            B::DictContainsKey => {
                let k = self.word_of(arg(1)?)?;
                let idx = self.call("rr_dict_lookup", vec![arg(0)?, k], LLType::Int(IntTy::I64));
                self.emit(
                    LLOpKind::IntCmp(Cmp::Ge),
                    vec![idx, Self::int(0, IntTy::I64)],
                    LLType::Bool,
                )
            }
            B::DictGet => {
                let d = arg(0)?;
                let k = self.word_of(arg(1)?)?;
                let idx = self.call("rr_dict_lookup", vec![d, k], LLType::Int(IntTy::I64));
                self.dict_slot_opt(d, idx, &res_ann, res_ty)?
            }
            B::DictLen => self.call("rr_dict_len", vec![arg(0)?], USIZE),
            B::HashMapNew => {
                let def = match &res_ann {
                    SomeValue::Dict(d) => self.reprs.anns.dictdef(*d).cloned(),
                    _ => None,
                };
                let key_kind = match def.as_ref().map(|d| &d.key) {
                    Some(SomeValue::Str { .. }) => 1,
                    _ => 0,
                };
                // The collector must know whether the value words are
                // references (to trace and update them).
                let values_are_refs = match def.as_ref().map(|d| self.reprs.ll(&d.value)) {
                    Some(Ok(t)) => t.is_ptr(),
                    Some(Err(e)) => return Err(e),
                    None => false,
                };
                self.call(
                    "rr_dict_new_refs",
                    vec![u64c(key_kind), u64c(values_are_refs as i64)],
                    LLType::Ptr(well_known::DICT),
                )
            }
            B::OptionUnwrap | B::OptionExpect => {
                let SomeValue::Option(inner) = recv else {
                    return Err("internal error: unwrap on a non-Option".into());
                };
                let opt = arg(0)?;
                let is_some = self.option_is_some(inner, opt)?;
                if bi == B::OptionUnwrap {
                    self.emit(
                        LLOpKind::Check(CheckKind::UnwrapNone),
                        vec![is_some],
                        LLType::Void,
                    );
                } else {
                    self.emit(
                        LLOpKind::Check(CheckKind::Expect),
                        vec![is_some, arg(1)?],
                        LLType::Void,
                    );
                }
                self.option_value(inner, opt)?
            }
            B::OptionIsSome | B::OptionIsNone => {
                let SomeValue::Option(inner) = recv else {
                    return Err("internal error: is_some on a non-Option".into());
                };
                let s = self.option_is_some(inner, arg(0)?)?;
                if bi == B::OptionIsSome {
                    s
                } else {
                    self.emit(LLOpKind::IntNot, vec![s], LLType::Bool)
                }
            }
            B::OptionUnwrapOr => {
                let SomeValue::Option(inner) = recv else {
                    return Err("internal error: unwrap_or on a non-Option".into());
                };
                let (opt, dflt) = (arg(0)?, arg(1)?);
                let s = self.option_is_some(inner, opt)?;
                self.emit_select(
                    s,
                    &[opt, dflt],
                    res_ty,
                    |me| me.option_value(inner, opt),
                    |_| Ok(dflt),
                )?
            }
            B::OptionOkOr => {
                let SomeValue::Option(inner) = recv else {
                    return Err("internal error: ok_or on a non-Option".into());
                };
                let SomeValue::Result(o, e) = &res_ann else {
                    return Err("internal error: ok_or without a Result".into());
                };
                let (opt, err) = (arg(0)?, arg(1)?);
                // The value of a `None` is a zero or a null: harmless in the
                // `ok` field of an `Err`.
                let is_some = self.option_is_some(inner, opt)?;
                let x = self.option_value(inner, opt)?;
                let r = self.reprs.result_repr(o, e)?;
                let obj = self.emit(LLOpKind::Malloc(r.ty), vec![], LLType::Ptr(r.ty));
                self.set_field(r.ty, RES_IS_OK, obj, is_some);
                if r.ok != LLType::Void {
                    self.set_field(r.ty, RES_OK, obj, x);
                }
                if r.err != LLType::Void {
                    self.set_field(r.ty, RES_ERR, obj, err);
                }
                obj
            }
            B::ResultOk | B::ResultErr | B::ResultUnwrapOr => {
                let SomeValue::Result(o, e) = recv else {
                    return Err("internal error: ok/err on a non-Result".into());
                };
                let r = self.reprs.result_repr(o, e)?;
                let obj = arg(0)?;
                let is_ok = self.get_field(r.ty, RES_IS_OK, obj, LLType::Bool);
                if bi == B::ResultUnwrapOr {
                    let dflt = arg(1)?;
                    self.emit_select(
                        is_ok,
                        &[obj, dflt],
                        res_ty,
                        |me| Ok(me.get_field(r.ty, RES_OK, obj, r.ok)),
                        |_| Ok(dflt),
                    )?
                } else {
                    let (field, t, inner) = if bi == B::ResultOk {
                        (RES_OK, r.ok, o)
                    } else {
                        (RES_ERR, r.err, e)
                    };
                    let none = LLValue::Const(self.none_of(inner)?);
                    let some = |me: &mut Self| {
                        let x = me.get_field(r.ty, field, obj, t);
                        me.make_some(inner, x)
                    };
                    if bi == B::ResultOk {
                        self.emit_select(is_ok, &[obj], res_ty, some, |_| Ok(none))?
                    } else {
                        self.emit_select(is_ok, &[obj], res_ty, |_| Ok(none), some)?
                    }
                }
            }
            B::ResultUnwrap | B::ResultExpect => {
                let SomeValue::Result(o, e) = recv else {
                    return Err("internal error: unwrap on a non-Result".into());
                };
                if !matches!(
                    **e,
                    SomeValue::IoError | SomeValue::ParseIntError | SomeValue::ParseFloatError
                ) {
                    return self.unwrap_any(bi == B::ResultExpect, o, e, args, res);
                }
                // The panic functions for the error type, if not io::Error's.
                let parse = match **e {
                    SomeValue::ParseIntError => {
                        Some(("rr_panic_parse_int_unwrap", "rr_panic_parse_int_expect"))
                    }
                    SomeValue::ParseFloatError => {
                        Some(("rr_panic_parse_float_unwrap", "rr_panic_parse_float_expect"))
                    }
                    _ => None,
                };
                let r = self.reprs.result_repr(o, e)?;
                let obj = arg(0)?;
                let msg = if bi == B::ResultExpect {
                    Some(arg(1)?)
                } else {
                    None
                };
                let ok = self.get_field(r.ty, RES_IS_OK, obj, LLType::Bool);
                let mut extra = vec![obj];
                extra.extend(msg);
                self.emit_cold(ok, &extra, |me| {
                    let err = me.get_field(r.ty, RES_ERR, obj, r.err);
                    let loc = me.loc();
                    let (unwrap, expect) =
                        parse.unwrap_or(("rr_panic_result_unwrap", "rr_panic_result_expect"));
                    match msg {
                        Some(m) => me.call(expect, vec![m, err, loc], LLType::Void),
                        None => me.call(unwrap, vec![err, loc], LLType::Void),
                    };
                    Ok(())
                })?;
                self.get_field(r.ty, RES_OK, obj, r.ok)
            }
            B::ResultIsOk | B::ResultIsErr => {
                let SomeValue::Result(o, e) = recv else {
                    return Err("internal error: is_ok on a non-Result".into());
                };
                let r = self.reprs.result_repr(o, e)?;
                let ok = self.get_field(r.ty, RES_IS_OK, arg(0)?, LLType::Bool);
                if bi == B::ResultIsOk {
                    ok
                } else {
                    self.emit(LLOpKind::IntNot, vec![ok], LLType::Bool)
                }
            }
            B::IntWrappingAdd => self.emit(LLOpKind::IntAdd, vec![arg(0)?, arg(1)?], res_ty),
            B::IntWrappingSub => self.emit(LLOpKind::IntSub, vec![arg(0)?, arg(1)?], res_ty),
            B::IntWrappingMul => self.emit(LLOpKind::IntMul, vec![arg(0)?, arg(1)?], res_ty),
            B::IntWrappingDiv | B::IntWrappingRem => {
                let (a, b) = (arg(0)?, arg(1)?);
                let div = bi == B::IntWrappingDiv;
                let zero = if div {
                    CheckKind::DivZero
                } else {
                    CheckKind::RemZero
                };
                self.emit(LLOpKind::Check(zero), vec![b], LLType::Void);
                let LLType::Int(t) = res_ty else {
                    return Err("internal error: wrapping_div of a non-integer".into());
                };
                let (kind, op) = if div {
                    (LLOpKind::IntDiv, LLOpKind::IntSub)
                } else {
                    (LLOpKind::IntRem, LLOpKind::IntMul)
                };
                if !t.signed() {
                    self.emit(kind, vec![a, b], res_ty)
                } else {
                    // `x / -1` is `0 - x` (wrapping), `x % -1` is `0`: the
                    // machine division would trap on `MIN / -1`.
                    let minus_one = self.emit(
                        LLOpKind::IntCmp(Cmp::Eq),
                        vec![b, Self::int(-1, t)],
                        LLType::Bool,
                    );
                    self.emit_select(
                        minus_one,
                        &[a, b],
                        res_ty,
                        |me| Ok(me.emit(op, vec![Self::int(0, t), a], res_ty)),
                        |me| Ok(me.emit(kind, vec![a, b], res_ty)),
                    )?
                }
            }
            B::IntMin | B::IntMax | B::CmpMin | B::CmpMax => {
                let (a, b) = (arg(0)?, arg(1)?);
                let min = matches!(bi, B::IntMin | B::CmpMin);
                // min: a <= b ? a : b; max: a > b ? a : b (Ord::max returns
                // the second on ties, which for integers is the same value).
                let c = self.emit(
                    LLOpKind::IntCmp(if min { Cmp::Le } else { Cmp::Gt }),
                    vec![a, b],
                    LLType::Bool,
                );
                self.emit_select(c, &[a, b], res_ty, |_| Ok(a), |_| Ok(b))?
            }
            B::IntAbs => {
                // Branch-free wrapping abs: (x ^ s) - s with s = x >> (bits-1).
                let LLType::Int(t) = res_ty else {
                    return Err("internal error: abs on a non-integer".into());
                };
                let x = arg(0)?;
                let s = self.emit(
                    LLOpKind::IntShr,
                    vec![x, Self::int(t.bits() as i64 - 1, IntTy::U32)],
                    res_ty,
                );
                let y = self.emit(LLOpKind::IntXor, vec![x, s], res_ty);
                self.emit(LLOpKind::IntSub, vec![y, s], res_ty)
            }
            B::ArgsCollect => {
                self.call("rr_env_args", vec![], LLType::Ptr(well_known::STRING_LIST))
            }
            B::EnvArgs | B::Stdin | B::Stdout | B::Stderr => LLValue::Const(LLConst::Void),
            B::WeAreJitted => self.emit(LLOpKind::JitIsJitted, vec![], LLType::Bool),
            B::Promote => {
                let a = arg(0)?;
                if res_ty == LLType::Void {
                    a
                } else {
                    self.emit(LLOpKind::JitPromote, vec![a], res_ty)
                }
            }
            B::IdentityHash => {
                self.call("rr_identity_hash", vec![arg(0)?], LLType::Int(IntTy::U64))
            }
            B::StdinRead | B::StdinReadLine | B::StdinReadToString => {
                let name = match bi {
                    B::StdinRead => "rr_stdin_read",
                    B::StdinReadLine => "rr_stdin_read_line",
                    _ => "rr_stdin_read_to_string",
                };
                let n = self.call(name, vec![arg(1)?], LLType::Int(IntTy::I64));
                let ok = self.emit(
                    LLOpKind::IntCmp(Cmp::Ge),
                    vec![n, Self::int(0, IntTy::I64)],
                    LLType::Bool,
                );
                let count = self.emit(LLOpKind::Cast, vec![n], USIZE);
                self.io_result(&res_ann, ok, count)?
            }
            B::FsRead | B::FsReadToString => {
                let name = if bi == B::FsRead {
                    "rr_fs_read"
                } else {
                    "rr_fs_read_to_string"
                };
                let p = self.call(name, vec![arg(0)?], STR);
                let ok = self.emit(
                    LLOpKind::PtrNe,
                    vec![p, LLValue::Const(LLConst::Null(well_known::STRING))],
                    LLType::Bool,
                );
                self.io_result(&res_ann, ok, p)?
            }
            B::WriteAll | B::Flush => {
                let stream = match recv {
                    SomeValue::Builtin(BuiltinObj::Stderr) => 2,
                    _ => 1,
                };
                if bi == B::WriteAll {
                    self.call("rr_print", vec![arg(1)?, u64c(stream)], LLType::Void);
                } else {
                    self.call("rr_flush", vec![u64c(stream)], LLType::Void);
                }
                let SomeValue::Result(o, e) = &res_ann else {
                    return Err("internal error: write without a Result".into());
                };
                let r = self.reprs.result_repr(o, e)?;
                LLValue::Const(LLConst::Prebuilt(self.reprs.ok_unit_const(r)))
            }
            B::VecNew | B::StringNew => {
                let lr = match &res_ann {
                    SomeValue::List(l) => self.reprs.list_repr(*l)?,
                    _ => self.reprs.list_of(LLType::Int(IntTy::U8)),
                };
                let cap = match args.first() {
                    Some(c) => *c,
                    None => Self::int(0, IntTy::Usize),
                };
                self.call(
                    "rr_list_new",
                    vec![
                        u64c(lr.list.as_u32() as i64),
                        u64c(lr.array.as_u32() as i64),
                        u64c(lr.item.size() as i64),
                        cap,
                    ],
                    LLType::Ptr(lr.list),
                )
            }
            B::ProcessExit => {
                self.call("rr_exit", vec![arg(0)?], LLType::Void);
                self.close(LLExit::Unreachable);
                return Ok(());
            }
        };
        self.assign(res, v);
        Ok(())
    }

    fn list_type_of(&mut self, recv: &SomeValue) -> LResult<crate::lltype::GcTypeId> {
        match recv {
            SomeValue::List(l) => Ok(self.reprs.list_repr(*l)?.list),
            SomeValue::Str { .. } => Ok(well_known::STRING),
            _ => Err("internal error: length of a non-list".into()),
        }
    }

    /// A `Result` of `parse`: Ok(`value`) when the error `code` is 0, else
    /// Err(`code`).
    fn result_of(&mut self, r: ResRepr, code: LLValue, value: LLValue) -> LLValue {
        let ok = self.emit(
            LLOpKind::IntCmp(Cmp::Eq),
            vec![code, Self::int(0, IntTy::U8)],
            LLType::Bool,
        );
        let obj = self.emit(LLOpKind::Malloc(r.ty), vec![], LLType::Ptr(r.ty));
        self.set_field(r.ty, RES_IS_OK, obj, ok);
        self.set_field(r.ty, RES_OK, obj, value);
        self.set_field(r.ty, RES_ERR, obj, code);
        obj
    }

    /// A new string holding the char `c` (a `char` pattern).
    fn one_char_string(&mut self, c: LLValue) -> LLValue {
        let u = |n: i64| Self::int(n, IntTy::U64);
        let s = self.call(
            "rr_list_new",
            vec![
                u(well_known::STRING.as_u32() as i64),
                u(well_known::BYTE_ARRAY.as_u32() as i64),
                u(1),
                Self::int(4, IntTy::Usize),
            ],
            STR,
        );
        self.call("rr_str_push_char", vec![s, c], LLType::Void);
        s
    }

    /// A copy of `list` holding the same items (`rr_list_clone`).
    fn shallow_clone(&mut self, lr: ListRepr, list: LLValue) -> LLValue {
        let u = |n: u32| Self::int(n as i64, IntTy::U64);
        self.call(
            "rr_list_clone",
            vec![
                list,
                u(lr.list.as_u32()),
                u(lr.array.as_u32()),
                u(lr.item.size()),
            ],
            LLType::Ptr(lr.list),
        )
    }

    fn clone_str(&mut self, s: LLValue) -> LLValue {
        let u = |n: i64| Self::int(n, IntTy::U64);
        self.call(
            "rr_list_clone",
            vec![
                s,
                u(well_known::STRING.as_u32() as i64),
                u(well_known::BYTE_ARRAY.as_u32() as i64),
                u(1),
            ],
            STR,
        )
    }

    /// `list.push(x)`: inline capacity test, `rr_list_grow` when full.
    pub fn push(&mut self, lr: ListRepr, list: LLValue, x: LLValue) -> LResult<()> {
        let len = self.get_field(lr.list, LIST_LENGTH, list, USIZE);
        let items = self.get_field(lr.list, LIST_ITEMS, list, LLType::Ptr(lr.array));
        let cap = self.emit(LLOpKind::ArrayLen(lr.array), vec![items], USIZE);
        let full = self.emit(LLOpKind::IntCmp(Cmp::Le), vec![cap, len], LLType::Bool);
        let newlen = self.emit(
            LLOpKind::IntAdd,
            vec![len, Self::int(1, IntTy::Usize)],
            USIZE,
        );
        self.emit_if(full, &[list, x, newlen, len], |me| {
            let u = |n: i64| Self::int(n, IntTy::U64);
            me.call(
                "rr_list_grow",
                vec![
                    list,
                    newlen,
                    u(lr.item.size() as i64),
                    u(lr.array.as_u32() as i64),
                ],
                LLType::Void,
            );
            Ok(())
        })?;
        let items = self.get_field(lr.list, LIST_ITEMS, list, LLType::Ptr(lr.array));
        self.emit(
            LLOpKind::SetArrayItem(lr.array),
            vec![items, len, x],
            LLType::Void,
        );
        self.set_field(lr.list, LIST_LENGTH, list, newlen);
        Ok(())
    }

    /// Builds a `Result<T, io::Error>`: `ok` decides, `value` is the Ok
    /// payload; on failure the error comes from `rr_take_io_error`.
    fn io_result(&mut self, res_ann: &SomeValue, ok: LLValue, value: LLValue) -> LResult<LLValue> {
        let SomeValue::Result(o, e) = res_ann else {
            return Err("internal error: I/O call without a Result".into());
        };
        let r = self.reprs.result_repr(o, e)?;
        let obj = self.emit(LLOpKind::Malloc(r.ty), vec![], LLType::Ptr(r.ty));
        self.set_field(r.ty, RES_IS_OK, obj, ok);
        let not_ok = self.emit(LLOpKind::IntNot, vec![ok], LLType::Bool);
        self.emit_if(not_ok, &[obj, value, ok], |me| {
            let err = me.call(
                "rr_take_io_error",
                vec![],
                LLType::Ptr(well_known::IO_ERROR),
            );
            me.set_field(r.ty, RES_ERR, obj, err);
            Ok(())
        })?;
        // The Ok payload is stored after the error check; on failure it is
        // a harmless zero/null that nobody reads.
        if self.ty_of(&value) == r.ok {
            self.set_field(r.ty, RES_OK, obj, value);
        } else if r.ok != LLType::Void {
            let v = self.emit(LLOpKind::Cast, vec![value], r.ok);
            self.set_field(r.ty, RES_OK, obj, v);
        }
        Ok(obj)
    }

    /// A new empty `String`.
    pub(crate) fn new_string(&mut self) -> LLValue {
        let u = |n: i64| Self::int(n, IntTy::U64);
        self.call(
            "rr_list_new",
            vec![
                u(well_known::STRING.as_u32() as i64),
                u(well_known::BYTE_ARRAY.as_u32() as i64),
                u(1),
                u(0),
            ],
            STR,
        )
    }

    /// `is_ascii_*` of a `u8` or `char`, inline range tests.
    fn ascii_class(&mut self, class: AsciiClass, x: LLValue) -> LResult<LLValue> {
        let t = self.ty_of(&x);
        let k = |c: u8| match t {
            LLType::Char => LLValue::Const(LLConst::Char(c as char)),
            _ => Self::int(c as i64, IntTy::U8),
        };
        let range = |me: &mut Self, lo: u8, hi: u8| {
            let a = me.emit(LLOpKind::IntCmp(Cmp::Ge), vec![x, k(lo)], LLType::Bool);
            let b = me.emit(LLOpKind::IntCmp(Cmp::Le), vec![x, k(hi)], LLType::Bool);
            me.emit(LLOpKind::IntAnd, vec![a, b], LLType::Bool)
        };
        let any = |me: &mut Self, parts: Vec<LLValue>| {
            let mut acc = LLValue::Const(LLConst::Bool(false));
            for p in parts {
                acc = me.emit(LLOpKind::IntOr, vec![acc, p], LLType::Bool);
            }
            acc
        };
        Ok(match class {
            AsciiClass::Digit => range(self, b'0', b'9'),
            AsciiClass::Uppercase => range(self, b'A', b'Z'),
            AsciiClass::Lowercase => range(self, b'a', b'z'),
            AsciiClass::Alphabetic => {
                let parts = vec![range(self, b'A', b'Z'), range(self, b'a', b'z')];
                any(self, parts)
            }
            AsciiClass::Alphanumeric => {
                let parts = vec![
                    range(self, b'0', b'9'),
                    range(self, b'A', b'Z'),
                    range(self, b'a', b'z'),
                ];
                any(self, parts)
            }
            AsciiClass::Whitespace => {
                // U+0020, U+0009, U+000A, U+000C, U+000D (Rust's definition).
                let mut parts = vec![];
                for c in [b' ', b'\t', b'\n', 0x0c, b'\r'] {
                    parts.push(self.emit(LLOpKind::IntCmp(Cmp::Eq), vec![x, k(c)], LLType::Bool));
                }
                any(self, parts)
            }
        })
    }
}

impl Lowerer<'_, '_> {
    /// `RefCell`, `Cell` and `Rc` operations. A borrow checks the flag and
    /// panics with std's message at the call, as `RefCell` does.
    fn lower_cell_method(
        &mut self,
        bi: Builtin,
        recv: &SomeValue,
        res_ann: &SomeValue,
        args: &[LLValue],
    ) -> LResult<LLValue> {
        use Builtin as B;
        let arg = |k: usize| -> LResult<LLValue> {
            args.get(k)
                .copied()
                .ok_or_else(|| "internal error: missing argument".to_string())
        };
        if bi == B::RcPtrEq {
            return Ok(self.emit(LLOpKind::PtrEq, vec![arg(0)?, arg(1)?], LLType::Bool));
        }
        let cell_of = |a: &SomeValue| match a {
            SomeValue::RefCell(l) | SomeValue::Cell(l) => Ok(*l),
            _ => Err("internal error: a cell method on a non-cell".to_string()),
        };
        let i64c = |n: i64| Self::int(n, IntTy::I64);
        if bi == B::CellNew {
            let (ty, _) = self.reprs.cell_repr(cell_of(res_ann)?)?;
            let c = self.emit(LLOpKind::Malloc(ty), vec![], LLType::Ptr(ty));
            self.set_field(ty, CELL_BORROW, c, i64c(0));
            self.set_field(ty, CELL_VALUE, c, arg(0)?);
            return Ok(c);
        }
        let (ty, vt) = self.reprs.cell_repr(cell_of(recv)?)?;
        let c = arg(0)?;
        let flag = |me: &mut Self| me.get_field(ty, CELL_BORROW, c, LLType::Int(IntTy::I64));
        Ok(match bi {
            B::CellBorrow(mutable) => {
                let f = flag(self);
                self.check_borrow(f, mutable, &[c])?;
                let f = flag(self);
                let new = if mutable {
                    i64c(-1)
                } else {
                    self.emit(LLOpKind::IntAdd, vec![f, i64c(1)], LLType::Int(IntTy::I64))
                };
                self.set_field(ty, CELL_BORROW, c, new);
                self.get_field(ty, CELL_VALUE, c, vt)
            }
            B::CellRelease(mutable) => {
                let new = if mutable {
                    i64c(0)
                } else {
                    let f = flag(self);
                    self.emit(LLOpKind::IntSub, vec![f, i64c(1)], LLType::Int(IntTy::I64))
                };
                self.set_field(ty, CELL_BORROW, c, new);
                LLValue::Const(LLConst::Void)
            }
            B::CellGet => self.get_field(ty, CELL_VALUE, c, vt),
            B::CellBorrowedMut => {
                let f = flag(self);
                self.emit(LLOpKind::IntCmp(Cmp::Lt), vec![f, i64c(0)], LLType::Bool)
            }
            B::CellSet => {
                self.set_field(ty, CELL_VALUE, c, arg(1)?);
                LLValue::Const(LLConst::Void)
            }
            B::CellReplace(refcell) => {
                let new = arg(1)?;
                if refcell {
                    let f = flag(self);
                    self.check_borrow(f, true, &[c, new])?;
                }
                let old = self.get_field(ty, CELL_VALUE, c, vt);
                self.set_field(ty, CELL_VALUE, c, new);
                old
            }
            _ => return Err("internal error: not a cell method".into()),
        })
    }

    /// Panics as `RefCell` does unless a borrow may start with flag `f`.
    fn check_borrow(&mut self, f: LLValue, mutable: bool, keep: &[LLValue]) -> LResult<()> {
        let (cmp, msg): (Cmp, &[u8]) = if mutable {
            (Cmp::Eq, b"RefCell already borrowed")
        } else {
            (Cmp::Ge, b"RefCell already mutably borrowed")
        };
        let ok = self.emit(
            LLOpKind::IntCmp(cmp),
            vec![f, Self::int(0, IntTy::I64)],
            LLType::Bool,
        );
        let msg = LLValue::Const(LLConst::Prebuilt(self.reprs.str_const(msg)));
        self.emit_cold(ok, keep, |me| {
            let loc = me.loc();
            me.call("rr_panic_str", vec![msg, loc], LLType::Void);
            Ok(())
        })
    }
}
