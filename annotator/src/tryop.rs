//! The rules of `value?` (`TryContinues`, `TryUnwrap`, `TryResidual`): the
//! operand is an `Option` or a `Result`, and what the function returns on
//! `None`/`Err` must fit its declared return type, as rustc requires.

use crate::engine::{Annotator, OpError};
use crate::model::SomeValue;
use flowspace::model::GraphId;

impl Annotator<'_> {
    /// `value?` is only defined on `Option` and `Result`.
    pub(crate) fn try_operand(&self, a: &SomeValue) -> Result<(), OpError> {
        match a {
            SomeValue::Option(_) | SomeValue::Result(..) => Ok(()),
            other => Err(OpError::new(format!(
                "the `?` operator can only be applied to an `Option` or a `Result`, not to `{}`",
                self.describe(other)
            ))
            .help("remove the `?`")),
        }
    }

    /// What `value?` returns from graph `g` when `value` is `None`/`Err(e)`.
    pub(crate) fn try_residual(&mut self, g: GraphId, a: &SomeValue) -> Result<SomeValue, OpError> {
        self.try_operand(a)?;
        let undeclared = self
            .prog
            .graphs
            .get(g)
            .is_some_and(|gr| gr.ret_ty == flowspace::model::Ty::Infer);
        // A closure's return type is what it returns: `?` adds its residual
        // (`None`, `Err(e)`) to it, as rustc infers it.
        let ret = if undeclared {
            let so_far = self.rets.get(&g).cloned().unwrap_or(SomeValue::Impossible);
            match (a, &so_far) {
                (SomeValue::Option(_), SomeValue::Option(_) | SomeValue::Impossible) => {
                    return Ok(SomeValue::Option(Box::new(SomeValue::Impossible)))
                }
                (SomeValue::Result(_, e), SomeValue::Result(..) | SomeValue::Impossible) => {
                    return Ok(SomeValue::Result(
                        Box::new(SomeValue::Impossible),
                        e.clone(),
                    ))
                }
                _ => so_far,
            }
        } else {
            self.ret_decl(g)
        };
        let fn_name = self
            .prog
            .graphs
            .get(g)
            .map(|gr| gr.name.clone())
            .unwrap_or_default();
        // Closures are graphs named `__ClosureN::__call`.
        let fn_name = if fn_name.starts_with("__Closure") {
            "the closure".to_string()
        } else {
            format!("`{fn_name}`")
        };
        match (a, &ret) {
            (SomeValue::Option(_), SomeValue::Option(_)) => {
                Ok(SomeValue::Option(Box::new(SomeValue::Impossible)))
            }
            (SomeValue::Result(_, e), SomeValue::Result(_, want)) => {
                if self.conform(want, e).is_err() {
                    return Err(OpError::new(format!(
                        "`?` cannot pass the error `{}` on as the function's error type `{}`: \
                         Rust converts it with `From::from`, which the translator does not \
                         support yet",
                        self.describe(e),
                        self.describe(want)
                    ))
                    .help(format!(
                        "convert the error yourself: `let x = match value {{ Ok(x) => x, \
                         Err(e) => return Err(/* a `{}` made from `e` */) }};`",
                        self.describe(want)
                    )));
                }
                Ok(SomeValue::Result(
                    Box::new(SomeValue::Impossible),
                    e.clone(),
                ))
            }
            (_, _) => {
                let is_option = matches!(a, SomeValue::Option(_));
                let (on, returns) = if is_option {
                    ("an `Option`", "`Option`")
                } else {
                    ("a `Result`", "`Result`")
                };
                let help = match (is_option, &ret) {
                    (true, SomeValue::Result(..)) => {
                        "turn the `None` into an error first: `value.ok_or(/* error */)?`"
                            .to_string()
                    }
                    (true, _) => "`match` on the value here, or take it apart with \
                                  `let Some(x) = value else { /* when it is None */ };`"
                        .to_string(),
                    (false, _) if fn_name == "`main`" => {
                        "make `main` return `Result<(), E>` with the error type `E` of the \
                         value, or `match` on the value here"
                            .to_string()
                    }
                    (false, _) => {
                        format!("`match` on the value here, or make {fn_name} return a `Result`")
                    }
                };
                Err(OpError::new(format!(
                    "the `?` operator on {on} can only be used in a function that returns \
                     {returns}, and {fn_name} returns `{}`",
                    self.describe(&ret)
                ))
                .help(help))
            }
        }
    }
}
