#![no_main]
//! Any bytes as a message between the page and its validator worker (`keyplay::wire`): read as
//! a job and as an answer they are an error or a message, never a panic; a job that reads is
//! answered (validators, fixtures, importers run on it) and its answer reads back equal.
use keyplay::wire::{decode, encode, Answer, Job};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = decode::<Answer>(&text);
    if let Ok(job) = decode::<Job>(&text) {
        let answer = job.answer();
        assert_eq!(answer.id, job.id, "an answer names its job");
        let written = encode(&answer).expect("an answer is written");
        assert_eq!(decode::<Answer>(&written).ok(), Some(answer), "an answer reads back equal");
    }
});
