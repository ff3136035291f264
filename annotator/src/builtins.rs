//! What a `MethodCall` or `CallPath` resolved to, and the annotation rules
//! of the std surface RRust supports.

use crate::engine::{Annotator, OpError};
use crate::model::{BuiltinObj, IntKind, SomeValue};
use flowspace::model::{GraphId, IntTy, Op, Ty};

/// The resolution of one call-like operation, recorded in
/// `Annotations::resolutions` under (graph, result variable).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Resolution {
    /// A method of a user struct (the receiver is the first argument).
    UserMethod(GraphId),
    /// The instance a call of a generic function goes to (`generics.rs`).
    Instance(GraphId),
    /// `f.__call(args)` (a lifted `f(args)`) where `f` is a function item
    /// passed as a value: a call of that function with `args`.
    FuncValue(GraphId),
    /// A method call on a `dyn Trait` value: the method of each type it
    /// may be is in `Annotations::dyn_calls`.
    DynMethod,
    Builtin(Builtin),
}

/// The std operations RRust lowers. Names say receiver and method.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Builtin {
    // Vec<T> / &[T]
    ListLen,
    ListIsEmpty,
    ListPush,
    ListPop,
    ListClear,
    ListGet,
    ListClone,
    ListLast,
    ListFirst,
    ListSwap,
    /// `v.drain(..)`: a new list of the items; `v` is left empty.
    ListDrainAll,
    /// `sort()`/`sort_unstable()` of numbers, `bool`s, `char`s or strings.
    ListSort,
    /// `insert(i, x)`, `remove(i)` (std's panics), `reverse()`, `truncate(n)`.
    ListInsert,
    ListRemove,
    ListReverse,
    ListTruncate,
    /// A `HashMap`'s keys, values or `(key, value)` pairs as a new list
    /// (`keys()`, `values()`, `iter()`, `for .. in &map`), in the order of
    /// the table's slots.
    DictWalk(crate::map_walk::Walk),
    /// The element places of `annotator/src/slots.rs`: a `Vec`'s slot is
    /// its index (`SlotIdentity`: the argument itself), `len - 1` for
    /// `last_mut` (wrapping); read and write with bounds checks.
    SlotIdentity,
    ListSlotLast,
    ListSlotGet,
    ListSlotSet,
    /// A `HashMap`'s slot: the entry's index (-1 when absent); `Some` of
    /// its value or `None`; read and write its value; insert when absent
    /// (with the given value or the value type's default) and give the slot.
    DictSlotOf,
    DictSlotOpt,
    DictSlotGet,
    DictSlotSet,
    DictEntry,
    DictEntryDefault,
    /// `v.contains(&x)`: `==` with each item in turn, up to the first equal.
    ListContains,
    // Option / Result methods taking a closure (or a function), called
    // through `Annotations::closure_calls`.
    OptionMap,
    OptionAndThen,
    OptionUnwrapOrElse,
    OptionMapOr,
    OptionOkOrElse,
    ResultMap,
    ResultMapErr,
    ResultAndThen,
    ResultUnwrapOrElse,
    // String / &str
    StrLen,
    StrIsEmpty,
    StrPush,
    StrPushStr,
    /// `f.write_str(s)` and `write!(f, ..)` on a `Formatter` or `String`:
    /// appends; the result is `Ok(())` of `fmt::Result`.
    StrWriteStr,
    StrAsBytes,
    /// `clone`, `to_string`, `to_owned` on a string: a fresh copy.
    StrClone,
    /// `as_str`: the same object.
    StrAsStr,
    /// `starts_with`, `ends_with`, `contains` with a `&str` pattern: the
    /// runtime function's name.
    StrTest(&'static str),
    /// The same with a `char` pattern (made a one-char string first).
    StrTestChar(&'static str),
    /// `trim*`, `to_lowercase`, `to_uppercase`, `to_ascii_*case`: a new
    /// string (`rr_str_map`'s `how`).
    StrMap(u8),
    /// `split_whitespace()`: the words as a new `Vec` (what `for` loops
    /// over).
    StrSplitWhitespace,
    /// `lines()`, `split(&str)`: the pieces as a new `Vec` (for `for`).
    StrLines,
    StrSplit,
    /// `split(c)` with a `char` pattern (made a one-char string first).
    StrSplitChar,
    /// `trim_matches`, `trim_start_matches`, `trim_end_matches` (how 0, 1,
    /// 2); `char_pattern` when the pattern is a `char`.
    StrTrimMatches {
        how: u8,
        char_pattern: bool,
    },
    StrReplace,
    StrRepeat,
    /// `chars()`: the chars as a new `Vec<char>` (what `for` loops over).
    StrChars,
    /// `parse::<T>()` to an integer type: `Result<T, ParseIntError>`.
    StrParseInt(IntTy),
    /// `parse::<f64>()`: `Result<f64, ParseFloatError>`.
    StrParseFloat,
    // HashMap<K, V>
    DictInsert,
    DictGet,
    DictContainsKey,
    DictRemove,
    DictLen,
    // Option<T>
    OptionUnwrap,
    OptionExpect,
    OptionIsSome,
    OptionIsNone,
    OptionUnwrapOr,
    /// `o.ok_or(e)`: `Result<T, E>`.
    OptionOkOr,
    /// `r.ok()` / `r.err()`: `Option<T>` / `Option<E>`.
    ResultOk,
    ResultErr,
    ResultUnwrapOr,
    // Result<T, io::Error>
    ResultUnwrap,
    ResultExpect,
    ResultIsOk,
    ResultIsErr,
    // integers
    /// `T::try_from(x)` of an integer: `Result<T, TryFromIntError>`.
    IntTryFrom(IntTy),
    /// `checked_*` (an `Option`), `saturating_*`, `pow`/`wrapping_pow`,
    /// `wrapping_neg` (annotator/src/int_methods.rs).
    IntChecked(crate::int_methods::IntArith),
    IntSaturating(crate::int_methods::IntArith),
    IntWrappingPow,
    IntWrappingNeg,
    IntWrappingAdd,
    IntWrappingSub,
    IntWrappingMul,
    /// `a.wrapping_div(b)`, `a.wrapping_rem(b)`: `MIN / -1` wraps (to
    /// `MIN`, remainder 0); a zero divisor panics as `/` does.
    IntWrappingDiv,
    IntWrappingRem,
    IntMin,
    IntMax,
    IntAbs,
    /// `to_string` on an integer or a char (Display).
    ToString,
    /// `is_ascii_*` on a `u8` or a `char`.
    AsciiClass(AsciiClass),
    /// `c.is_whitespace()` and the other Unicode classes of `char`
    /// (`rr_char_class`, the code of `unicode_class`).
    CharClass(u64),
    /// `c.to_ascii_uppercase()` (true) or `to_ascii_lowercase()`.
    CharAsciiCase(bool),
    /// `c.to_digit(radix)`, a constant radix in 2..=36.
    CharToDigit(u32),
    /// `x.sqrt()` and the other `f64 -> f64` methods (`rr_f64_unary`, the
    /// code of `float_unary`).
    FloatUnary(u64),
    /// `x.powf(y)`, `x.min(y)`, .. (`rr_f64_binary`).
    FloatBinary(u64),
    /// `x.is_nan()`, .. (`rr_f64_test`).
    FloatTest(u64),
    /// `x.powi(n)`.
    FloatPowi,
    // I/O objects
    ArgsCollect,
    StdinRead,
    StdinReadLine,
    StdinReadToString,
    WriteAll,
    Flush,
    // paths
    VecNew,
    StringNew,
    StringFrom,
    HashMapNew,
    EnvArgs,
    FsRead,
    FsReadToString,
    ProcessExit,
    /// `Box::new(x)`: the value itself.
    Identity,
    /// `RefCell::new(x)`, `Cell::new(x)`: a new cell holding `x`.
    CellNew,
    /// `c.borrow()` (false) / `c.borrow_mut()` (true): checks and sets the
    /// borrow flag, gives the value.
    CellBorrow(bool),
    /// The end of a borrow (frontend/borrows.rs puts it where Rust drops
    /// the guard).
    CellRelease(bool),
    /// The value in a cell, no flag involved (`Cell::get`, through a
    /// guard, `get_mut`, `into_inner`).
    CellGet,
    /// Stores into a cell (`Cell::set`, `*g = x` through a guard).
    CellSet,
    /// `c.replace(x)`: the old value; for a `RefCell` (true) a mutable
    /// borrow for the moment.
    CellReplace(bool),
    /// Is the `RefCell` borrowed mutably (its `Debug` then shows
    /// `<borrowed>`)?
    CellBorrowedMut,
    /// `Rc::ptr_eq(&a, &b)`.
    RcPtrEq,
    /// `words.join(sep)` / `words.concat()` of a `Vec<String>`.
    ListJoin,
    /// `v.clone()` of items with a `Clone` method: a copy, then each item
    /// replaced by its clone.
    ListCloneEach(flowspace::model::GraphId),
    /// `rrlib::jit::promote(x)`: the value itself, a constant in JIT
    /// traces.
    Promote,
    /// `rrlib::jit::we_are_jitted()`: false in AOT code, true in jitcodes.
    WeAreJitted,
    /// `rrlib::gc::identity_hash(&obj)`: the object's identity hash (u64).
    IdentityHash,
    /// `std::cmp::min` / `max`.
    CmpMin,
    CmpMax,
    Stdin,
    Stdout,
    Stderr,
}

/// The `is_ascii_*` predicates RRust lowers inline.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum AsciiClass {
    Digit,
    Alphabetic,
    Alphanumeric,
    Whitespace,
    Uppercase,
    Lowercase,
}

