mod util {
    pub fn twice(x: i32) -> i32 {
        x * 2
    }
}

fn main() {
    println!("{}", util::twice(2));
}
