//! The core's YAML reader (src/yaml.rs) on any text, against yaml-rust2.
//!
//! Properties: nothing panics; whatever ours reads (every document), yaml-rust2 reads to
//! the same tree. Ours reads a subset of YAML, so a refusal is never a failure.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/yaml_reference/mod.rs"]
mod yaml_reference;

// Bytes rather than `&str`, so that a crash file is the very text (not `arbitrary`'s
// UTF-8 prefix of it); secret::decode refuses what is not UTF-8 before reading YAML.
fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(disagreement) = yaml_reference::agree(text) {
        panic!("{disagreement}");
    }
});
