//! Benchmark for the app_attest engine: prints figures, asserts nothing about time.
fn main() {
    println!("app_attest: no benchmark yet");
}
