struct Point {
    x: i64,
}

use Point::*;

fn main() {
    let p = Point { x: 1 };
    println!("{}", p.x);
}
