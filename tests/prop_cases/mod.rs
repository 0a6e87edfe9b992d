//! What the property-test suites share (each `mod prop_cases;`).

/// Modest by default so the suite runs in seconds; `PROPTEST_CASES=N` for a longer hunt.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
