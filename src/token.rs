//! Token files, inspected without being revealed. The admin token's format is not
//! documented, so the file is opaque bytes: we look for a JWT (bare, or inside a JSON
//! object) and show its header and claims, never the signature or the token itself.

use crate::json::{self, Object, Value};
use base64::Engine;
use sha2::{Digest, Sha256};

/// What `token inspect` reports. Nothing in it can be used to authenticate.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TokenReport {
    pub bytes: usize,
    /// `sha256:` and the first 16 hex digits of the file's hash: enough to tell two
    /// tokens apart, useless to an attacker.
    pub fingerprint: String,
    pub format: TokenFormat,
    pub jwt: Option<JwtSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TokenFormat {
    Empty,
    /// A JSON object with a JWT in field `field` (e.g. `access_token`).
    JsonWithJwt {
        field: String,
    },
    /// A JSON document without a recognisable JWT.
    Json,
    BareJwt,
    /// Anything else; shown only by size and fingerprint.
    Opaque,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JwtSummary {
    pub header: Object,
    pub claims: Object,
    pub issued_at: Option<Instant>,
    /// `None` when there is no `exp` claim, or when it is invalid (see `invalid_claims`).
    pub expires: Option<Instant>,
    pub signature_bytes: usize,
    /// The header says `alg: none`: the token is unsigned, and anyone can forge one like it.
    pub unsecured: bool,
    /// Time claims (`exp`, `iat`, `nbf`) that are not a NumericDate (RFC 7519 §2).
    pub invalid_claims: Vec<InvalidClaim>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvalidClaim {
    pub claim: String,
    pub reason: String,
}

/// A claim's time, with its distance from now in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Instant {
    /// Whole seconds since 1970 (a fractional NumericDate is rounded down).
    pub unix: i64,
    pub utc: String,
    pub relative: String,
}

impl JwtSummary {
    pub fn is_expired(&self, now_unix: i64) -> bool {
        self.expires.as_ref().is_some_and(|e| e.unix <= now_unix)
    }

    pub fn key_id(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// Why `claim` is invalid, if it is.
    pub fn invalid(&self, claim: &str) -> Option<&str> {
        self.invalid_claims
            .iter()
            .find(|c| c.claim == claim)
            .map(|c| c.reason.as_str())
    }
}

/// Inspects a token file's bytes; `now_unix` dates the expiry (the core reads no clock).
pub fn inspect(bytes: &[u8], now_unix: i64) -> TokenReport {
    let (format, jwt) = classify(bytes, now_unix);
    TokenReport {
        bytes: bytes.len(),
        fingerprint: fingerprint(bytes),
        format,
        jwt,
    }
}

pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The JWT inside a token file (bare, or a string field of a JSON object), if any.
pub fn find_jwt(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    if parse_jwt(text, 0).is_some() {
        return Some(text);
    }
    None
}

fn classify(bytes: &[u8], now: i64) -> (TokenFormat, Option<JwtSummary>) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (TokenFormat::Opaque, None);
    };
    let text = text.trim();
    if text.is_empty() {
        return (TokenFormat::Empty, None);
    }
    if let Some(jwt) = parse_jwt(text, now) {
        return (TokenFormat::BareJwt, Some(jwt));
    }
    if let Ok(Value::Object(object)) = json::parse(text.as_bytes()) {
        for (field, value) in object.iter() {
            if let Some(jwt) = value.as_str().and_then(|s| parse_jwt(s, now)) {
                return (
                    TokenFormat::JsonWithJwt {
                        field: field.clone(),
                    },
                    Some(jwt),
                );
            }
        }
        return (TokenFormat::Json, None);
    }
    (TokenFormat::Opaque, None)
}

/// The JWT in a token file's JSON field or bare, as a string (for signature checks).
pub fn jwt_text(bytes: &[u8]) -> Option<String> {
    if let Some(bare) = find_jwt(bytes) {
        return Some(bare.to_owned());
    }
    let Ok(Value::Object(object)) = json::parse(bytes) else {
        return None;
    };
    // Bound, not returned directly: the iterator borrows `object`, which must outlive it.
    let jwt = object
        .values()
        .filter_map(Value::as_str)
        .find(|s| parse_jwt(s, 0).is_some())
        .map(str::to_owned);
    jwt
}

