// Enum patterns: associated consts, struct variants matched by value,
// `let ... else`, `@` bindings, or-patterns that bind, `matches!`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Color {
    Red,
    Green,
    Blue,
}

impl Color {
    const ALL: usize = 3;
    fn next(self) -> Color {
        match self {
            Color::Red => Color::Green,
            Color::Green => Color::Blue,
            Color::Blue => Color::Red,
        }
    }
}

enum Shape {
    Circle { r: f64 },
    Rect { w: f64, h: f64 },
    Tri(f64, f64, f64),
}

fn area(s: &Shape) -> f64 {
    match *s {
        Shape::Circle { r } => 3.0 * r * r,
        Shape::Rect { w, h } if w == h => w * w,
        Shape::Rect { w, h } => w * h,
        Shape::Tri(a, b, c) => {
            let p = (a + b + c) / 2.0;
            p * (p - a) * (p - b) * (p - c)
        }
    }
}

fn pick(v: &[i64]) -> i64 {
    let Some(&first) = v.first() else { return -1 };
    match first {
        n @ 1..=9 => n * 100,
        n @ (10 | 20 | 30) => n + 1,
        n => n,
    }
}

fn both(p: (Option<i64>, Option<i64>)) -> i64 {
    match p {
        (Some(x), None) | (None, Some(x)) => x,
        (Some(x), Some(y)) => x * y,
        (None, None) => 0,
    }
}

fn is_warm(c: Color) -> bool {
    matches!(c, Color::Red | Color::Green)
}

fn main() {
    let mut c = Color::Red;
    for _ in 0..Color::ALL + 1 {
        print!("{} ", c as u8);
        c = c.next();
    }
    println!();
    let shapes = vec![
        Shape::Circle { r: 2.0 },
        Shape::Rect { w: 3.0, h: 3.0 },
        Shape::Rect { w: 2.0, h: 5.0 },
        Shape::Tri(3.0, 4.0, 5.0),
    ];
    let mut total = 0.0;
    for s in &shapes {
        total += area(s);
    }
    println!("total {}", total);
    println!(
        "{} {} {} {}",
        pick(&[]),
        pick(&[5]),
        pick(&[20, 1]),
        pick(&[77])
    );
    println!(
        "{} {} {} {}",
        both((Some(3), None)),
        both((None, Some(4))),
        both((Some(2), Some(5))),
        both((None, None))
    );
    println!("{}", is_warm(Color::Blue));
}
