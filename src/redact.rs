//! A wrapper that keeps secrets out of logs, panics and `{:?}` by accident.

use std::fmt;

/// A secret value. `Debug` and `Display` print only its length; the value itself is
/// reached through [`Redacted::expose`], which makes every disclosure greppable.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Redacted<T>(T);

impl<T> Redacted<T> {
    pub fn new(secret: T) -> Self {
        Redacted(secret)
    }

    /// The secret itself. Call only where the user asked to see it, or to write it to a 0600 file.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: AsRef<[u8]>> Redacted<T> {
    pub fn len(&self) -> usize {
        self.0.as_ref().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_empty()
    }
}

impl<T: AsRef<[u8]>> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted {} bytes>", self.len())
    }
}

impl<T: AsRef<[u8]>> fmt::Display for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted {} bytes>", self.len())
    }
}

/// Serialises as a placeholder, so a JSON report cannot carry the secret either.
impl<T: AsRef<[u8]>> serde::Serialize for Redacted<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("<redacted {} bytes>", self.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_display_and_json_hide_the_value() {
        let secret = Redacted::new("s3cr3t-value".to_string());
        assert_eq!(format!("{secret:?}"), "<redacted 12 bytes>");
        assert_eq!(format!("{secret}"), "<redacted 12 bytes>");
        let json = serde_json::to_string(&secret).unwrap();
        assert!(!json.contains("s3cr3t"), "{json}");
        assert_eq!(secret.expose(), "s3cr3t-value");
    }
}
