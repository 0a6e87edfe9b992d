//! The core's JSON reader (src/json.rs) against serde_json, the reader it replaced: on
//! generated documents, valid and nearly valid, both accept the same ones and read them
//! to the same values (compared as serde_json values, so member order does not matter).

use influxctl_admin::json;
use proptest::prelude::*;

mod json_reference;
mod prop_cases;
use prop_cases::{cases, damaged};

/// Valid JSON text with random spacing, numbers at the edges, escapes and nesting.
fn document() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?",
    ];
    let string = prop_oneof![
        "[a-zA-Z0-9 _.-]{0,12}",
        // \u escapes of any character but a lone surrogate (which both refuse), and a pair
        "(\\\\[\"\\\\/bfnrt]|\\\\u00[0-9a-fA-F]{2}|\\\\u[1-9a-cA-CefEF][0-9a-fA-F]{3}|\\\\ud83d\\\\ude00|[é€😀 a-z])*",
    ]
    .prop_map(|s| format!("\"{s}\""));
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        number,
        string.clone(),
    ];
    let space = "[ \t\r\n]{0,2}";
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            (prop::collection::vec((space, inner.clone()), 0..6)).prop_map(|items| {
                let items: Vec<String> = items
                    .into_iter()
                    .map(|(s, v)| format!("{s}{v}{s}"))
                    .collect();
                format!("[{}]", items.join(","))
            }),
            (prop::collection::vec((space, string.clone(), inner), 0..6)).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(s, k, v)| format!("{s}{k}{s}:{s}{v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

fn agree(text: &[u8]) -> Result<(), TestCaseError> {
    json_reference::agree(text).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    #[test]
    fn valid_documents_read_as_serde_json_reads_them(doc in document()) {
        prop_assert!(json::parse(doc.as_bytes()).is_ok(), "{doc}");
        agree(doc.as_bytes())?;
    }

    /// One byte changed, inserted or cut: mostly invalid, sometimes still valid.
    #[test]
    fn damaged_documents_are_refused_or_read_alike(doc in document(), at in any::<prop::sample::Index>(), byte in prop_oneof![Just(b'"'), Just(b'\\'), Just(b','), Just(b'}'), Just(b']'), Just(b'0'), Just(b'-'), Just(b'e'), Just(b'.'), any::<u8>()], how in 0..3u8) {
        agree(&damaged(doc, at, byte, how))?;
    }
}
