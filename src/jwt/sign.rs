//! Kind `apple-client-secret-request`: sign a client secret in the page with the `.p8` key,
//! then run the client-secret checks over the result so the token verifies itself.
//!
//! ECDSA here is deterministic (RFC 6979, as `p256::ecdsa::SigningKey` signs), so the same
//! request at the same `now` always yields the same token. The private key is never copied
//! into the report.

use super::checks::Session;
use super::client_secret::{self, APPLE_AUDIENCE};
use super::document::{Expected, SecretRequest};
use super::keys::{self, KeySet, Origin, PublicKey};
use super::times::APPLE_MAX_LIFETIME;
use super::JwtCheck as Id;
use crate::data::encode_base64url;
use crate::instant::Instant;
use crate::validator::{Check, Verdict};
use p256::ecdsa::signature::Signer;
use serde_json::{json, Value};

/// Signs the requested client secret and verifies it. Checks: `p8` (the key could be read),
/// `lifetime` (when the requested lifetime is refused), then the client-secret checks.
pub fn run(request: &SecretRequest, now: Instant) -> Verdict {
    let mut s = Session::default();

    // 1. Read the .p8: PKCS#8 PrivateKeyInfo, id-ecPublicKey on P-256.
    let mut notes = Vec::new();
    let secret = match keys::read_p8(&request.p8, &mut notes) {
        Ok(k) => k,
        Err(e) => {
            s.push(
                Check::fail(Id::P8, e.to_string())
                    .expected_found("a PKCS#8 EC P-256 private key (BEGIN PRIVATE KEY)", e.to_string())
                    .cause(e.cause()),
            );
            return s.finish();
        }
    };
    for note in notes {
        s.warn("p8", note);
    }
    s.push(Check::pass(Id::P8, "the .p8 is a PKCS#8 EC P-256 private key"));

    // 2. The lifetime must be positive and at most 15777000 s.
    if request.lifetime_seconds <= 0 || request.lifetime_seconds > APPLE_MAX_LIFETIME {
        s.push(
            Check::fail(Id::Lifetime, format!("a lifetime of {} s cannot be used", request.lifetime_seconds))
                .expected_found(format!("1 to {APPLE_MAX_LIFETIME} s"), format!("{} s", request.lifetime_seconds))
                .cause("Apple rejects client secrets whose exp lies more than 15777000 s (about 6 months) ahead"),
        );
        return s.finish();
    }

    // 3. Header {alg: ES256, kid}; claims {iss, iat = now, exp = now + lifetime, aud, sub}.
    let header = json!({ "alg": "ES256", "kid": request.key_id });
    let claims = json!({
        "iss": request.team_id,
        "iat": now.0,
        "exp": now.0.saturating_add(request.lifetime_seconds),
        "aud": APPLE_AUDIENCE,
        "sub": request.client_id,
    });

    // 4. Sign BASE64URL(header) "." BASE64URL(claims) with deterministic ECDSA; encode r‖s.
    let signing_input = format!(
        "{}.{}",
        encode_base64url(header.to_string().as_bytes()),
        encode_base64url(claims.to_string().as_bytes())
    );
    let signing_key = p256::ecdsa::SigningKey::from(&secret);
    let signature: p256::ecdsa::Signature = signing_key.sign(signing_input.as_bytes());
    let token = format!("{signing_input}.{}", encode_base64url(&signature.to_bytes()));

    // 5. Verify the result as a client secret, against the derived public key.
    let public = PublicKey::P256(*signing_key.verifying_key());
    let set = KeySet {
        origin: Origin::P8,
        keys: vec![keys::Key {
            kid: None,
            source: "p8".into(),
            alg: None,
            for_signing: Ok(()),
            key: Ok(public.clone()),
        }],
        notes: Vec::new(),
    };
    let expected = Expected {
        team_id: Some(request.team_id.clone()),
        client_id: Some(request.client_id.clone()),
        key_id: Some(request.key_id.clone()),
        ..Expected::default()
    };
    client_secret::verify(&mut s, &token, Some(&set), &expected, now, 0);
    s.detail("token", Value::String(token));
    s.detail("public-key", json!({ "jwk": public.to_jwk(Some(&request.key_id)), "pem": public.to_pem() }));
    s.finish()
}
