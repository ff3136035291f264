trait Op {
    fn apply(&self, x: i64) -> i64;
}

#[derive(Clone, Copy)]
enum Simple {
    Inc,
    Dec,
}

struct Scale(i64);

impl Op for Simple {
    fn apply(&self, x: i64) -> i64 {
        match self {
            Simple::Inc => x + 1,
            Simple::Dec => x - 1,
        }
    }
}

impl Op for Scale {
    fn apply(&self, x: i64) -> i64 {
        x * self.0
    }
}

fn main() {
    let ops: Vec<Box<dyn Op>> = vec![Box::new(Simple::Inc), Box::new(Scale(3)), Box::new(Simple::Dec)];
    let mut x = 1;
    for op in &ops {
        x = op.apply(x);
    }
    println!("{}", x);
}
