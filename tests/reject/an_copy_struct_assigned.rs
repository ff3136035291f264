#[derive(Clone, Copy)]
struct Point {
    x: i32,
    y: i32,
}

fn main() {
    let mut p = Point { x: 1, y: 2 };
    let q = p;
    p.x = 5;
    println!("{} {} {}", p.x, q.x, p.y);
}
