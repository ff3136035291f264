trait Convert<T> {
    fn convert(&self) -> T;
}

struct Meters(f64);

impl Convert<f64> for Meters {
    fn convert(&self) -> f64 {
        self.0
    }
}

fn main() {
    println!("{}", Meters(2.0).convert());
}
