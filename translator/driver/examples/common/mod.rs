//! What the fuzzing examples share: their command line and a small
//! deterministic random generator (so a run can be repeated); `diff`, the
//! differential fuzzer's core.

#[allow(dead_code)]
pub mod diff;

/// `[--rounds N] FILES...`: the rounds per file and the files.
#[allow(dead_code)]
pub fn args(default_rounds: usize) -> (usize, Vec<String>) {
    args_from(std::env::args().collect(), default_rounds)
}

/// `args` of a given argv (with argv[0]).
#[allow(dead_code)]
pub fn args_from(argv: Vec<String>, default_rounds: usize) -> (usize, Vec<String>) {
    let mut args: Vec<String> = argv.into_iter().skip(1).collect();
    let mut rounds = default_rounds;
    if let Some(i) = args.iter().position(|a| a == "--rounds") {
        rounds = args
            .get(i + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(rounds);
        args.drain(i..(i + 2).min(args.len()));
    }
    (rounds, args)
}

/// xorshift64: fast, and the same sequence from the same seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() as usize).checked_rem(n).unwrap_or(0)
    }
}

/// Replaces the first `a` of one of `swaps` with its `b` in `line`.
pub fn swap_token(line: &mut String, swaps: &[(&str, &str)], rng: &mut Rng) {
    let (a, b) = swaps[rng.below(swaps.len())];
    *line = line.replacen(a, b, 1);
}
