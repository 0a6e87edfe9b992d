//! serde_json, the reader src/json.rs replaced, as its reference: tests/json_props.rs and
//! the fuzz target `json_read` (fuzz/) both check that the two read alike.

use influxctl_admin::json;

/// Equal, but for floats within a few units in the last place: serde_json's default float
/// reading is not correctly rounded (its `float_roundtrip` feature is), std's is.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs())
        }
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Object(x), Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Both refuse `text`, or both read it to the same value.
pub fn agree(text: &[u8]) -> Result<(), String> {
    let ours = json::parse(text);
    let theirs = serde_json::from_slice::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => {
            let ours = serde_json::to_value(ours).unwrap();
            if !same(&ours, theirs) {
                return Err(format!(
                    "{:?}: ours {ours}, serde_json {theirs}",
                    String::from_utf8_lossy(text)
                ));
            }
        }
        (Err(_), Err(_)) => {}
        _ => {
            return Err(format!(
                "disagree on {:?}: ours {:?}, serde_json {:?}",
                String::from_utf8_lossy(text),
                ours.is_ok(),
                theirs.is_ok()
            ))
        }
    }
    Ok(())
}
