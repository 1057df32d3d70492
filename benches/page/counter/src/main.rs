//! A counter whose every count is signed and verified with P-256: what a bare yew + p256 page
//! weighs and how soon it renders, to measure Keyplay's page against.

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use yew::prelude::*;

/// Whether the count, signed with a fixed key, verifies.
fn signed(count: u32) -> bool {
    let Ok(key) = SigningKey::from_slice(&[7; 32]) else { return false };
    let message = count.to_be_bytes();
    let signature: Signature = key.sign(&message);
    VerifyingKey::from(&key).verify(&message, &signature).is_ok()
}

#[component]
fn Counter() -> Html {
    let count = use_state(|| 0u32);
    let onclick = {
        let count = count.clone();
        Callback::from(move |_| count.set(*count + 1))
    };
    html! {
        <main>
            <button {onclick}>{ "+1" }</button>
            <p id="count">{ format!("count {}, signature {}", *count, if signed(*count) { "verified" } else { "failed" }) }</p>
        </main>
    }
}

fn main() {
    yew::Renderer::<Counter>::new().render();
}
