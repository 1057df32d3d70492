//! Benchmark for the keychain engine: prints figures, asserts nothing about time.
fn main() {
    println!("keychain: no benchmark yet");
}
