fn main() {
    let grid = vec![vec![String::new(); 2]; 3];
    println!("{}", grid.len());
}
