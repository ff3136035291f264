fn main() {
    let n = 7;
    let kind = 'done: {
        if n % 2 == 0 {
            break 'done "even";
        }
        "odd"
    };
    println!("{}", kind);
}
