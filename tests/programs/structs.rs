//! Structs with methods taking `self`, `&self` and `&mut self`, associated
//! constructors, structs holding structs and vectors.

#![allow(clippy::all)]

struct Counter {
    count: u32,
    step: u32,
}

impl Counter {
    fn new(step: u32) -> Counter {
        Counter { count: 0, step }
    }
    fn tick(&mut self) {
        self.count += self.step;
    }
    fn get(&self) -> u32 {
        self.count
    }
}

struct Point {
    x: i64,
    y: i64,
}

struct Shape {
    name: String,
    points: Vec<Point>,
    counter: Counter,
}

impl Shape {
    fn perimeter_manhattan(&self) -> i64 {
        let mut total = 0;
        let n = self.points.len();
        for i in 0..n {
            let a = &self.points[i];
            let b = &self.points[(i + 1) % n];
            total += (a.x - b.x).abs() + (a.y - b.y).abs();
        }
        total
    }
    fn into_name(self) -> String {
        self.name
    }
}

fn main() {
    let mut c = Counter::new(3);
    for _ in 0..5 {
        c.tick();
    }
    println!("counter: {}", c.get());
    let mut s = Shape {
        name: String::from("square"),
        points: Vec::new(),
        counter: Counter::new(1),
    };
    s.points.push(Point { x: 0, y: 0 });
    s.points.push(Point { x: 4, y: 0 });
    s.points.push(Point { x: 4, y: 4 });
    s.points.push(Point { x: 0, y: 4 });
    s.points[2].x = 5;
    s.counter.tick();
    println!("{} {} {}", s.name, s.perimeter_manhattan(), s.counter.get());
    let name = s.into_name();
    println!("name: {}", name);
}
