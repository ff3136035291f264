// `Copy` structs: assignment, passing by value, storing in and copying out
// of a `Vec`, nested `Copy` structs; their fields are never assigned.

#[derive(Clone, Copy, Debug, PartialEq)]
struct Point {
    x: i64,
    y: i64,
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    min: Point,
    max: Point,
}

impl Point {
    fn add(self, o: Point) -> Point {
        Point {
            x: self.x + o.x,
            y: self.y + o.y,
        }
    }
}

impl Rect {
    fn area(&self) -> i64 {
        (self.max.x - self.min.x) * (self.max.y - self.min.y)
    }
}

fn main() {
    let mut p = Point { x: 1, y: 2 };
    let q = p;
    p = p.add(Point { x: 10, y: 0 });
    println!("{:?} {:?} {}", p, q, p == q);
    let mut pts = vec![p, q];
    pts.push(pts[0]);
    pts[1] = Point { x: -1, y: -1 };
    let copy = pts.clone();
    println!("{:?}", copy);
    let r = Rect { min: q, max: p };
    let r2 = r;
    println!("{} {:?}", r2.area(), r.min);
    let mut best = pts[0];
    for c in &pts {
        if c.x < best.x {
            best = *c;
        }
    }
    println!("{:?}", best);
}
