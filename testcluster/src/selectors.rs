//! `labelSelector` and `fieldSelector` query parameters, parsed the way the API server reads them.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Req {
    Eq(String, String),
    Ne(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed label selector; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSelector(Vec<Req>);

/// Splits on commas that are not inside parentheses.
fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0);
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl LabelSelector {
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        for term in split_top(s) {
            let set = |rest: &str| -> Result<Vec<String>, String> {
                let rest = rest.trim();
                let inner = rest
                    .strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .ok_or_else(|| {
                        format!("unable to parse requirement: found '{rest}', expected: '('")
                    })?;
                Ok(inner
                    .split(',')
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect())
            };
            let req = if let Some(k) = term.strip_prefix('!') {
                Req::NotExists(k.trim().to_string())
            } else if let Some((k, v)) = term.split_once("!=") {
                Req::Ne(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = term.split_once("==") {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = term.split_once('=') {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, rest)) = term.split_once(" notin ") {
                Req::NotIn(k.trim().into(), set(rest)?)
            } else if let Some((k, rest)) = term.split_once(" in ") {
                Req::In(k.trim().into(), set(rest)?)
            } else {
                Req::Exists(term.trim().to_string())
            };
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    pub fn matches(&self, labels: &Value) -> bool {
        let get = |k: &str| labels.get(k).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Req::Eq(k, v) => get(k) == Some(v.as_str()),
            Req::Ne(k, v) => get(k) != Some(v.as_str()),
            Req::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Req::NotIn(k, vs) => get(k).map_or(true, |x| !vs.iter().any(|v| v == x)),
            Req::Exists(k) => get(k).is_some(),
            Req::NotExists(k) => get(k).is_none(),
        })
    }
}

/// A field selector over the fields Kubernetes supports for our kinds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for term in split_top(s) {
            let (k, eq, v) = if let Some((k, v)) = term.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = term.split_once("==") {
                (k, true, v)
            } else if let Some((k, v)) = term.split_once('=') {
                (k, true, v)
            } else {
                return Err(format!(
                    "invalid selector: '{term}'; can't understand '{term}'"
                ));
            };
            let k = k.trim();
            if !matches!(
                k,
                "metadata.name"
                    | "metadata.namespace"
                    | "status.phase"
                    | "spec.nodeName"
                    | "type"
                    | "status.successful"
            ) {
                return Err(format!("field label not supported: {k}"));
            }
            out.push((k.to_string(), eq, v.trim().to_string()));
        }
        Ok(FieldSelector(out))
    }

    /// The name this selector pins, if any (`metadata.name=X`).
    #[cfg(test)]
    pub fn name(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, eq, _)| k == "metadata.name" && *eq)
            .map(|(_, _, v)| v.as_str())
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.0.iter().all(|(k, eq, v)| {
            let actual = match k.as_str() {
                "metadata.name" => obj["metadata"]["name"].as_str().unwrap_or(""),
                "metadata.namespace" => obj["metadata"]["namespace"].as_str().unwrap_or(""),
                "status.phase" => obj["status"]["phase"].as_str().unwrap_or(""),
                "spec.nodeName" => obj["spec"]["nodeName"].as_str().unwrap_or(""),
                "type" => obj["type"].as_str().unwrap_or(""),
                _ => "",
            };
            (actual == v) == *eq
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[test]
    fn labels() {
        let l = json!({"app": "token-management", "tier": "x"});
        assert!(LabelSelector::parse("app=token-management")
            .unwrap()
            .matches(&l));
        assert!(LabelSelector::parse("app==token-management,tier")
            .unwrap()
            .matches(&l));
        assert!(!LabelSelector::parse("app!=token-management")
            .unwrap()
            .matches(&l));
        assert!(LabelSelector::parse("app in (a, token-management),!nope")
            .unwrap()
            .matches(&l));
        assert!(!LabelSelector::parse("app notin (token-management)")
            .unwrap()
            .matches(&l));
        assert!(LabelSelector::parse("").unwrap().matches(&l));
    }
    #[test]
    fn fields() {
        let o = json!({"metadata": {"name": "a", "namespace": "n"}});
        let f = FieldSelector::parse("metadata.name=a").unwrap();
        assert_eq!(f.name(), Some("a"));
        assert!(f.matches(&o));
        assert!(!FieldSelector::parse("metadata.name!=a")
            .unwrap()
            .matches(&o));
        assert!(FieldSelector::parse("bogus=1").is_err());
    }
}