fn parse_jwt(text: &str, now: i64) -> Option<JwtSummary> {
    let mut parts = text.split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let decode = |part: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part.trim_end_matches('='))
            .ok()
    };
    let object = |part: &str| match json::parse(&decode(part)?) {
        Ok(Value::Object(object)) => Some(object),
        _ => None,
    };
    let header = object(header)?;
    header.get("alg")?;
    let claims = object(claims)?;
    let mut invalid_claims = Vec::new();
    let mut time = |claim: &str| match claims.get(claim).map(numeric_date)? {
        Ok(t) => Some(instant(t, now)),
        Err(reason) => {
            invalid_claims.push(InvalidClaim {
                claim: claim.to_owned(),
                reason: reason.to_string(),
            });
            None
        }
    };
    let (issued_at, expires) = (time("iat"), time("exp"));
    time("nbf");
    let unsecured = header
        .get("alg")
        .and_then(Value::as_str)
        .is_some_and(|a| a.eq_ignore_ascii_case("none"));
    Some(JwtSummary {
        issued_at,
        expires,
        signature_bytes: decode(signature).map_or(0, |s| s.len()),
        unsecured,
        invalid_claims,
        header,
        claims,
    })
}

/// A NumericDate (RFC 7519 §2): seconds since 1970 as a JSON number, fractions allowed.
/// Whole seconds are returned (rounded down).
fn numeric_date(value: &Value) -> Result<i64, NotANumericDate> {
    // Beyond ±10^15 seconds (30 million years) no calendar date is meaningful.
    const LIMIT: f64 = 1e15;
    match value {
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(t), _) if t.unsigned_abs() <= LIMIT as u64 => Ok(t),
            (None, Some(f)) if f.is_finite() && f.abs() <= LIMIT => Ok(f.floor() as i64),
            _ => Err(NotANumericDate::OutOfRange(n.to_string())),
        },
        Value::String(_) => Err(NotANumericDate::String),
        Value::Null => Err(NotANumericDate::Null),
        Value::Bool(_) => Err(NotANumericDate::Bool),
        Value::Array(_) | Value::Object(_) => Err(NotANumericDate::Structure),
    }
}

/// Why a time claim is not a NumericDate; its words are [`InvalidClaim::reason`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum NotANumericDate {
    /// A number beyond any calendar date (as written).
    OutOfRange(String),
    String,
    Null,
    Bool,
    /// An array or an object.
    Structure,
}

impl std::fmt::Display for NotANumericDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotANumericDate::OutOfRange(n) => write!(f, "{n} is out of range for a date"),
            NotANumericDate::String => {
                f.write_str("a string, not a NumericDate (a JSON number of seconds since 1970)")
            }
            NotANumericDate::Null => f.write_str("null, not a NumericDate"),
            NotANumericDate::Bool => f.write_str("a boolean, not a NumericDate"),
            NotANumericDate::Structure => f.write_str("not a number, so not a NumericDate"),
        }
    }
}

fn instant(unix: i64, now: i64) -> Instant {
    Instant {
        unix,
        utc: utc_string(unix),
        relative: relative(unix.saturating_sub(now)),
    }
}

