//! Kubernetes `Status` bodies, exactly as the API server writes them for each error kind.

use crate::resources::Res;
use serde_json::{json, Value};

/// An API error: HTTP code plus the `Status` object to send.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: u16,
    pub body: Value,
}

fn status(code: u16, reason: &str, message: String, details: Option<Value>) -> ApiError {
    let mut body = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {},
        "status": "Failure", "message": message,
    });
    if !reason.is_empty() {
        body["reason"] = json!(reason);
    }
    if let Some(d) = details {
        body["details"] = d;
    }
    body["code"] = json!(code);
    ApiError { code, body }
}

fn details(res: Res, name: &str) -> Value {
    let mut d = json!({"name": name});
    if !res.group().is_empty() {
        d["group"] = json!(res.group());
    }
    d["kind"] = json!(res.plural());
    d
}

pub fn not_found(res: Res, name: &str) -> ApiError {
    status(
        404,
        "NotFound",
        format!("{} \"{name}\" not found", res.qualified()),
        Some(details(res, name)),
    )
}

pub fn already_exists(res: Res, name: &str) -> ApiError {
    status(
        409,
        "AlreadyExists",
        format!("{} \"{name}\" already exists", res.qualified()),
        Some(details(res, name)),
    )
}

pub fn conflict(res: Res, name: &str, msg: &str) -> ApiError {
    status(
        409,
        "Conflict",
        format!(
            "Operation cannot be fulfilled on {} \"{name}\": {msg}",
            res.qualified()
        ),
        Some(details(res, name)),
    )
}

pub fn forbidden(
    user: &str,
    verb: &str,
    res_plural: &str,
    group: &str,
    name: &str,
    ns: &str,
) -> ApiError {
    let what = if group.is_empty() {
        res_plural.to_string()
    } else {
        format!("{res_plural}.{group}")
    };
    let subject = if name.is_empty() {
        what.clone()
    } else {
        format!("{what} \"{name}\"")
    };
    let scope = if ns.is_empty() {
        "at the cluster scope".to_string()
    } else {
        format!("in the namespace \"{ns}\"")
    };
    let mut d = json!({});
    if !name.is_empty() {
        d["name"] = json!(name);
    }
    if !group.is_empty() {
        d["group"] = json!(group);
    }
    d["kind"] = json!(res_plural);
    status(
        403,
        "Forbidden",
        format!("{subject} is forbidden: User \"{user}\" cannot {verb} resource \"{res_plural}\" in API group \"{group}\" {scope}"),
        Some(d),
    )
}

pub fn unauthorized() -> ApiError {
    status(401, "Unauthorized", "Unauthorized".into(), None)
}

pub fn internal(msg: &str) -> ApiError {
    status(
        500,
        "InternalError",
        format!("Internal error occurred: {msg}"),
        Some(json!({"causes": [{"message": msg}]})),
    )
}

/// A plain error (not an API status error) as the server wraps it: code 500, no reason.
pub fn unknown_500(msg: &str) -> ApiError {
    status(500, "", msg.to_string(), None)
}

pub fn service_unavailable(msg: &str) -> ApiError {
    status(503, "ServiceUnavailable", msg.to_string(), None)
}

pub fn bad_request(msg: &str) -> ApiError {
    status(400, "BadRequest", msg.to_string(), None)
}

pub fn method_not_allowed() -> ApiError {
    status(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource".into(),
        None,
    )
}

pub fn not_found_path() -> ApiError {
    status(
        404,
        "NotFound",
        "the server could not find the requested resource".into(),
        Some(json!({})),
    )
}

pub fn unsupported_media_type(content_type: &str) -> ApiError {
    status(
        415,
        "UnsupportedMediaType",
        format!(
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (this test server cannot read {content_type:?} for this request)"
        ),
        None,
    )
}

/// 422 Invalid with field causes: `[(field, message)]`.
pub fn invalid(res: Res, name: &str, causes: &[(String, String)]) -> ApiError {
    let list: Vec<String> = causes.iter().map(|(f, m)| format!("{f}: {m}")).collect();
    let joined = if list.len() == 1 {
        list[0].clone()
    } else {
        format!("[{}]", list.join(", "))
    };
    let mut d = json!({"name": name});
    if !res.group().is_empty() {
        d["group"] = json!(res.group());
    }
    d["kind"] = json!(res.kind());
    d["causes"] = json!(causes
        .iter()
        .map(|(f, m)| json!({"reason": "FieldValueInvalid", "message": m, "field": f}))
        .collect::<Vec<_>>());
    status(
        422,
        "Invalid",
        format!("{} \"{name}\" is invalid: {joined}", res.qualified_kind()),
        Some(d),
    )
}

/// A fault injected by a test: the `Status` Kubernetes would send for that code.
pub fn for_code(code: u16, res: Option<Res>, name: &str) -> ApiError {
    let res_or = res.unwrap_or(Res::Secret);
    match code {
        401 => unauthorized(),
        403 => forbidden(
            "testcluster-admin",
            "access",
            res_or.plural(),
            res_or.group(),
            name,
            "",
        ),
        404 if res.is_some() && !name.is_empty() => not_found(res_or, name),
        404 => not_found_path(),
        409 if res.is_some() && !name.is_empty() => already_exists(res_or, name),
        409 => status(
            409,
            "Conflict",
            "Operation cannot be fulfilled: injected conflict".into(),
            None,
        ),
        429 => status(
            429,
            "TooManyRequests",
            "Too many requests, please try again later.".into(),
            Some(json!({"retryAfterSeconds": 1})),
        ),
        500 => internal("injected fault"),
        503 => service_unavailable("the server is currently unable to handle the request"),
        504 => status(
            504,
            "Timeout",
            "Timeout: request did not complete within the allotted timeout".into(),
            None,
        ),
        c => status(c, "", format!("injected fault with status {c}"), None),
    }
}
