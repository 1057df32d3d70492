//! Benchmark for the jwt engine: prints figures, asserts nothing about time.
fn main() {
    println!("jwt: no benchmark yet");
}