const FLOAT_METHODS: &str = "to_string, sqrt, abs, floor, ceil, round, trunc, fract, exp, ln, \
    log10, log2, sin, cos, tan, signum, powi, powf, min, max, atan2, hypot, is_nan, is_finite, \
    is_infinite, is_sign_negative";

/// The code `rr_f64_unary` takes for an `f64 -> f64` method.
fn float_unary(name: &str) -> Option<u64> {
    let names = [
        "sqrt", "abs", "floor", "ceil", "round", "trunc", "fract", "exp", "ln", "log10", "log2",
        "sin", "cos", "tan", "signum",
    ];
    names.iter().position(|n| *n == name).map(|i| i as u64)
}

/// The code `rr_f64_binary` takes for an `(f64, f64) -> f64` method.
fn float_binary(name: &str) -> Option<u64> {
    let names = ["powf", "min", "max", "atan2", "hypot"];
    names.iter().position(|n| *n == name).map(|i| i as u64)
}

/// The code `rr_f64_test` takes for an `f64 -> bool` method.
fn float_test(name: &str) -> Option<u64> {
    let names = ["is_nan", "is_finite", "is_infinite", "is_sign_negative"];
    names.iter().position(|n| *n == name).map(|i| i as u64)
}

/// The code `rr_char_class` takes for a Unicode class method of `char`.
fn unicode_class(name: &str) -> Option<u64> {
    Some(match name {
        "is_whitespace" => 0,
        "is_alphabetic" => 1,
        "is_numeric" => 2,
        "is_alphanumeric" => 3,
        "is_uppercase" => 4,
        "is_lowercase" => 5,
        "is_control" => 6,
        _ => return None,
    })
}

impl AsciiClass {
    fn from_method(name: &str) -> Option<AsciiClass> {
        Some(match name {
            "is_ascii_digit" => AsciiClass::Digit,
            "is_ascii_alphabetic" => AsciiClass::Alphabetic,
            "is_ascii_alphanumeric" => AsciiClass::Alphanumeric,
            "is_ascii_whitespace" => AsciiClass::Whitespace,
            "is_ascii_uppercase" => AsciiClass::Uppercase,
            "is_ascii_lowercase" => AsciiClass::Lowercase,
            _ => return None,
        })
    }
}

const LIST_METHODS: &str =
    "len, is_empty, push, pop, clear, get, first, last, get_mut, first_mut, last_mut, swap, \
     drain(..), insert, remove, reverse, truncate, sort and sort_unstable (of numbers, chars \
     and strings), contains, clone, to_vec, \
     join and concat (of strings)";
const STR_METHODS: &str = "len, is_empty, push, push_str, as_bytes, clone, to_string, to_owned, \
     as_str, starts_with, ends_with, contains, trim, trim_start, trim_end, to_lowercase, \
     to_uppercase, to_ascii_lowercase, to_ascii_uppercase, trim_matches, trim_start_matches, \
     trim_end_matches, replace, repeat, parse::<integer>, into, chars, lines, \
     split and split_whitespace (in `for`, or with `nth`, `next`, `count`)";
/// Iterator methods (a `for` over the sequence does what they would).
const ITERATOR_METHODS: &[&str] = &[
    "next",
    "count",
    "collect",
    "map",
    "filter",
    "nth",
    "peekable",
    "skip",
    "take",
    "zip",
    "sum",
    "fold",
    "any",
    "all",
    "position",
    "find",
    "for_each",
    "rev",
    "enumerate",
];
const DICT_METHODS: &str =
    "insert, get, get_mut, entry(k).or_insert(..), contains_key, remove, len, keys, values, iter";
const ITERATOR_CHAIN_HELP: &str = "write the chain in one expression from `v.iter()`, \
    `s.chars()`, a range and the like: the adapters `map`, `filter`, `filter_map`, \
    `enumerate`, `skip`, `take`, `cloned`, `copied`, then `collect`, `sum`, `count`, `any`, \
    `all`, `position`, `find`, `max`, `min`, `last`, `fold` or `for_each`, or loop over it \
    with `for`";

const OPTION_METHODS: &str = "unwrap, expect, is_some, is_none, unwrap_or, ok_or, copied, \
    cloned, map, and_then, unwrap_or_else, map_or, ok_or_else";
const RESULT_METHODS: &str =
    "unwrap, expect, is_ok, is_err, ok, err, unwrap_or, map, map_err, and_then, unwrap_or_else";
const INT_METHODS: &str =
    "wrapping_add, wrapping_sub, wrapping_mul, wrapping_div, wrapping_rem, wrapping_neg, \
     wrapping_pow, pow, checked_add, checked_sub, checked_mul, checked_div, checked_rem, \
     checked_neg, checked_abs, checked_pow, saturating_add, saturating_sub, min, max, abs, \
     to_string, is_ascii_* (on u8)";
const CHAR_METHODS: &str =
    "to_string, is_ascii_digit, is_ascii_alphabetic, is_ascii_alphanumeric, \
     is_ascii_whitespace, is_ascii_uppercase, is_ascii_lowercase, is_whitespace, \
     is_alphabetic, is_numeric, is_alphanumeric, is_uppercase, is_lowercase, is_control, \
     to_ascii_uppercase, to_ascii_lowercase, to_digit";

