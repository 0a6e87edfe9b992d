//! What "revoked" means, checked: the signing keys and the admin token changed, and the
//! old token's RS256 signature no longer verifies against the new public key.

use std::collections::BTreeMap;

use base64::Engine;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use serde::Serialize;

use super::error::SnapshotError;
use crate::token;

/// The secrets of interest at one moment, from `kubectl get secret A B -o json`.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub rsa_keys: Option<BTreeMap<String, Vec<u8>>>,
    pub admin_token: Option<Vec<u8>>,
}

impl Snapshot {
    /// Parses kubectl's output: a `List`, a single Secret, or nothing (none found).
    pub fn parse(
        stdout: &[u8],
        rsa_secret: &str,
        admin_secret: &str,
        token_key: &str,
    ) -> Result<Snapshot, SnapshotError> {
        let text = String::from_utf8_lossy(stdout);
        if text.trim().is_empty() {
            return Ok(Snapshot::default());
        }
        let doc = crate::json::parse(text.as_bytes())
            .map_err(|e| SnapshotError::NotJson(e.to_string()))?;
        let items: Vec<&crate::json::Value> = match doc.get("items").and_then(|i| i.as_array()) {
            Some(items) => items.iter().collect(),
            None => vec![&doc],
        };
        let mut snapshot = Snapshot::default();
        for item in items {
            let decoded = crate::secret::decode_object(item)
                .map_err(|e| SnapshotError::NotASecret(e.to_string()))?;
            let entries: BTreeMap<String, Vec<u8>> = decoded
                .entries
                .into_iter()
                .map(|(k, v)| (k, v.into_inner()))
                .collect();
            match decoded.name.as_deref() {
                Some(name) if name == rsa_secret => snapshot.rsa_keys = Some(entries),
                Some(name) if name == admin_secret => {
                    snapshot.admin_token = entries.get(token_key).cloned()
                }
                _ => {}
            }
        }
        Ok(snapshot)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "result", content = "detail", rename_all = "kebab-case")]
pub enum Check {
    Passed(String),
    Failed(String),
    NotChecked(String),
}

