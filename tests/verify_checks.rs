//! The revocation checks on their own, with real RSA keys and RS256 tokens made by the
//! test cluster's crypto (the same code that signs its admin tokens).

use std::collections::BTreeMap;

use influxctl_admin::runner::verify::{verify, Check, Snapshot};
use influxctl_admin_testcluster::crypto::{admin_token_file, generate_key_pair, KeyPair};

fn keys(pair: &KeyPair) -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([
        (
            "private.pem".to_owned(),
            pair.private_pem.clone().into_bytes(),
        ),
        (
            "public.pem".to_owned(),
            pair.public_pem.clone().into_bytes(),
        ),
    ])
}

fn snapshot(pair: Option<&KeyPair>, token: Option<&[u8]>) -> Snapshot {
    Snapshot {
        rsa_keys: pair.map(keys),
        admin_token: token.map(<[u8]>::to_vec),
    }
}

fn passed(check: &Check) -> bool {
    matches!(check, Check::Passed(_))
}

#[test]
fn new_keys_and_a_new_token_pass_every_check() {
    let (old, new) = (generate_key_pair(1024), generate_key_pair(1024));
    let old_token = admin_token_file(&old.private_pem, "influxdb").unwrap();
    let new_token = admin_token_file(&new.private_pem, "influxdb").unwrap();
    let v = verify(
        &snapshot(Some(&old), Some(&old_token)),
        &snapshot(Some(&new), Some(&new_token)),
        "rsa-keys",
        "admin-token",
        true,
    );
    assert!(v.failures().is_empty(), "{v:?}");
    assert!(
        passed(&v.keys_changed)
            && passed(&v.token_changed)
            && passed(&v.old_token_rejected)
            && passed(&v.new_token_signed_by_new_key),
        "{v:?}"
    );
}

#[test]
fn unchanged_keys_mean_the_token_is_not_revoked() {
    let pair = generate_key_pair(1024);
    let token = admin_token_file(&pair.private_pem, "influxdb").unwrap();
    let v = verify(
        &snapshot(Some(&pair), Some(&token)),
        &snapshot(Some(&pair), Some(&token)),
        "rsa-keys",
        "admin-token",
        true,
    );
    assert!(matches!(v.keys_changed, Check::Failed(_)), "{v:?}");
    assert!(
        matches!(v.old_token_rejected, Check::Failed(ref why) if why.contains("NOT revoked")),
        "{v:?}"
    );
    assert!(matches!(v.token_changed, Check::Failed(_)), "{v:?}");
}

#[test]
fn checks_claim_nothing_they_cannot_prove() {
    let (old, new) = (generate_key_pair(1024), generate_key_pair(1024));
    let old_token = admin_token_file(&old.private_pem, "influxdb").unwrap();
    // Keys that are not PEM: nothing can be verified, so nothing is claimed.
    let garbage = Snapshot {
        rsa_keys: Some(BTreeMap::from([("key".to_owned(), b"not a key".to_vec())])),
        admin_token: None,
    };
    let v = verify(
        &snapshot(Some(&old), Some(&old_token)),
        &garbage,
        "rsa-keys",
        "admin-token",
        false,
    );
    assert!(
        matches!(v.old_token_rejected, Check::NotChecked(_)),
        "{v:?}"
    );
    // The old token from the token file, the old keys already gone (a resumed run), and no
    // new token to prove that signatures verify at all: not checked, rather than passed.
    let v = verify(
        &snapshot(None, Some(&old_token)),
        &snapshot(Some(&new), None),
        "rsa-keys",
        "admin-token",
        false,
    );
    assert!(
        matches!(v.old_token_rejected, Check::NotChecked(_)),
        "{v:?}"
    );
    // With a new token that verifies against the new key, the same failure is proof.
    let new_token = admin_token_file(&new.private_pem, "influxdb").unwrap();
    let v = verify(
        &snapshot(None, Some(&old_token)),
        &snapshot(Some(&new), Some(&new_token)),
        "rsa-keys",
        "admin-token",
        true,
    );
    assert!(passed(&v.old_token_rejected), "{v:?}");
}
