//! Benchmark for the webauthn engine: prints figures, asserts nothing about time.
fn main() {
    println!("webauthn: no benchmark yet");
}