impl Check {
    pub fn failed(&self) -> bool {
        matches!(self, Check::Failed(_))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub keys_changed: Check,
    pub token_changed: Check,
    pub old_token_rejected: Check,
    pub new_token_signed_by_new_key: Check,
}

impl Verification {
    /// Each check with its name (the names a plan's verify step lists).
    pub fn checks(&self) -> [(&'static str, &Check); 4] {
        let [keys, token, old, new] = crate::procedure::REVOCATION_CHECKS;
        [
            (keys, &self.keys_changed),
            (token, &self.token_changed),
            (old, &self.old_token_rejected),
            (new, &self.new_token_signed_by_new_key),
        ]
    }

    pub fn failures(&self) -> Vec<String> {
        self.checks()
            .iter()
            .filter_map(|(name, check)| match check {
                Check::Failed(why) => Some(format!("{name}: {why}")),
                _ => None,
            })
            .collect()
    }
}

/// Compares the secrets before and after. `expect_new_token`: the procedure re-created
/// the admin token, so an unchanged or missing one is a failure.
pub fn verify(
    before: &Snapshot,
    after: &Snapshot,
    rsa_secret: &str,
    admin_secret: &str,
    expect_new_token: bool,
) -> Verification {
    let keys_changed = match (&before.rsa_keys, &after.rsa_keys) {
        (_, None) => Check::Failed(format!("secret {rsa_secret} does not exist after the key-gen job")),
        (None, Some(_)) => Check::NotChecked(format!("{rsa_secret} was already gone when this run started (an earlier run deleted it); it exists now")),
        (Some(old), Some(new)) if old == new => Check::Failed(format!("{rsa_secret} holds the same keys as before")),
        (Some(_), Some(_)) => Check::Passed(format!("{rsa_secret} holds new keys")),
    };
    let token_changed = match (&before.admin_token, &after.admin_token) {
        (_, None) if expect_new_token => Check::Failed(format!("secret {admin_secret} was not re-created")),
        (_, None) => Check::NotChecked(format!("{admin_secret} is gone until it is re-created (`token create`)")),
        (Some(old), Some(new)) if old == new && expect_new_token => Check::Failed(format!("{admin_secret} still holds the old token")),
        (Some(old), Some(new)) if old == new => Check::NotChecked(format!("{admin_secret} still holds the old, now revoked token: re-create it with `{} token create`", crate::program::name())),
        (None, Some(_)) => Check::NotChecked(format!("{admin_secret} was already gone when this run started; it exists now")),
        (Some(_), Some(new)) => Check::Passed(format!("{admin_secret} holds a new token ({})", token::fingerprint(new))),
    };
    let new_keys = after.rsa_keys.as_ref().and_then(public_keys);
    let old_keys = before.rsa_keys.as_ref().and_then(public_keys);
    let new_token = after
        .admin_token
        .as_deref()
        .filter(|_| before.admin_token != after.admin_token)
        .and_then(jwt_parts);
    let old_token_rejected = match (before.admin_token.as_deref().and_then(jwt_parts), &new_keys) {
        (None, _) => {
            Check::NotChecked("the old token is not a JWT we can read (or there was none)".into())
        }
        (_, None) => Check::NotChecked(format!("{rsa_secret} holds no PEM RSA key we can read")),
        (Some(old), Some(new_keys)) => {
            // A failed signature check proves something only if a good one can succeed:
            // the old token against the old key, or the new token against the new key.
            let checks_work = old_keys.as_ref().is_some_and(|keys| verifies(&old, keys))
                || new_token
                    .as_ref()
                    .is_some_and(|new| verifies(new, new_keys));
            if verifies(&old, new_keys) {
                Check::Failed(
                    "the old token still verifies against the new signing key: it is NOT revoked"
                        .into(),
                )
            } else if checks_work {
                Check::Passed("the old token's signature fails against the new key".into())
            } else {
                Check::NotChecked("no token verified against any key we read, so a failing signature proves nothing".into())
            }
        }
    };
    let new_token_signed_by_new_key = match (new_token, &new_keys) {
        (Some(new), Some(keys)) => {
            if verifies(&new, keys) {
                Check::Passed("the new token verifies against the new key".into())
            } else {
                Check::Failed("the new token does not verify against the new key".into())
            }
        }
        _ => Check::NotChecked("no new JWT token or no readable key".into()),
    };
    Verification {
        keys_changed,
        token_changed,
        old_token_rejected,
        new_token_signed_by_new_key,
    }
}

struct JwtParts {
    signed: Vec<u8>,
    signature: Vec<u8>,
}

fn jwt_parts(file: &[u8]) -> Option<JwtParts> {
    let jwt = token::jwt_text(file)?;
    let (signed, signature) = jwt.rsplit_once('.')?;
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature.trim_end_matches('='))
        .ok()?;
    Some(JwtParts {
        signed: signed.as_bytes().to_vec(),
        signature,
    })
}

fn verifies(jwt: &JwtParts, keys: &[RsaPublicKey]) -> bool {
    let Ok(signature) = rsa::pkcs1v15::Signature::try_from(jwt.signature.as_slice()) else {
        return false;
    };
    keys.iter().any(|key| {
        rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key.clone())
            .verify(&jwt.signed, &signature)
            .is_ok()
    })
}

/// Every RSA public key found in the secret's values (public or private PEM, PKCS#1 or #8).
fn public_keys(secret: &BTreeMap<String, Vec<u8>>) -> Option<Vec<RsaPublicKey>> {
    let keys: Vec<RsaPublicKey> = secret
        .values()
        .filter_map(|v| std::str::from_utf8(v).ok())
        .filter_map(|pem| {
            RsaPublicKey::from_public_key_pem(pem)
                .ok()
                .or_else(|| RsaPublicKey::from_pkcs1_pem(pem).ok())
                .or_else(|| {
                    rsa::RsaPrivateKey::from_pkcs8_pem(pem)
                        .ok()
                        .map(|k| k.to_public_key())
                })
                .or_else(|| {
                    rsa::RsaPrivateKey::from_pkcs1_pem(pem)
                        .ok()
                        .map(|k| k.to_public_key())
                })
        })
        .collect();
    (!keys.is_empty()).then_some(keys)
}
