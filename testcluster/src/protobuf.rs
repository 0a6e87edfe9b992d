//! Just enough protobuf to read the one typed write our procedures send as protobuf on kubectl
//! 1.32+: `auth can-i`'s SelfSubjectAccessReview. Layout: `k8s\0` + runtime.Unknown
//! {1: typeMeta{1: apiVersion, 2: kind}, 2: raw} where raw is SelfSubjectAccessReview
//! {2: spec{1: resourceAttributes{1 namespace, 2 verb, 3 group, 4 version, 5 resource,
//! 6 subresource, 7 name}, 2: nonResourceAttributes{1 path, 2 verb}}}.

pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// The access question of a SelfSubjectAccessReview.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct AccessAttributes {
    pub namespace: String,
    pub verb: String,
    pub group: String,
    pub version: String,
    pub resource: String,
    pub subresource: String,
    pub name: String,
    /// Set for a non-resource question (`kubectl auth can-i get /healthz`).
    pub path: Option<String>,
}

/// Iterates `(field number, wire type, payload)` of one message. Varints yield an empty payload.
/// `(field number, wire type, payload)`.
type Field<'a> = (u64, u8, &'a [u8]);

fn fields(mut b: &[u8]) -> Result<Vec<Field<'_>>, String> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (key, n) = varint(b)?;
        b = &b[n..];
        let (field, wt) = (key >> 3, (key & 7) as u8);
        match wt {
            0 => {
                let (_, n) = varint(b)?;
                b = &b[n..];
                out.push((field, wt, &[][..]));
            }
            1 | 5 => {
                let len = if wt == 1 { 8 } else { 4 };
                if b.len() < len {
                    return Err("truncated fixed field".into());
                }
                out.push((field, wt, &b[..len]));
                b = &b[len..];
            }
            2 => {
                let (len, n) = varint(b)?;
                let len = len as usize;
                if b.len() < n + len {
                    return Err("truncated length-delimited field".into());
                }
                out.push((field, wt, &b[n..n + len]));
                b = &b[n + len..];
            }
            _ => return Err(format!("unsupported wire type {wt}")),
        }
    }
    Ok(out)
}

fn varint(b: &[u8]) -> Result<(u64, usize), String> {
    let mut v = 0u64;
    for (i, byte) in b.iter().enumerate().take(10) {
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((v, i + 1));
        }
    }
    Err("bad varint".into())
}

fn sub(msg: &[u8], field: u64) -> Result<Option<&[u8]>, String> {
    // The last occurrence wins, as in protobuf.
    Ok(fields(msg)?
        .into_iter()
        .filter(|(f, wt, _)| *f == field && *wt == 2)
        .map(|(_, _, p)| p)
        .next_back())
}

fn string(msg: &[u8], field: u64) -> Result<String, String> {
    Ok(sub(msg, field)?
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .unwrap_or_default())
}

/// Decodes a protobuf SelfSubjectAccessReview request body.
pub fn decode_ssar(body: &[u8]) -> Result<AccessAttributes, String> {
    let unknown = body
        .strip_prefix(b"k8s\0")
        .ok_or("missing k8s protobuf envelope")?;
    let type_meta = sub(unknown, 1)?.unwrap_or_default();
    let kind = string(type_meta, 2)?;
    if kind != "SelfSubjectAccessReview" {
        return Err(format!(
            "expected SelfSubjectAccessReview, got kind {kind:?}"
        ));
    }
    let raw = sub(unknown, 2)?.ok_or("envelope has no raw object")?;
    let spec = sub(raw, 2)?.unwrap_or_default();
    if let Some(ra) = sub(spec, 1)? {
        return Ok(AccessAttributes {
            namespace: string(ra, 1)?,
            verb: string(ra, 2)?,
            group: string(ra, 3)?,
            version: string(ra, 4)?,
            resource: string(ra, 5)?,
            subresource: string(ra, 6)?,
            name: string(ra, 7)?,
            path: None,
        });
    }
    let nra =
        sub(spec, 2)?.ok_or("spec has neither resourceAttributes nor nonResourceAttributes")?;
    Ok(AccessAttributes {
        path: Some(string(nra, 1)?),
        verb: string(nra, 2)?,
        ..Default::default()
    })
}

