//! What the property-test suites share (each `mod prop_cases;`).

/// Modest by default so the suite runs in seconds; `PROPTEST_CASES=N` for a longer hunt.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `doc` with one byte changed (`how` 0), inserted (1) or cut (2) at `at`: a document
/// that is mostly invalid, sometimes still valid, for the readers' property tests.
#[allow(dead_code)] // the readers' suites use it, the others not
pub fn damaged(doc: String, at: proptest::sample::Index, byte: u8, how: u8) -> Vec<u8> {
    let mut bytes = doc.into_bytes();
    let i = at.index(bytes.len() + 1);
    match how {
        0 if i < bytes.len() => bytes[i] = byte,
        1 => bytes.insert(i, byte),
        _ if i < bytes.len() => {
            bytes.remove(i);
        }
        _ => bytes.push(byte),
    }
    bytes
}
