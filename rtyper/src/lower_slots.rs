//! Element places (annotator/src/slots.rs): a `Vec` slot is an index, a
//! `HashMap` slot the index of its entry in the runtime's table.

use crate::build::{LResult, Lowerer};
use crate::llgraph::*;
use crate::lltype::LLType;
use crate::repr::*;
use annotator::{Builtin, SomeValue};
use flowspace::model::IntTy;

const USIZE: LLType = LLType::Int(IntTy::Usize);

impl Lowerer<'_, '_> {
    pub(crate) fn lower_slot_method(
        &mut self,
        bi: Builtin,
        recv: &SomeValue,
        res_ann: &SomeValue,
        res_ty: LLType,
        args: &[LLValue],
    ) -> LResult<LLValue> {
        use Builtin as B;
        let arg = |k: usize| -> LResult<LLValue> {
            args.get(k)
                .copied()
                .ok_or_else(|| "internal error: missing argument".to_string())
        };
        let list = |me: &mut Self| -> LResult<ListRepr> {
            match recv {
                SomeValue::List(l) => me.reprs.list_repr(*l),
                _ => Err("internal error: a list slot of a non-list".into()),
            }
        };
        let dict_value = |me: &Self| -> LResult<SomeValue> {
            match recv {
                SomeValue::Dict(d) => Ok(me
                    .reprs
                    .anns
                    .dictdef(*d)
                    .map(|x| x.value.clone())
                    .unwrap_or(SomeValue::Impossible)),
                _ => Err("internal error: a map slot of a non-map".into()),
            }
        };
        Ok(match bi {
            B::SlotIdentity => arg(1)?,
            B::ListSlotLast => {
                let lr = list(self)?;
                let len = self.get_field(lr.list, LIST_LENGTH, arg(0)?, USIZE);
                // Wrapping: an empty list's slot is out of range.
                self.emit(
                    LLOpKind::IntSub,
                    vec![len, Self::int(1, IntTy::Usize)],
                    USIZE,
                )
            }
            B::ListSlotGet => {
                let lr = list(self)?;
                let items = self.checked_items(lr, arg(0)?, arg(1)?);
                self.emit(
                    LLOpKind::GetArrayItem(lr.array),
                    vec![items, arg(1)?],
                    lr.item,
                )
            }
            B::ListSlotSet => {
                let lr = list(self)?;
                let items = self.checked_items(lr, arg(0)?, arg(1)?);
                self.emit(
                    LLOpKind::SetArrayItem(lr.array),
                    vec![items, arg(1)?, arg(2)?],
                    LLType::Void,
                );
                LLValue::Const(LLConst::Void)
            }
            B::DictSlotOf => {
                let k = self.word_of(arg(1)?)?;
                self.call("rr_dict_lookup", vec![arg(0)?, k], LLType::Int(IntTy::I64))
            }
            B::DictSlotOpt => self.dict_slot_opt(arg(0)?, arg(1)?, res_ann, res_ty)?,
            B::DictSlotGet => {
                let va = dict_value(self)?;
                let vt = self.reprs.ll(&va)?;
                self.call_returning_word("rr_dict_value", vec![arg(0)?, arg(1)?], vt)?
            }
            B::DictSlotSet => {
                let v = self.word_of(arg(2)?)?;
                self.call("rr_dict_set_value", vec![arg(0)?, arg(1)?, v], LLType::Void);
                LLValue::Const(LLConst::Void)
            }
            B::DictEntry | B::DictEntryDefault => {
                let v = if bi == B::DictEntry {
                    arg(2)?
                } else {
                    let va = dict_value(self)?;
                    self.default_of(&va)?
                };
                let (k, v) = (self.word_of(arg(1)?)?, self.word_of(v)?);
                self.call(
                    "rr_dict_entry",
                    vec![arg(0)?, k, v],
                    LLType::Int(IntTy::I64),
                )
            }
            _ => return Err("internal error: not a slot method".into()),
        })
    }

    /// `Some(value)` of map `d`'s entry `idx`, or `None` when `idx` is -1
    /// (`map.get(k)` and `map.get_mut(k)`).
    pub(crate) fn dict_slot_opt(
        &mut self,
        d: LLValue,
        idx: LLValue,
        res_ann: &SomeValue,
        res_ty: LLType,
    ) -> LResult<LLValue> {
        let SomeValue::Option(vann) = res_ann.clone() else {
            return Err("internal error: a map read without an Option result".into());
        };
        let vt = self.reprs.ll(&vann)?;
        let found = self.emit(
            LLOpKind::IntCmp(Cmp::Ge),
            vec![idx, Self::int(0, IntTy::I64)],
            LLType::Bool,
        );
        let vann2 = vann.clone();
        self.emit_select(
            found,
            &[d, idx],
            res_ty,
            |me| {
                let v = me.call_returning_word("rr_dict_value", vec![d, idx], vt)?;
                me.make_some(&vann, v)
            },
            |me| me.make_none(&vann2),
        )
    }

