//! Array literals (`[a, b]`, `[x; n]`) reach the flow graphs as the same
//! `NewVec` ops as `vec![..]`, and a copy of an array (`let b = a;`) is no
//! op at all: both names then denote one list object. Rust copies arrays,
//! so writing through one name must not show through the other. Copies are
//! invisible here, so the sound rule is: an array literal whose list is
//! ever modified is rejected (`vec![..]` behaves the same when it is not
//! copied, and cannot be copied implicitly). Only the source text tells an
//! array literal from `vec!`, which is why this check lives in the rtyper
//! (it has the `SourceMap`).

use annotator::{Annotations, SomeValue};
use flowspace::model::{GraphId, OpKind, Program};
use flowspace::{Diagnostic, SourceMap, Span};

fn is_array_literal(sources: &SourceMap, span: Span) -> bool {
    let Some(f) = sources.files.get(span.file as usize) else {
        return false;
    };
    f.text
        .get(span.lo as usize..)
        .map(|t| t.trim_start().starts_with('['))
        .unwrap_or(false)
}

pub fn check_mutated_arrays(
    prog: &Program,
    anns: &Annotations,
    sources: &SourceMap,
    graphs: &[GraphId],
) -> Vec<Diagnostic> {
    let mut out = vec![];
    for g in graphs {
        let Some(gr) = prog.graphs.get(*g) else {
            continue;
        };
        for bd in gr.blocks.values() {
            for op in &bd.ops {
                if !matches!(op.kind, OpKind::NewVec | OpKind::NewVecRepeat) {
                    continue;
                }
                let SomeValue::List(l) = anns.var(*g, op.result) else {
                    continue;
                };
                let mutated = anns.listdef(l).is_some_and(|d| d.mutated || d.resized);
                if mutated && is_array_literal(sources, op.span) {
                    out.push(
                        Diagnostic::error(
                            op.span,
                            "an array literal that is modified later is not supported",
                        )
                        .label("this array is written to")
                        .help(
                            "write `vec![...]` instead: Rust copies arrays on assignment, and \
                                 RRust keeps one object per array",
                        ),
                    );
                }
            }
        }
    }
    out
}
