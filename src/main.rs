//! Keyplay's two shells: on wasm32 the yew web app, natively the command line.
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    keyplay::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    keyplay::cli::main(&args)
}
