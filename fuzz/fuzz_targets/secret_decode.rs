//! `secret::decode`, what the CLI and the browser editor run on a pasted or piped Secret
//! (JSON, YAML or base64), on any bytes.
//!
//! Properties: nothing panics, in decoding, in picking a value, or in rendering an error
//! (its message and the JSON the browser gets); bare base64 is one value.
#![no_main]

use influxctl_admin::secret::{self, SecretFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match secret::decode(data) {
        Ok(decoded) => {
            let _ = decoded.value(None);
            let _ = decoded.value(Some("token"));
            if decoded.format == SecretFormat::Base64 {
                assert_eq!(decoded.entries.len(), 1, "bare base64 is one value");
            }
        }
        Err(err) => {
            let _ = err.to_string();
            serde_json::to_string(&err).expect("errors serialise");
        }
    }
});