impl Annotator<'_> {
    /// A call of the closure (or function) `f` with `args`, made by a std
    /// method (`o.map(f)`): flows the arguments into it, records the graph
    /// called for the rtyper, and gives its result.
    pub(crate) fn closure_call(
        &mut self,
        g: GraphId,
        op: &Op,
        f: &SomeValue,
        args: &[SomeValue],
    ) -> Result<SomeValue, OpError> {
        let (target, with_recv) = match f {
            SomeValue::Instance(s) => match self.prog.method(*s, "__call") {
                Some(m) => (m, true),
                None => {
                    return Err(OpError::new(format!(
                        "expected a closure, found `{}`",
                        self.describe(f)
                    )))
                }
            },
            SomeValue::Func(fun) => (*fun, false),
            // Not known yet: nothing flows until it is.
            SomeValue::Impossible => return Ok(SomeValue::Impossible),
            other => {
                return Err(OpError::new(format!(
                    "expected a closure, found `{}`",
                    self.describe(other)
                ))
                .help("pass a closure (`|x| x + 1`) or the name of a function"))
            }
        };
        let mut all = Vec::with_capacity(args.len() + 1);
        if with_recv {
            all.push(f.clone());
        }
        all.extend_from_slice(args);
        let Some(m) = self.instance_of(target, &all)? else {
            return Ok(SomeValue::Impossible);
        };
        self.flow_into_params(m, &all)?;
        self.closure_calls.insert((g, op.result), (m, with_recv));
        Ok(self.rets.get(&m).cloned().unwrap_or(SomeValue::Impossible))
    }

    /// `v.contains(&x)` on items annotated `item`: `x` must be such an item,
    /// and items must compare with `==` as Rust does (scalars, strings,
    /// types with a derived or written `PartialEq`).
    fn list_contains(
        &mut self,
        _g: GraphId,
        _op: &Op,
        item: &SomeValue,
        x: &SomeValue,
    ) -> Result<(), OpError> {
        let both = self
            .union(item, x)
            .map_err(|m| OpError::new(format!("`contains` of a value that is not an item: {m}")))?;
        match &both {
            SomeValue::Impossible
            | SomeValue::Int { .. }
            | SomeValue::Bool { .. }
            | SomeValue::Char
            | SomeValue::Float
            | SomeValue::Str { .. } => Ok(()),
            SomeValue::Instance(s) if self.is_fieldless_enum(*s) => Ok(()),
            SomeValue::Instance(s) => {
                let Some(m) = self.prog.method(*s, flowspace::model::DERIVED_EQ) else {
                    return Err(OpError::new(format!(
                        "`{}` cannot be compared with `==`: it does not derive `PartialEq`",
                        self.describe(&both)
                    ))
                    .help("add `#[derive(PartialEq)]` to it, as rustc also asks"));
                };
                self.flow_into_params(m, &[both.clone(), both.clone()])
            }
            other => Err(OpError::new(format!(
                "`contains` on a `Vec<{}>` is not supported yet",
                self.describe(other)
            ))
            .help("loop over the items and compare each: `for y in &v { if *y == x { .. } }`")),
        }
    }

    /// Annotates `receiver.name(args)` for a receiver that is not a user
    /// struct; returns the result and records the resolution.
    pub(crate) fn builtin_method(
        &mut self,
        g: GraphId,
        op: &Op,
        name: &str,
        recv: &SomeValue,
        args: &[SomeValue],
    ) -> Result<(Builtin, SomeValue), OpError> {
        use Builtin as B;
        if let Some(r) = self.slot_method(name, recv, args) {
            return r;
        }
        if let Some(r) = self.map_walk(g, op, name, recv, args) {
            return r;
        }
        let nargs = |n: usize| -> Result<(), OpError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(OpError::new(format!(
                    "method `{name}` takes {n} argument(s) but {} were given",
                    args.len()
                )))
            }
        };
        // `x.clone()` of a scalar (derived `Clone` writes it for each field).
        if name == "clone"
            && args.is_empty()
            && matches!(
                recv,
                SomeValue::Int { .. } | SomeValue::Float | SomeValue::Bool { .. } | SomeValue::Char
            )
        {
            return Ok((B::Identity, recv.clone()));
        }
        match recv {
            // The `Rc` itself (its value was seen through for any other
            // method): the same object.
            SomeValue::Rc(_) if name == "clone" => {
                nargs(0)?;
                return Ok((B::Identity, recv.clone()));
            }
            SomeValue::RefCell(l) | SomeValue::Cell(l) => {
                return self.cell_method(matches!(recv, SomeValue::RefCell(_)), *l, name, args)
            }
            _ => {}
        }
        let unsupported = |what: &str, list: &str| {
            OpError::new(format!(
                "method `{name}` of `{what}` is not supported by RRust"
            ))
            .help(format!("supported methods here: {list}"))
        };
        let usize_ann = SomeValue::Int {
            kind: IntKind::Ty(IntTy::Usize),
            nonneg: true,
            konst: None,
        };
        match recv {
            SomeValue::List(l) => {
                let l = *l;
                let item = self.list_item(l);
                match name {
                    "len" => {
                        nargs(0)?;
                        Ok((B::ListLen, usize_ann))
                    }
                    "is_empty" => {
                        nargs(0)?;
                        Ok((B::ListIsEmpty, SomeValue::bool()))
                    }
                    "push" => {
                        nargs(1)?;
                        self.list_union_item(l, &args[0])?;
                        self.list_flags(l, true, false);
                        Ok((B::ListPush, SomeValue::Unit))
                    }
                    "insert" => {
                        nargs(2)?;
                        self.expect_int(&args[0], IntTy::Usize)?;
                        self.list_union_item(l, &args[1])?;
                        self.list_flags(l, true, false);
                        Ok((B::ListInsert, SomeValue::Unit))
                    }
                    "remove" => {
                        nargs(1)?;
                        self.expect_int(&args[0], IntTy::Usize)?;
                        if matches!(item, SomeValue::Float) {
                            return Err(OpError::new(
                                "`remove` on a `Vec<f64>` is not supported yet",
                            )
                            .help("read `v[i]` first, then shift the items after it down by hand"));
                        }
                        self.list_flags(l, true, false);
                        Ok((B::ListRemove, item))
                    }
                    "reverse" => {
                        nargs(0)?;
                        self.list_flags(l, false, true);
                        Ok((B::ListReverse, SomeValue::Unit))
                    }
                    "truncate" => {
                        nargs(1)?;
                        self.expect_int(&args[0], IntTy::Usize)?;
                        self.list_flags(l, true, false);
                        Ok((B::ListTruncate, SomeValue::Unit))
                    }
                    "sort" | "sort_unstable" => {
                        nargs(0)?;
                        if !matches!(
                            item,
                            SomeValue::Int { .. }
                                | SomeValue::Bool { .. }
                                | SomeValue::Char
                                | SomeValue::Str { .. }
                                | SomeValue::Impossible
                        ) {
                            return Err(OpError::new(format!(
                                "`sort` of a `Vec<{}>` is not supported yet",
                                self.describe(&item)
                            ))
                            .help("sort a `Vec` of numbers, `char`s or strings (of keys, say), or sort by hand"));
                        }
                        self.list_flags(l, false, true);
                        Ok((B::ListSort, SomeValue::Unit))
                    }
                    "__drain_all" => {
                        nargs(0)?;
                        self.list_flags(l, true, false);
                        let copy = self.site_list(g, op.result, 0, SomeValue::Impossible);
                        self.list_union_item(copy, &item)?;
                        Ok((B::ListDrainAll, SomeValue::List(copy)))
                    }
                    "pop" => {
                        nargs(0)?;
                        self.list_flags(l, true, false);
                        Ok((B::ListPop, SomeValue::Option(Box::new(item))))
                    }
                    "clear" => {
                        nargs(0)?;
                        self.list_flags(l, true, false);
                        Ok((B::ListClear, SomeValue::Unit))
                    }
                    "get" => {
                        nargs(1)?;
                        self.expect_int(&args[0], IntTy::Usize)?;
                        Ok((B::ListGet, SomeValue::Option(Box::new(item))))
                    }
                    "last" => {
                        nargs(0)?;
                        Ok((B::ListLast, SomeValue::Option(Box::new(item))))
                    }
                    // `s.chars().nth(i)`, `.next()`, `.count()` right on a
                    // fresh sequence of the pieces (frontend/calls.rs).
                    "__seq_nth" => {
                        nargs(1)?;
                        self.expect_int(&args[0], IntTy::Usize)?;
                        Ok((B::ListGet, SomeValue::Option(Box::new(item))))
                    }
                    "__seq_next" => {
                        nargs(0)?;
                        Ok((B::ListFirst, SomeValue::Option(Box::new(item))))
                    }
                    "__seq_count" => {
                        nargs(0)?;
                        Ok((B::ListLen, usize_ann))
                    }
                    "first" => {
                        nargs(0)?;
                        Ok((B::ListFirst, SomeValue::Option(Box::new(item))))
                    }
                    "contains" => {
                        nargs(1)?;
                        self.list_contains(g, op, &item, &args[0])?;
                        Ok((B::ListContains, SomeValue::bool()))
                    }
                    "swap" => {
                        nargs(2)?;
                        self.expect_int(&args[0], IntTy::Usize)?;
                        self.expect_int(&args[1], IntTy::Usize)?;
                        self.list_flags(l, false, true);
                        Ok((B::ListSwap, SomeValue::Unit))
                    }
                    "as_slice" | "as_mut_slice" => {
                        nargs(0)?;
                        Ok((B::Identity, recv.clone()))
                    }
                    "join" | "concat" if matches!(item, SomeValue::Str { .. }) => {
                        if name == "join" {
                            nargs(1)?;
                            self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
                        } else {
                            nargs(0)?;
                        }
                        Ok((B::ListJoin, SomeValue::string()))
                    }
                    "clone" | "to_vec" => {
                        nargs(0)?;
                        // Items with a derived or written `Clone`: each is
                        // cloned by it, as `Vec::clone` does.
                        if let SomeValue::Instance(s) = item {
                            if !self.is_copy_value(&s) && !self.is_fieldless_enum(s) {
                                let m = match self.user_method(s, "clone") {
                                    Ok(m) => m,
                                    Err(_) => self
                                        .prog
                                        .method(s, flowspace::model::DERIVED_CLONE)
                                        .ok_or_else(|| {
                                            OpError::new(format!(
                                                "`{}` cannot be cloned: it does not derive `Clone`",
                                                self.describe(&item)
                                            ))
                                            .help("add `#[derive(Clone)]` to it, as rustc also asks")
                                        })?,
                                };
                                self.flow_into_params(m, std::slice::from_ref(&item))?;
                                let r = self.rets.get(&m).cloned().unwrap_or(SomeValue::Impossible);
                                let copy = self.site_list(g, op.result, 0, SomeValue::Impossible);
                                self.list_union_item(copy, &r)?;
                                return Ok((B::ListCloneEach(m), SomeValue::List(copy)));
                            }
                        }
                        // Items of a `Copy` enum are never written, so
                        // the copy may share them.
                        let shared_ok = matches!(&item, SomeValue::Instance(s) if self.is_copy_value(s))
                            || (name == "clone" && matches!(item, SomeValue::Str { owned: true }))
                            // Cloning an `Rc` shares its value.
                            || matches!(item, SomeValue::Rc(_));
                        if item.is_heap() && !shared_ok {
                            return Err(OpError::new(format!(
                                "`{name}` of a list of `{}` is not supported",
                                self.describe(&item)
                            ))
                            .help("a shallow copy would share the items; build the new list with a loop"));
                        }
                        // A copy has its own def (its own `mutated` flag),
                        // with the same item type.
                        let copy = self.site_list(g, op.result, 0, SomeValue::Impossible);
                        self.list_union_item(copy, &item)?;
                        Ok((B::ListClone, SomeValue::List(copy)))
                    }
                    // Chains the frontend rewrote into loops
                    // (frontend/iterchains.rs) never reach here; an iterator
                    // kept as a value, or another adapter, does.
                    "iter" | "iter_mut" | "into_iter" => Err(OpError::new(format!(
                        "this use of `{name}()` is not supported by RRust yet: an iterator \
                         works in a `for` loop or a chain ending in a consumer"
                    ))
                    .help(ITERATOR_CHAIN_HELP)),
                    // `s.chars().next()`, `s.split_whitespace().count()`:
                    // those sequences are `Vec`s here, so say what works.
                    _ if ITERATOR_METHODS.contains(&name) => Err(OpError::new(format!(
                        "`{name}` on an iterator or a `Vec` is not supported by RRust"
                    ))
                    .help(ITERATOR_CHAIN_HELP)),
                    _ => Err(unsupported("Vec", LIST_METHODS)),
                }
            }
            SomeValue::Str { .. } => match name {
                "len" => {
                    nargs(0)?;
                    Ok((B::StrLen, usize_ann))
                }
                "is_empty" => {
                    nargs(0)?;
                    Ok((B::StrIsEmpty, SomeValue::bool()))
                }
                "push" => {
                    nargs(1)?;
                    self.expect_shape(&args[0], &SomeValue::Char, "char")?;
                    Ok((B::StrPush, SomeValue::Unit))
                }
                "push_str" => {
                    nargs(1)?;
                    self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
                    Ok((B::StrPushStr, SomeValue::Unit))
                }
                "write_str" => {
                    nargs(1)?;
                    self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
                    Ok((
                        B::StrWriteStr,
                        SomeValue::Result(Box::new(SomeValue::Unit), Box::new(SomeValue::FmtError)),
                    ))
                }
                "as_bytes" => {
                    nargs(0)?;
                    let l = self.site_list(g, op.result, 0, SomeValue::int(IntTy::U8));
                    Ok((B::StrAsBytes, SomeValue::List(l)))
                }
                // `into()` to a `String` (the only `Into` a string has
                // here): a copy, as from a `&str`.
                "clone" | "to_string" | "to_owned" | "into" => {
                    nargs(0)?;
                    Ok((B::StrClone, SomeValue::string()))
                }
                "as_str" => {
                    nargs(0)?;
                    Ok((B::StrAsStr, SomeValue::Str { owned: false }))
                }
                "starts_with" | "ends_with" | "contains" => {
                    nargs(1)?;
                    let f = match name {
                        "starts_with" => "rr_str_starts_with",
                        "ends_with" => "rr_str_ends_with",
                        _ => "rr_str_contains",
                    };
                    if matches!(args[0], SomeValue::Char) {
                        return Ok((B::StrTestChar(f), SomeValue::bool()));
                    }
                    self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
                    Ok((B::StrTest(f), SomeValue::bool()))
                }
                "trim" | "trim_start" | "trim_end" | "to_lowercase" | "to_uppercase"
                | "to_ascii_lowercase" | "to_ascii_uppercase" => {
                    nargs(0)?;
                    // The order of `rr_str_map`'s `how` (docs/runtime-abi.md).
                    let how = [
                        "trim",
                        "trim_start",
                        "trim_end",
                        "to_lowercase",
                        "to_uppercase",
                        "to_ascii_lowercase",
                        "to_ascii_uppercase",
                    ]
                    .iter()
                    .position(|m| *m == name)
                    .unwrap_or(0) as u8;
                    let owned = how >= 3;
                    Ok((B::StrMap(how), SomeValue::Str { owned }))
                }
                "parse" => {
                    nargs(0)?;
                    match turbofish_of(op) {
                        Some(Ty::Int(t)) => {
                            let t = *t;
                            let res = SomeValue::Result(
                                Box::new(SomeValue::int(t)),
                                Box::new(SomeValue::ParseIntError),
                            );
                            Ok((B::StrParseInt(t), res))
                        }
                        Some(Ty::F64) => {
                            let res = SomeValue::Result(
                                Box::new(SomeValue::Float),
                                Box::new(SomeValue::ParseFloatError),
                            );
                            Ok((B::StrParseFloat, res))
                        }
                        Some(_) => Err(OpError::new(
                            "`parse()` into this type is not supported yet; only integer types and `f64` are",
                        )
                        .help("parse into an integer or `f64`: `s.parse::<i64>()`")),
                        None => Err(OpError::new("`parse()` needs its type written out")
                            .help("name the type at the call: `s.parse::<i64>()`")),
                    }
                }
                "trim_matches" | "trim_start_matches" | "trim_end_matches" => {
                    nargs(1)?;
                    let char_pattern = matches!(args[0], SomeValue::Char);
                    if name == "trim_matches" && !char_pattern {
                        // As rustc: a `&str` cannot be searched from both ends.
                        return Err(OpError::new("`trim_matches` takes a `char` pattern")
                            .help("write `s.trim_matches('x')`, or trim the ends one by one: `s.trim_start_matches(\"ab\").trim_end_matches(\"ab\")`"));
                    }
                    if !char_pattern {
                        self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
                    }
                    let how = match name {
                        "trim_matches" => 0,
                        "trim_start_matches" => 1,
                        _ => 2,
                    };
                    let b = B::StrTrimMatches { how, char_pattern };
                    Ok((b, SomeValue::Str { owned: false }))
                }
                "replace" => {
                    nargs(2)?;
                    self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
                    self.expect_shape(&args[1], &SomeValue::string(), "&str")?;
                    Ok((B::StrReplace, SomeValue::string()))
                }
                "repeat" => {
                    nargs(1)?;
                    Ok((B::StrRepeat, SomeValue::string()))
                }
                "lines" | "split" => {
                    let mut char_pattern = false;
                    if name == "lines" {
                        nargs(0)?;
                    } else {
                        nargs(1)?;
                        char_pattern = matches!(args[0], SomeValue::Char);
                        if !matches!(args[0], SomeValue::Str { .. }) && !char_pattern {
                            return Err(OpError::new(
                                "`split` takes a string or `char` pattern here",
                            )
                            .help("write `s.split(\",\")` or `s.split(',')`"));
                        }
                    }
                    let piece = SomeValue::Str { owned: false };
                    let l = self.site_list(g, op.result, 0, piece);
                    let b = match (name, char_pattern) {
                        ("lines", _) => B::StrLines,
                        (_, false) => B::StrSplit,
                        (_, true) => B::StrSplitChar,
                    };
                    Ok((b, SomeValue::List(l)))
                }
                "chars" => {
                    nargs(0)?;
                    // A `Vec<char>`, as `split_whitespace` gives a `Vec`.
                    let l = self.site_list(g, op.result, 0, SomeValue::Char);
                    Ok((B::StrChars, SomeValue::List(l)))
                }
                "split_whitespace" => {
                    nargs(0)?;
                    // A `Vec` of the words: every use rustc accepts that
                    // a `Vec` also has (`for`, `last`) means the same,
                    // the others (`next`, `count`) are rejected as
                    // methods a `Vec` lacks.
                    let word = SomeValue::Str { owned: false };
                    let l = self.site_list(g, op.result, 0, word);
                    Ok((B::StrSplitWhitespace, SomeValue::List(l)))
                }
                _ => Err(unsupported("String", STR_METHODS)),
            },
            SomeValue::Dict(d) => {
                let d = *d;
                match name {
                    "insert" => {
                        nargs(2)?;
                        self.dict_union(d, &args[0], &args[1])?;
                        if self.var_used(g, op.result) {
                            return Err(OpError::new(
                                "the old value returned by `HashMap::insert` cannot be used",
                            )
                            .help("read it with `get` before the `insert`"));
                        }
                        Ok((B::DictInsert, SomeValue::Unit))
                    }
                    "get" | "contains_key" | "remove" => {
                        nargs(1)?;
                        self.dict_union(d, &args[0], &SomeValue::Impossible)?;
                        let value = self.dict_value(d);
                        match name {
                            "get" => Ok((B::DictGet, SomeValue::Option(Box::new(value)))),
                            "contains_key" => Ok((B::DictContainsKey, SomeValue::bool())),
                            _ => {
                                if self.var_used(g, op.result) {
                                    return Err(OpError::new(
                                        "the value returned by `HashMap::remove` cannot be used",
                                    )
                                    .help("read it with `get` before the `remove`"));
                                }
                                Ok((B::DictRemove, SomeValue::Unit))
                            }
                        }
                    }
                    "len" => {
                        nargs(0)?;
                        Ok((B::DictLen, usize_ann))
                    }
                    _ => Err(unsupported("HashMap", DICT_METHODS)),
                }
            }
            SomeValue::Option(inner) => match name {
                // `Option<&T>` is the same value as the `Option<T>` here
                // (objects are references, scalars are never written
                // through one).
                "as_ref" | "as_mut" | "as_deref" => {
                    nargs(0)?;
                    Ok((B::Identity, recv.clone()))
                }
                "unwrap" => {
                    nargs(0)?;
                    Ok((B::OptionUnwrap, (**inner).clone()))
                }
                "expect" => {
                    nargs(1)?;
                    self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
                    Ok((B::OptionExpect, (**inner).clone()))
                }
                "is_some" => {
                    nargs(0)?;
                    Ok((B::OptionIsSome, SomeValue::bool()))
                }
                "is_none" => {
                    nargs(0)?;
                    Ok((B::OptionIsNone, SomeValue::bool()))
                }
                "unwrap_or" => {
                    nargs(1)?;
                    let v = self.union(inner, &args[0]).map_err(OpError::new)?;
                    Ok((B::OptionUnwrapOr, v))
                }
                "ok_or" => {
                    nargs(1)?;
                    let r = SomeValue::Result(inner.clone(), Box::new(args[0].clone()));
                    Ok((B::OptionOkOr, r))
                }
                // `v.last().copied()`: an `Option<&T>` of a `Copy` scalar is
                // the same value as the `Option<T>` (scalars are values here).
                "copied" | "cloned" | "clone" => {
                    nargs(0)?;
                    match **inner {
                        SomeValue::Int { .. }
                        | SomeValue::Bool { .. }
                        | SomeValue::Char
                        | SomeValue::Float
                        | SomeValue::Impossible
                        // Cloning an `Rc` shares its value.
                        | SomeValue::Rc(_) => Ok((B::Identity, SomeValue::Option(inner.clone()))),
                        // A `Copy` enum is immutable here, so a copy may
                        // share the object.
                        SomeValue::Instance(s) if self.is_copy_value(&s) => {
                            Ok((B::Identity, SomeValue::Option(inner.clone())))
                        }
                        // `o.cloned()` of a type with a derived or written
                        // `Clone`: `o.map(|x| x.clone())`.
                        SomeValue::Instance(s) if name != "copied" => {
                            let Some(m) = self.prog.method(s, flowspace::model::DERIVED_CLONE) else {
                                return Err(OpError::new(format!(
                                    "`{}` cannot be cloned: it does not derive `Clone`",
                                    self.describe(inner)
                                ))
                                .help("add `#[derive(Clone)]` to it, as rustc also asks"));
                            };
                            self.flow_into_params(m, &[(**inner).clone()])?;
                            self.closure_calls.insert((g, op.result), (m, false));
                            let r = self.rets.get(&m).cloned().unwrap_or(SomeValue::Impossible);
                            Ok((B::OptionMap, SomeValue::Option(Box::new(r))))
                        }
                        _ => Err(OpError::new(format!(
                            "`{name}` of an `Option` of anything but a number, `bool` or `char` is not supported by RRust"
                        ))
                        .help("match on the `Option` and use the value inside by reference: `if let Some(x) = o { .. }`")),
                    }
                }
                "map" | "and_then" | "unwrap_or_else" | "ok_or_else" => {
                    nargs(1)?;
                    let x = (**inner).clone();
                    let given: Vec<SomeValue> = if matches!(name, "unwrap_or_else" | "ok_or_else") {
                        vec![]
                    } else {
                        vec![x.clone()]
                    };
                    let r = self.closure_call(g, op, &args[0], &given)?;
                    match name {
                        "map" => Ok((B::OptionMap, SomeValue::Option(Box::new(r)))),
                        "and_then" => {
                            let none = SomeValue::Option(Box::new(SomeValue::Impossible));
                            let r = self.union(&none, &r).map_err(|m| {
                                OpError::new(format!("the closure of `and_then` must return an `Option`: {m}"))
                            })?;
                            Ok((B::OptionAndThen, r))
                        }
                        "unwrap_or_else" => {
                            let v = self.union(&x, &r).map_err(OpError::new)?;
                            Ok((B::OptionUnwrapOrElse, v))
                        }
                        _ => Ok((
                            B::OptionOkOrElse,
                            SomeValue::Result(inner.clone(), Box::new(r)),
                        )),
                    }
                }
                "map_or" => {
                    nargs(2)?;
                    let r = self.closure_call(g, op, &args[1], &[(**inner).clone()])?;
                    let v = self.union(&args[0], &r).map_err(OpError::new)?;
                    Ok((B::OptionMapOr, v))
                }
                _ => Err(unsupported("Option", OPTION_METHODS)),
            },
            SomeValue::Result(ok, err) => match name {
                "unwrap" => {
                    nargs(0)?;
                    self.check_error_debug(err)?;
                    Ok((B::ResultUnwrap, (**ok).clone()))
                }
                "expect" => {
                    nargs(1)?;
                    self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
                    self.check_error_debug(err)?;
                    Ok((B::ResultExpect, (**ok).clone()))
                }
                "ok" => {
                    nargs(0)?;
                    Ok((B::ResultOk, SomeValue::Option(ok.clone())))
                }
                "err" => {
                    nargs(0)?;
                    Ok((B::ResultErr, SomeValue::Option(err.clone())))
                }
                "unwrap_or" => {
                    nargs(1)?;
                    let v = self.union(ok, &args[0]).map_err(OpError::new)?;
                    Ok((B::ResultUnwrapOr, v))
                }
                "is_ok" => {
                    nargs(0)?;
                    Ok((B::ResultIsOk, SomeValue::bool()))
                }
                "is_err" => {
                    nargs(0)?;
                    Ok((B::ResultIsErr, SomeValue::bool()))
                }
                "map" | "map_err" | "and_then" | "unwrap_or_else" => {
                    nargs(1)?;
                    let given = if matches!(name, "map_err" | "unwrap_or_else") {
                        (**err).clone()
                    } else {
                        (**ok).clone()
                    };
                    let r = self.closure_call(g, op, &args[0], &[given])?;
                    match name {
                        "map" => Ok((B::ResultMap, SomeValue::Result(Box::new(r), err.clone()))),
                        "map_err" => {
                            Ok((B::ResultMapErr, SomeValue::Result(ok.clone(), Box::new(r))))
                        }
                        "and_then" => {
                            let err_only = SomeValue::Result(
                                Box::new(SomeValue::Impossible),
                                err.clone(),
                            );
                            let r = self.union(&err_only, &r).map_err(|m| {
                                OpError::new(format!(
                                    "the closure of `and_then` must return a `Result` with the same error type: {m}"
                                ))
                            })?;
                            Ok((B::ResultAndThen, r))
                        }
                        _ => {
                            let v = self.union(ok, &r).map_err(OpError::new)?;
                            Ok((B::ResultUnwrapOrElse, v))
                        }
                    }
                }
                _ => Err(unsupported("Result", RESULT_METHODS)),
            },
            SomeValue::Char => {
                // Unknown methods are named as such before their arity is
                // checked (`c.to_digit(10)` is not "a method taking 0 args").
                if name == "to_string" {
                    nargs(0)?;
                    return Ok((B::ToString, SomeValue::string()));
                }
                if let Some(class) = unicode_class(name) {
                    nargs(0)?;
                    return Ok((B::CharClass(class), SomeValue::bool()));
                }
                match name {
                    "to_ascii_uppercase" | "to_ascii_lowercase" => {
                        nargs(0)?;
                        let up = name == "to_ascii_uppercase";
                        return Ok((B::CharAsciiCase(up), SomeValue::Char));
                    }
                    "to_digit" => {
                        nargs(1)?;
                        // A radix out of 2..=36 panics in std; only
                        // constants in range are taken here.
                        let radix = match args[0] {
                            SomeValue::Int {
                                konst: Some(r @ 2..=36),
                                ..
                            } => r as u32,
                            _ => {
                                return Err(OpError::new(
                                    "`to_digit` with a radix that is not a constant from 2 to 36 is not supported",
                                )
                                .help("write the radix as a number: `c.to_digit(10)`"))
                            }
                        };
                        self.expect_int(&args[0], IntTy::U32)?;
                        return Ok((
                            B::CharToDigit(radix),
                            SomeValue::Option(Box::new(SomeValue::int(IntTy::U32))),
                        ));
                    }
                    _ => {}
                }
                match AsciiClass::from_method(name) {
                    Some(c) => {
                        nargs(0)?;
                        Ok((B::AsciiClass(c), SomeValue::bool()))
                    }
                    None => Err(unsupported("char", CHAR_METHODS)),
                }
            }
            SomeValue::Float => {
                let float_arg = |me: &Self| match args.first() {
                    Some(SomeValue::Float) | Some(SomeValue::Impossible) => Ok(()),
                    Some(other) => Err(OpError::new(format!(
                        "expected `f64`, found `{}`",
                        me.describe(other)
                    ))),
                    None => Ok(()),
                };
                if name == "to_string" {
                    nargs(0)?;
                    return Ok((B::ToString, SomeValue::string()));
                }
                if let Some(op) = float_unary(name) {
                    nargs(0)?;
                    return Ok((B::FloatUnary(op), SomeValue::Float));
                }
                if let Some(op) = float_binary(name) {
                    nargs(1)?;
                    float_arg(self)?;
                    return Ok((B::FloatBinary(op), SomeValue::Float));
                }
                if let Some(op) = float_test(name) {
                    nargs(0)?;
                    return Ok((B::FloatTest(op), SomeValue::bool()));
                }
                if name == "powi" {
                    nargs(1)?;
                    self.expect_int(&args[0], IntTy::I32)?;
                    return Ok((B::FloatPowi, SomeValue::Float));
                }
                Err(unsupported("f64", FLOAT_METHODS))
            }
            SomeValue::Int { .. } if name == "to_string" => {
                nargs(0)?;
                Ok((B::ToString, SomeValue::string()))
            }
            SomeValue::Int { .. } if AsciiClass::from_method(name).is_some() => {
                nargs(0)?;
                self.expect_int(recv, IntTy::U8)?;
                match AsciiClass::from_method(name) {
                    Some(c) => Ok((B::AsciiClass(c), SomeValue::bool())),
                    None => Err(unsupported("u8", INT_METHODS)),
                }
            }
            SomeValue::Int { .. } => {
                if let Some(r) = self.int_arith_method(name, recv, args) {
                    return r;
                }
                let b = match name {
                    "wrapping_add" => B::IntWrappingAdd,
                    "wrapping_sub" => B::IntWrappingSub,
                    "wrapping_mul" => B::IntWrappingMul,
                    "wrapping_div" => B::IntWrappingDiv,
                    "wrapping_rem" => B::IntWrappingRem,
                    "min" => B::IntMin,
                    "max" => B::IntMax,
                    "abs" => B::IntAbs,
                    _ => return Err(unsupported("integer", INT_METHODS)),
                };
                if b == B::IntAbs {
                    nargs(0)?;
                    let signed = self.canon(recv).int_ty().is_some_and(|t| t.signed());
                    if !signed {
                        return Err(OpError::new("`abs` is only defined on signed integers"));
                    }
                    return Ok((b, self.strip_konst(recv)));
                }
                nargs(1)?;
                let v = self.union_int_operands(recv, &args[0])?;
                let nonneg = match (recv, &args[0]) {
                    (
                        SomeValue::Int { nonneg: a, .. },
                        SomeValue::Int { nonneg: c, .. },
                    ) => match b {
                        B::IntMin => *a || *c,
                        B::IntMax => *a || *c,
                        _ => false,
                    },
                    _ => false,
                };
                Ok((b, self.with_nonneg(&v, nonneg)))
            }
            SomeValue::Builtin(obj) => match (obj, name) {
                (BuiltinObj::Stdout | BuiltinObj::Stderr, "write_str") => Err(OpError::new(
                    "`write!`/`writeln!` to stdout or stderr is not supported yet",
                )
                .help(
                    "use `print!`/`println!` (or `eprint!`/`eprintln!`), or build the text with \
                     `format!` and write its bytes with `write_all`",
                )),
                (BuiltinObj::EnvArgs, "collect") => {
                    nargs(0)?;
                    if let Some(t) = turbofish_of(op) {
                        if !matches!(t, Ty::Vec(inner) if matches!(**inner, Ty::String | Ty::Infer))
                        {
                            return Err(OpError::new(
                                "`std::env::args()` can only be collected into `Vec<String>`",
                            ));
                        }
                    }
                    let l = self.site_list(g, op.result, 0, SomeValue::string());
                    Ok((B::ArgsCollect, SomeValue::List(l)))
                }
                (BuiltinObj::Stdin, "read") => {
                    nargs(1)?;
                    let l = self.expect_byte_list(&args[0])?;
                    self.list_flags(l, false, true);
                    Ok((B::StdinRead, io_result(SomeValue::int(IntTy::Usize))))
                }
                (BuiltinObj::Stdin, "read_line") => {
                    nargs(1)?;
                    self.expect_shape(&args[0], &SomeValue::string(), "&mut String")?;
                    Ok((B::StdinReadLine, io_result(SomeValue::int(IntTy::Usize))))
                }
                (BuiltinObj::Stdin, "read_to_string") => {
                    nargs(1)?;
                    self.expect_shape(&args[0], &SomeValue::string(), "&mut String")?;
                    Ok((B::StdinReadToString, io_result(SomeValue::int(IntTy::Usize))))
                }
                (BuiltinObj::Stdout | BuiltinObj::Stderr, "write_all") => {
                    nargs(1)?;
                    if !matches!(args[0], SomeValue::Str { .. }) {
                        self.expect_byte_list(&args[0])?;
                    }
                    Ok((B::WriteAll, io_result(SomeValue::Unit)))
                }
                (BuiltinObj::Stdout | BuiltinObj::Stderr, "flush") => {
                    nargs(0)?;
                    Ok((B::Flush, io_result(SomeValue::Unit)))
                }
                _ => Err(OpError::new(format!(
                    "method `{name}` of `{}` is not supported by RRust",
                    self.describe(recv)
                ))
                .help("stdin supports read, read_line and read_to_string, stdout/stderr write_all and flush, env::args() collect")),
            },
            _ => Err(OpError::new(format!(
                "no method `{name}` on a value of type `{}` in RRust",
                self.describe(recv)
            ))),
        }
    }

    /// Annotates a call of a std path (`Vec::new`, `std::fs::read`, ...).
    pub(crate) fn builtin_path(
        &mut self,
        g: GraphId,
        op: &Op,
        path: &[String],
        args: &[SomeValue],
    ) -> Result<(Builtin, SomeValue), OpError> {
        use Builtin as B;
        let joined = path.join("::");
        let nargs = |n: usize| -> Result<(), OpError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(OpError::new(format!(
                    "`{joined}` takes {n} argument(s) but {} were given",
                    args.len()
                )))
            }
        };
        // Accept `std::io::stdout`, `io::stdout` and `stdout` alike: the
        // frontend canonicalises what it can, imports may leave less.
        let ends = |s: &str| joined == s || joined.ends_with(&format!("::{s}"));
        if ends("Vec::new") || ends("Vec::with_capacity") {
            if ends("Vec::with_capacity") {
                nargs(1)?;
                self.expect_int(&args[0], IntTy::Usize)?;
            } else {
                nargs(0)?;
            }
            let l = self.site_list(g, op.result, 0, SomeValue::Impossible);
            return Ok((B::VecNew, SomeValue::List(l)));
        }
        if let [t, f] = path {
            if let (Some(to), "try_from") = (IntTy::from_name(t), f.as_str()) {
                nargs(1)?;
                if !matches!(args[0], SomeValue::Int { .. }) {
                    return Err(OpError::new(format!(
                        "`{joined}` of a `{}` is not supported",
                        self.describe(&args[0])
                    ))
                    .help("convert from an integer type"));
                }
                let ok = SomeValue::Int {
                    kind: IntKind::Ty(to),
                    nonneg: !to.signed(),
                    konst: None,
                };
                return Ok((
                    B::IntTryFrom(to),
                    SomeValue::Result(Box::new(ok), Box::new(SomeValue::TryFromIntError)),
                ));
            }
        }
        if ends("Box::new") {
            nargs(1)?;
            return Ok((B::Identity, args[0].clone()));
        }
        if ends("Rc::new") {
            nargs(1)?;
            return Ok((B::Identity, SomeValue::Rc(Box::new(args[0].clone()))));
        }
        if ends("Rc::clone") {
            nargs(1)?;
            if !matches!(args[0], SomeValue::Rc(_)) {
                return Err(OpError::new(format!(
                    "`Rc::clone` of a `{}`, which is not an `Rc`",
                    self.describe(&args[0])
                )));
            }
            return Ok((B::Identity, args[0].clone()));
        }
        if ends("Rc::ptr_eq") {
            nargs(2)?;
            for a in args {
                if !a.peel_rc().is_heap() {
                    return Err(OpError::new(format!(
                        "`Rc::ptr_eq` of an `Rc<{}>`",
                        self.describe(a.peel_rc())
                    ))
                    .help("an `Rc` of a number, `bool` or `char` is that value itself in RRust; compare the values with `==`"));
                }
            }
            return Ok((B::RcPtrEq, SomeValue::bool()));
        }
        if ends("RefCell::new") || ends("Cell::new") {
            nargs(1)?;
            let l = self.site_list(g, op.result, 0, SomeValue::Impossible);
            self.list_union_item(l, &args[0])?;
            let cell = if ends("Cell::new") && !ends("RefCell::new") {
                SomeValue::Cell(l)
            } else {
                SomeValue::RefCell(l)
            };
            return Ok((B::CellNew, cell));
        }
        if ends("jit::promote") {
            nargs(1)?;
            return Ok((B::Promote, args[0].clone()));
        }
        if ends("gc::identity_hash") {
            nargs(1)?;
            if !args[0].is_heap() || matches!(args[0], SomeValue::Builtin(_)) {
                return Err(OpError::new(
                    "`identity_hash` of a value that does not live on the heap",
                )
                .help("pass a reference to a struct, Vec, String or HashMap: plain values have no identity"));
            }
            return Ok((B::IdentityHash, SomeValue::int(IntTy::U64)));
        }
        if ends("jit::we_are_jitted") {
            nargs(0)?;
            return Ok((B::WeAreJitted, SomeValue::bool()));
        }
        if ends("cmp::min") || ends("cmp::max") {
            nargs(2)?;
            let v = self.union_int_operands(&args[0], &args[1])?;
            let b = if ends("cmp::min") {
                B::CmpMin
            } else {
                B::CmpMax
            };
            return Ok((b, v));
        }
        if ends("HashMap::with_capacity") {
            nargs(1)?;
            self.expect_int(&args[0], IntTy::Usize)?;
            let d = self.site_dict(g, op.result);
            return Ok((B::HashMapNew, SomeValue::Dict(d)));
        }
        if ends("String::with_capacity") {
            nargs(1)?;
            self.expect_int(&args[0], IntTy::Usize)?;
            return Ok((B::StringNew, SomeValue::string()));
        }
        if ends("String::new") {
            nargs(0)?;
            return Ok((B::StringNew, SomeValue::string()));
        }
        if ends("String::from") {
            nargs(1)?;
            self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
            return Ok((B::StringFrom, SomeValue::string()));
        }
        if ends("HashMap::new") {
            nargs(0)?;
            let d = self.site_dict(g, op.result);
            return Ok((B::HashMapNew, SomeValue::Dict(d)));
        }
        if ends("env::args") {
            nargs(0)?;
            return Ok((B::EnvArgs, SomeValue::Builtin(BuiltinObj::EnvArgs)));
        }
        if ends("fs::read") {
            nargs(1)?;
            self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
            let l = self.site_list(g, op.result, 0, SomeValue::int(IntTy::U8));
            return Ok((B::FsRead, io_result(SomeValue::List(l))));
        }
        if ends("fs::read_to_string") {
            nargs(1)?;
            self.expect_shape(&args[0], &SomeValue::string(), "&str")?;
            return Ok((B::FsReadToString, io_result(SomeValue::string())));
        }
        if ends("process::exit") {
            nargs(1)?;
            self.expect_int(&args[0], IntTy::I32)?;
            // Never returns: the rest of the block is dead.
            return Ok((B::ProcessExit, SomeValue::Impossible));
        }
        for (name, b, obj) in [
            ("io::stdin", B::Stdin, BuiltinObj::Stdin),
            ("io::stdout", B::Stdout, BuiltinObj::Stdout),
            ("io::stderr", B::Stderr, BuiltinObj::Stderr),
        ] {
            if ends(name) {
                nargs(0)?;
                return Ok((b, SomeValue::Builtin(obj)));
            }
        }
        Err(OpError::new(format!("`{joined}` is not supported by RRust")).help(
            "supported: Vec::new, String::new, String::from, HashMap::new, std::env::args, \
             std::fs::read, std::fs::read_to_string, std::process::exit, std::io::stdin/stdout/stderr",
        ))
    }
}

