fn main() {
    println!("{}", greet::greeting("e2e"));
}
