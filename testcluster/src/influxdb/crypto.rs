//! Real RSA key pairs (what the `key-gen` job writes into `rsa-keys`) and RS256-signed admin
//! tokens (what the `create-admin-token` job writes into `admin-token`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};

/// A PEM key pair as stored in the `rsa-keys` secret (`private.pem`, `public.pem`).
#[derive(Clone, Debug)]
pub struct KeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

/// Generates a fresh RSA key pair of `bits` bits.
pub fn generate_key_pair(bits: usize) -> KeyPair {
    let key = RsaPrivateKey::new(&mut rand::thread_rng(), bits).expect("RSA key generation");
    KeyPair {
        private_pem: key
            .to_pkcs8_pem(LineEnding::LF)
            .expect("encode private key")
            .to_string(),
        public_pem: key
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("encode public key"),
    }
}

/// Key id: the first 16 bytes of the SHA-256 of the public key's DER, base64url.
pub fn key_id(private_pem: &str) -> Result<String, String> {
    let key = RsaPrivateKey::from_pkcs8_pem(private_pem)
        .map_err(|e| format!("rsa-keys: bad private.pem: {e}"))?;
    let der = key
        .to_public_key()
        .to_public_key_der()
        .map_err(|e| e.to_string())?;
    Ok(URL_SAFE_NO_PAD.encode(&Sha256::digest(der.as_bytes())[..16]))
}

/// Makes the admin token file: `{"access_token":"<JWT>","token_type":"Bearer","expiry":"0001-01-01T00:00:00Z"}`
/// with a JWT signed RS256 by `private_pem`.
pub fn admin_token_file(private_pem: &str, namespace: &str) -> Result<Vec<u8>, String> {
    let jwt = admin_jwt(private_pem, namespace)?;
    let file = serde_json::json!({"access_token": jwt, "token_type": "Bearer", "expiry": "0001-01-01T00:00:00Z"});
    Ok(serde_json::to_vec(&file).expect("json"))
}

pub fn admin_jwt(private_pem: &str, namespace: &str) -> Result<String, String> {
    let key = RsaPrivateKey::from_pkcs8_pem(private_pem)
        .map_err(|e| format!("rsa-keys: bad private.pem: {e}"))?;
    let header = serde_json::json!({"alg": "RS256", "kid": key_id(private_pem)?, "typ": "JWT"});
    let iat = crate::util::now_secs();
    let claims = serde_json::json!({
        "iss": format!("https://token-management.{namespace}.svc"),
        "sub": "admin",
        "aud": "influxdb",
        "iat": iat,
        // "far in the future": the admin token of a real install does not expire in practice.
        "exp": iat + 100 * 365 * 86_400,
        "jti": crate::util::random_hex(16),
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap()),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap())
    );
    let sig = SigningKey::<Sha256>::new(key).sign(signing_input.as_bytes());
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(sig.to_bytes())
    ))
}

/// Verifies an RS256 JWT against a PEM public key (used by tests to prove which key signed a token).
pub fn verify_jwt(jwt: &str, public_pem: &str) -> bool {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    let Ok(public) = rsa::RsaPublicKey::from_public_key_pem(public_pem) else {
        return false;
    };
    let Some((input, sig)) = jwt.rsplit_once('.') else {
        return false;
    };
    let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
        return false;
    };
    let Ok(sig) = Signature::try_from(sig.as_slice()) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(public)
        .verify(input.as_bytes(), &sig)
        .is_ok()
}
