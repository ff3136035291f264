async fn fetch() -> i32 {
    1
}

fn main() {
    let _f = fetch();
    println!("async");
}
