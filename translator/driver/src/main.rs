//! `translate [--opt=0|2|jit] [--output PATH] [--dot DIR] target.rs`

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use translate::{OptLevel, Options, Progress, Stage};

/// Translate an RRust interpreter into a native executable.
#[derive(Parser)]
#[command(name = "translate", version)]
struct Cli {
    /// Optimisation: 0 (fast translation), 2 (optimised), jit (optimised,
    /// with a generated tracing JIT).
    #[arg(long = "opt", default_value = "2", value_parser = parse_opt)]
    opt: OptLevel,
    /// The executable to write (default: `<target stem>-c` here).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Write every function's flow graph at each stage as Graphviz dot
    /// files under DIR/{flow,annotated,lowlevel}/.
    #[arg(long = "dot", value_name = "DIR")]
    dot: Option<PathBuf>,
    /// The RRust source file of the target.
    target: PathBuf,
}

fn parse_opt(s: &str) -> Result<OptLevel, String> {
    OptLevel::parse(s).ok_or_else(|| format!("`{s}` is not an optimisation level; use 0, 2 or jit"))
}

/// One line per stage: a spinner on a terminal, plain lines otherwise.
struct StageLines {
    bar: Option<ProgressBar>,
    tty: bool,
    /// A stage has started and not finished.
    open: bool,
}

/// `[2/5] annotating`.
fn label(stage: Stage) -> String {
    let n = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0) + 1;
    format!("[{n}/{}] {}", Stage::ALL.len(), stage.name())
}

impl Progress for StageLines {
    fn start(&mut self, stage: Stage) {
        let msg = label(stage);
        self.open = true;
        if self.tty {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(msg);
            bar.enable_steady_tick(Duration::from_millis(80));
            self.bar = Some(bar);
        } else {
            eprint!("{msg} ... ");
        }
    }
    fn done(&mut self, stage: Stage, detail: &str) {
        self.open = false;
        match self.bar.take() {
            Some(bar) => bar.finish_with_message(format!("{}: {detail}", label(stage))),
            None => eprintln!("{detail}"),
        }
    }
}

impl StageLines {
    /// Ends a stage that failed, so the error starts on a fresh line.
    fn abandon(&mut self) {
        if !self.open {
            return;
        }
        self.open = false;
        match self.bar.take() {
            Some(bar) => bar.abandon(),
            None => eprintln!("failed"),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let opts = Options {
        input: cli.target,
        opt: cli.opt,
        output: cli.output,
        dot_dir: cli.dot,
    };
    let mut progress = StageLines {
        bar: None,
        tty: std::io::stderr().is_terminal(),
        open: false,
    };
    match translate::translate(&opts, &mut progress) {
        Ok(summary) => {
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            progress.abandon();
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
