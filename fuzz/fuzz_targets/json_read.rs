//! The core's JSON reader (src/json.rs) on any bytes, against serde_json.
//!
//! Properties: nothing panics; both refuse the input, or both read it to the same value
//! (floats within a few units in the last place); the reader that refuses repeated keys
//! (`parse_unique`, for Secrets) accepts nothing `parse` refuses.
#![no_main]

use influxctl_admin::json;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/json_reference/mod.rs"]
mod json_reference;

fuzz_target!(|data: &[u8]| {
    if let Err(disagreement) = json_reference::agree(data) {
        panic!("{disagreement}");
    }
    if json::parse_unique(data).is_ok() {
        assert!(json::parse(data).is_ok(), "parse_unique accepts what parse refuses");
    }
});
