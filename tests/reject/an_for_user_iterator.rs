struct Count {
    n: u32,
}
impl Iterator for Count {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.n == 0 {
            None
        } else {
            self.n -= 1;
            Some(self.n)
        }
    }
}
fn count(n: u32) -> Count {
    Count { n }
}
fn main() {
    for k in count(3) {
        println!("{}", k);
    }
}