    /// `Default::default()` of a scalar or string value.
    fn default_of(&mut self, a: &SomeValue) -> LResult<LLValue> {
        Ok(match self.reprs.ll(a)? {
            LLType::Int(t) => Self::int(0, t),
            LLType::Bool => LLValue::Const(LLConst::Bool(false)),
            LLType::Char => LLValue::Const(LLConst::Char('\0')),
            LLType::Float => LLValue::Const(LLConst::Float(0.0)),
            LLType::Void => LLValue::Const(LLConst::Void),
            LLType::Ptr(_) if matches!(a, SomeValue::Str { .. }) => self.new_string(),
            LLType::Ptr(_) => return Err("`or_default()` of this value type".into()),
        })
    }
}

impl Lowerer<'_, '_> {
    /// A map's keys, values or `(key, value)` pairs as a new list: every
    /// slot of the table in order, the live ones pushed.
    pub(crate) fn lower_dict_walk(
        &mut self,
        walk: annotator::Walk,
        recv: &SomeValue,
        res_ann: &SomeValue,
        d: LLValue,
    ) -> LResult<LLValue> {
        let SomeValue::Dict(dd) = recv else {
            return Err("internal error: a walk of a non-map".into());
        };
        let SomeValue::List(l) = res_ann else {
            return Err("internal error: a map walk without a list".into());
        };
        let lr = self.reprs.list_repr(*l)?;
        let def = self.reprs.anns.dictdef(*dd).cloned();
        let (ka, va) = match def {
            Some(x) => (x.key, x.value),
            None => return Err("internal error: a map without a definition".into()),
        };
        let (kt, vt) = (self.reprs.ll(&ka)?, self.reprs.ll(&va)?);
        let pair_ty = match walk {
            annotator::Walk::Pairs => Some(self.reprs.tuple_type(&[kt, vt])),
            _ => None,
        };
        let u64c = |n: i64| Self::int(n, IntTy::U64);
        let list = self.call(
            "rr_list_new",
            vec![
                u64c(lr.list.as_u32() as i64),
                u64c(lr.array.as_u32() as i64),
                u64c(lr.item.size() as i64),
                Self::int(0, IntTy::Usize),
            ],
            LLType::Ptr(lr.list),
        );
        let cap = self.call("rr_dict_capacity", vec![d], LLType::Int(IntTy::U64));
        let cap = self.emit(LLOpKind::Cast, vec![cap], USIZE);
        self.emit_counted_loop(cap, &[d, list], |me, iu| {
            // Every value the body's branches (the live test, `push`'s
            // growth) must carry, the loop's own index included.
            me.with_live(&[d, list, iu, cap], |me| {
                let i = me.emit(LLOpKind::Cast, vec![iu], LLType::Int(IntTy::I64));
                let live = me.call("rr_dict_live", vec![d, i], LLType::Int(IntTy::U8));
                let live = me.emit(
                    LLOpKind::IntCmp(Cmp::Ne),
                    vec![live, Self::int(0, IntTy::U8)],
                    LLType::Bool,
                );
                me.with_live(&[i], |me| {
                    me.emit_if(live, &[], |me| {
                        let item = match walk {
                            annotator::Walk::Keys => {
                                me.call_returning_word("rr_dict_key", vec![d, i], kt)?
                            }
                            annotator::Walk::Values => {
                                me.call_returning_word("rr_dict_value", vec![d, i], vt)?
                            }
                            annotator::Walk::Pairs => {
                                // Allocate first: the key and value are read
                                // from the (never moving) map after any collection.
                                let ty = pair_ty.ok_or("internal error: no pair type")?;
                                let obj = me.emit(LLOpKind::Malloc(ty), vec![], LLType::Ptr(ty));
                                let k = me.call_returning_word("rr_dict_key", vec![d, i], kt)?;
                                let v = me.call_returning_word("rr_dict_value", vec![d, i], vt)?;
                                me.set_field(ty, 0, obj, k);
                                me.set_field(ty, 1, obj, v);
                                obj
                            }
                        };
                        me.push(lr, list, item)
                    })
                })
            })
        })?;
        Ok(list)
    }
}