/// `2026-11-28 03:40:00 UTC`, from Unix seconds (proleptic Gregorian calendar); dates
/// beyond ±10^15 seconds are clamped there, so no arithmetic below can overflow.
pub fn utc_string(unix: i64) -> String {
    let unix = unix.clamp(-1_000_000_000_000_000, 1_000_000_000_000_000);
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `in 3 days`, `2 hours ago`: the largest unit that fits.
pub fn relative(delta: i64) -> String {
    let magnitude = delta.unsigned_abs();
    let (amount, unit) = [
        (31_557_600, "year"),
        (86_400, "day"),
        (3600, "hour"),
        (60, "minute"),
    ]
    .into_iter()
    .find(|(size, _)| magnitude >= *size)
    .map_or((magnitude, "second"), |(size, unit)| {
        (magnitude / size, unit)
    });
    let plural = if amount == 1 { "" } else { "s" };
    if delta >= 0 {
        format!("in {amount} {unit}{plural}")
    } else {
        format!("{amount} {unit}{plural} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(json: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    fn jwt() -> String {
        format!(
            "{}.{}.{}",
            b64(r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#),
            b64(r#"{"sub":"admin","iat":1700000000,"exp":2000000000}"#),
            b64("signature-bytes-that-must-stay-hidden")
        )
    }

    #[test]
    fn finds_a_jwt_inside_json_and_never_reports_it() {
        let file = format!(r#"{{"access_token":"{}","token_type":"Bearer"}}"#, jwt());
        let report = inspect(file.as_bytes(), 1_800_000_000);
        assert_eq!(
            report.format,
            TokenFormat::JsonWithJwt {
                field: "access_token".into()
            }
        );
        let summary = report.jwt.as_ref().unwrap();
        assert_eq!(summary.key_id(), Some("k1"));
        assert_eq!(
            summary.expires.as_ref().unwrap().utc,
            "2033-05-18 03:33:20 UTC"
        );
        assert!(!summary.is_expired(1_800_000_000));
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(&jwt()), "the token leaked: {json}");
        assert!(!json.contains(&b64("signature-bytes-that-must-stay-hidden")));
        assert_eq!(jwt_text(file.as_bytes()), Some(jwt()));
    }

    #[test]
    fn bare_jwt_and_opaque_files() {
        assert_eq!(inspect(jwt().as_bytes(), 0).format, TokenFormat::BareJwt);
        assert_eq!(inspect(&[0xff, 0x01], 0).format, TokenFormat::Opaque);
        assert_eq!(inspect(b"{\"a\":1}", 0).format, TokenFormat::Json);
        assert_eq!(inspect(b"  \n", 0).format, TokenFormat::Empty);
    }

    fn with_claims(header: &str, claims: &str) -> TokenReport {
        inspect(
            format!("{}.{}.{}", b64(header), b64(claims), b64("sig")).as_bytes(),
            1_800_000_000,
        )
    }

    #[test]
    fn fractional_dates_are_valid_and_strings_are_invalid_claims() {
        let report = with_claims(
            r#"{"alg":"RS256"}"#,
            r#"{"exp":1600000000.75,"iat":1599999999.5}"#,
        );
        let jwt = report.jwt.unwrap();
        assert_eq!(
            jwt.expires.as_ref().map(|e| e.unix),
            Some(1_600_000_000),
            "a fraction is a NumericDate"
        );
        assert!(jwt.is_expired(1_800_000_000), "expired in 2020");
        assert_eq!(
            jwt.issued_at.as_ref().map(|e| e.utc.as_str()),
            Some("2020-09-13 12:26:39 UTC")
        );
        assert!(jwt.invalid_claims.is_empty());

        let jwt = with_claims(r#"{"alg":"RS256"}"#, r#"{"exp":"1600000000","iat":true}"#)
            .jwt
            .unwrap();
        assert!(jwt.expires.is_none() && jwt.issued_at.is_none());
        assert!(
            jwt.invalid("exp").unwrap().contains("a string"),
            "{:?}",
            jwt.invalid_claims
        );
        assert!(jwt.invalid("iat").unwrap().contains("boolean"));
        assert!(!jwt.is_expired(1_800_000_000));

        for huge in ["1e300", "18446744073709551615", "-9223372036854775808"] {
            let jwt = with_claims(r#"{"alg":"RS256"}"#, &format!(r#"{{"exp":{huge}}}"#))
                .jwt
                .unwrap();
            assert!(
                jwt.invalid("exp").unwrap().contains("out of range"),
                "{huge}"
            );
        }
        let jwt = with_claims(r#"{"alg":"RS256"}"#, r#"{"exp":999999999999999}"#)
            .jwt
            .unwrap();
        assert!(jwt.expires.unwrap().relative.starts_with("in "));
    }

    #[test]
    fn alg_none_is_flagged() {
        assert!(
            with_claims(r#"{"alg":"none"}"#, r#"{"sub":"x"}"#)
                .jwt
                .unwrap()
                .unsecured
        );
        assert!(
            with_claims(r#"{"alg":"None"}"#, r#"{"sub":"x"}"#)
                .jwt
                .unwrap()
                .unsecured
        );
        assert!(
            !with_claims(r#"{"alg":"RS256"}"#, r#"{"sub":"x"}"#)
                .jwt
                .unwrap()
                .unsecured
        );
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        assert!(relative(i64::MIN).ends_with(" years ago"));
        let _ = utc_string(i64::MAX);
        let _ = utc_string(i64::MIN);
        assert_eq!(instant(i64::MIN, i64::MAX).unix, i64::MIN);
    }

    #[test]
    fn times_read_naturally() {
        assert_eq!(utc_string(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_string(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(relative(3 * 86_400 + 5), "in 3 days");
        assert_eq!(relative(-7200), "2 hours ago");
        assert_eq!(relative(1), "in 1 second");
    }
}
