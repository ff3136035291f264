//! Diagnostics in rustc's style: `error: ...`, `--> file:line:col`, the
//! snippet with a caret, and a `help:` saying what to write instead. Every
//! stage reports problems as `Diagnostic`s; none of them panics.

use crate::span::{SourceMap, Span};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The headline: what is wrong ("`while let` is not supported").
    pub message: String,
    pub span: Option<Span>,
    /// Text under the caret.
    pub label: String,
    /// What to write instead.
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span: Some(span),
            label: String::new(),
            help: None,
            notes: vec![],
        }
    }
    /// A problem that has no place in the source (a missing `fn main`).
    pub fn global(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span: None,
            label: String::new(),
            help: None,
            notes: vec![],
        }
    }
    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }
}

/// Renders diagnostics as rustc does, without colour.
pub fn render(sources: &SourceMap, diags: &[Diagnostic]) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = sources
        .files
        .iter()
        .map(|f| files.add(f.path.clone(), f.text.clone()))
        .collect();
    let mut out = String::new();
    // ASCII art as rustc draws it: `-->`, `|`, `^`.
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    for d in diags {
        let mut cs = CsDiagnostic::error().with_message(&d.message);
        if let Some(span) = d.span {
            if let Some(&fid) = ids.get(span.file as usize) {
                let len = files.get(fid).map(|f| f.source().len()).unwrap_or(0);
                let lo = (span.lo as usize).min(len);
                let hi = (span.hi as usize).clamp(lo, len);
                cs = cs.with_labels(vec![Label::primary(fid, lo..hi).with_message(&d.label)]);
            }
        }
        let mut notes = Vec::new();
        if let Some(h) = &d.help {
            notes.push(format!("help: {h}"));
        }
        notes.extend(d.notes.iter().map(|n| format!("note: {n}")));
        cs = cs.with_notes(notes);
        match term::emit_into_string(&config, &files, &cs) {
            Ok(text) => out.push_str(&text),
            // Rendering can only fail on a bad span; fall back to plain text.
            Err(_) => out.push_str(&format!("error: {}\n", d.message)),
        }
    }
    out
}

/// A short one-line form `file:line:col: message`, for tests and summaries.
pub fn one_line(sources: &SourceMap, d: &Diagnostic) -> String {
    match d.span {
        Some(s) => format!(
            "{}:{}:{}: {}",
            sources.path(s.file),
            s.line,
            s.col,
            d.message
        ),
        None => d.message.clone(),
    }
}