fn io_result(ok: SomeValue) -> SomeValue {
    SomeValue::Result(Box::new(ok), Box::new(SomeValue::IoError))
}

fn turbofish_of(op: &Op) -> Option<&Ty> {
    match &op.kind {
        flowspace::model::OpKind::MethodCall { turbofish, .. } => turbofish.as_ref(),
        _ => None,
    }
}

impl Annotator<'_> {
    /// A method of a `RefCell` (`refcell`) or a `Cell` whose value has the
    /// annotation of list definition `l`'s item.
    fn cell_method(
        &mut self,
        refcell: bool,
        l: crate::ListDefId,
        name: &str,
        args: &[SomeValue],
    ) -> Result<(Builtin, SomeValue), OpError> {
        use Builtin as B;
        let what = if refcell { "RefCell" } else { "Cell" };
        let nargs = |n: usize| -> Result<(), OpError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(OpError::new(format!(
                    "method `{name}` takes {n} argument(s) but {} were given",
                    args.len()
                )))
            }
        };
        let item = self.list_item(l);
        match (refcell, name) {
            (true, "borrow" | "borrow_mut") => {
                nargs(0)?;
                Ok((B::CellBorrow(name == "borrow_mut"), item))
            }
            (true, "__borrowed_mut") => {
                nargs(0)?;
                Ok((B::CellBorrowedMut, SomeValue::bool()))
            }
            (true, "__release_borrow" | "__release_borrow_mut") => {
                nargs(0)?;
                Ok((
                    B::CellRelease(name == "__release_borrow_mut"),
                    SomeValue::Unit,
                ))
            }
            (true, "__refcell_get") | (_, "get_mut" | "into_inner") | (false, "get") => {
                nargs(0)?;
                Ok((B::CellGet, item))
            }
            (true, "__refcell_set") | (false, "set") => {
                nargs(1)?;
                self.list_union_item(l, &args[0])?;
                Ok((B::CellSet, SomeValue::Unit))
            }
            (_, "replace") => {
                nargs(1)?;
                self.list_union_item(l, &args[0])?;
                Ok((B::CellReplace(refcell), self.list_item(l)))
            }
            (_, "clone") => Err(
                OpError::new(format!("cloning a `{what}` is not supported yet")).help(format!(
                    "make a new cell of a clone of the value: `{what}::new(c.{}().clone())`",
                    if refcell { "borrow" } else { "get" }
                )),
            ),
            _ => Err(OpError::new(format!(
                "method `{name}` of `{what}` is not supported by RRust"
            ))
            .help(if refcell {
                "supported methods here: borrow, borrow_mut, replace, get_mut, into_inner"
            } else {
                "supported methods here: get, set, replace, get_mut, into_inner"
            })),
        }
    }
}