/// Reads the same question from a JSON SelfSubjectAccessReview.
pub fn from_json(v: &serde_json::Value) -> AccessAttributes {
    let s = |x: &serde_json::Value| x.as_str().unwrap_or("").to_string();
    let ra = &v["spec"]["resourceAttributes"];
    if ra.is_object() {
        AccessAttributes {
            namespace: s(&ra["namespace"]),
            verb: s(&ra["verb"]),
            group: s(&ra["group"]),
            version: s(&ra["version"]),
            resource: s(&ra["resource"]),
            subresource: s(&ra["subresource"]),
            name: s(&ra["name"]),
            path: None,
        }
    } else {
        let n = &v["spec"]["nonResourceAttributes"];
        AccessAttributes {
            path: Some(s(&n["path"])),
            verb: s(&n["verb"]),
            ..Default::default()
        }
    }
}

// --- encoding: the OpenAPI v2 document kubectl 1.27/1.28 read (only as protobuf) ---

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_bytes(out: &mut Vec<u8>, field: u64, payload: &[u8]) {
    put_varint(out, (field << 3) | 2);
    put_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

fn put_bool(out: &mut Vec<u8>, field: u64, v: bool) {
    put_varint(out, field << 3);
    put_varint(out, v as u64);
}

// kube-openapi serves this document as `application/octet-stream`: Go cannot parse the `@` in the
// media type kubectl asks for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`).

/// A gnostic `openapi_v2.Document` with, per `(path, group, kind)`, a PATCH operation tagged with
/// `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter: what kubectl 1.27
/// and 1.28 look for before sending `fieldValidation=Strict` (newer ones read OpenAPI v3).
pub fn openapi_v2_document(version: &str, ops: &[(String, &str, &str)]) -> Vec<u8> {
    let mut paths = Vec::new();
    for (path, group, kind) in ops {
        let mut params = Vec::new();
        for name in ["dryRun", "fieldManager", "fieldValidation"] {
            let mut q = Vec::new();
            put_bytes(&mut q, 2, b"query");
            put_bytes(&mut q, 4, name.as_bytes());
            put_bytes(&mut q, 6, b"string");
            put_bool(&mut q, 20, true);
            let mut non_body = Vec::new();
            put_bytes(&mut non_body, 3, &q);
            let mut parameter = Vec::new();
            put_bytes(&mut parameter, 2, &non_body);
            let mut item = Vec::new();
            put_bytes(&mut item, 1, &parameter);
            params.push(item);
        }
        let mut any = Vec::new();
        put_bytes(
            &mut any,
            2,
            format!("group: \"{group}\"\nkind: {kind}\nversion: v1\n").as_bytes(),
        );
        let mut ext = Vec::new();
        put_bytes(&mut ext, 1, b"x-kubernetes-group-version-kind");
        put_bytes(&mut ext, 2, &any);
        let mut op = Vec::new();
        put_bytes(&mut op, 5, format!("patch{kind}").as_bytes());
        for p in &params {
            put_bytes(&mut op, 8, p);
        }
        put_bytes(&mut op, 13, &ext);
        let mut item = Vec::new();
        put_bytes(&mut item, 8, &op);
        let mut named = Vec::new();
        put_bytes(&mut named, 1, path.as_bytes());
        put_bytes(&mut named, 2, &item);
        paths.push(named);
    }
    let mut paths_msg = Vec::new();
    for p in &paths {
        put_bytes(&mut paths_msg, 2, p);
    }
    let mut info = Vec::new();
    put_bytes(&mut info, 1, b"Kubernetes");
    put_bytes(&mut info, 2, version.as_bytes());
    let mut doc = Vec::new();
    put_bytes(&mut doc, 1, b"2.0");
    put_bytes(&mut doc, 2, &info);
    put_bytes(&mut doc, 8, &paths_msg);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    fn ld(field: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![(field << 3) | 2, payload.len() as u8];
        v.extend_from_slice(payload);
        v
    }
    #[test]
    fn decodes_hand_built_ssar() {
        let ra = [ld(1, b"influxdb"), ld(2, b"delete"), ld(5, b"secrets")].concat();
        let raw = [ld(1, b""), ld(2, &ld(1, &ra)), ld(3, b"")].concat();
        let tm = [
            ld(1, b"authorization.k8s.io/v1"),
            ld(2, b"SelfSubjectAccessReview"),
        ]
        .concat();
        let body = [b"k8s\0".to_vec(), ld(1, &tm), ld(2, &raw)].concat();
        let a = decode_ssar(&body).unwrap();
        assert_eq!(
            (a.namespace.as_str(), a.verb.as_str(), a.resource.as_str()),
            ("influxdb", "delete", "secrets")
        );
        assert!(decode_ssar(b"{}").is_err());
    }
}
