//! The HTTPS front: TLS accept loop, bearer-token check, fault injection, request log, and
//! routing of Kubernetes API paths to the handlers.

use crate::controllers;
use crate::discovery;
use crate::faults::{query_pairs, FaultAction, RecordedRequest, Times};
use crate::model::{Api, Model};
use crate::objects;
use crate::protobuf;
use crate::resources::Res;
use crate::selectors::{FieldSelector, LabelSelector};
use crate::state::Shared;
use crate::status::{self, ApiError};
use crate::table;
use crate::util::{now_rfc3339, random_suffix, uuid4};
use crate::watch;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::{Request, Response};
use serde_json::{json, Value};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Response body: all at once, or streamed (watches).
pub enum Body {
    Full(Option<Bytes>),
    Stream(mpsc::Receiver<Bytes>),
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Body::Stream(rx) => rx.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b)))),
        }
    }
    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }
    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            Body::Full(None) => SizeHint::with_exact(0),
            Body::Stream(_) => SizeHint::default(),
        }
    }
}

/// The connection was dropped on purpose (fault injection).
#[derive(Debug)]
pub struct Dropped;
impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by injected fault")
    }
}
impl std::error::Error for Dropped {}

pub async fn serve(sh: Arc<Shared>, listener: TcpListener, tls: Arc<rustls::ServerConfig>) {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let (acceptor, sh) = (acceptor.clone(), sh.clone());
        tokio::spawn(async move {
            let Ok(stream) = acceptor.accept(tcp).await else {
                return;
            };
            let svc = hyper::service::service_fn(move |req| handle(sh.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                .await;
        });
    }
}

struct Req {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    content_type: String,
    accept: String,
    body: Bytes,
}

impl Req {
    fn param(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }
}

fn header(req: &Request<Incoming>, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn handle(sh: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let raw_query = req.uri().query().unwrap_or("").to_string();
    let content_type = header(&req, "content-type");
    let accept = header(&req, "accept");
    let user_agent = header(&req, "user-agent");
    let auth = header(&req, "authorization");
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let json_body = if body.is_empty() {
        None
    } else {
        serde_json::from_slice::<Value>(&body).ok()
    };
    let mut record = RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        query: raw_query.clone(),
        content_type: content_type.clone(),
        accept: accept.clone(),
        user_agent,
        body: json_body,
        body_len: body.len(),
        status: 0,
    };

    // Faults first: they stand for a broken network or server in front of everything.
    let fault = {
        let mut st = sh.lock();
        let idx = st
            .faults
            .iter()
            .position(|f| f.matches(&method, &path, &raw_query));
        idx.map(|i| {
            if st.faults[i].times == Times::Once {
                st.faults.remove(i)
            } else {
                st.faults[i].clone()
            }
        })
    };
    if let Some(f) = fault {
        match f.action {
            FaultAction::Drop => {
                sh.lock().requests.push(record);
                return Err(Dropped);
            }
            FaultAction::Delay(d) => tokio::time::sleep(d).await,
            FaultAction::Status(code) => {
                let (res, name) = resource_of(&path);
                let e = status::for_code(code, res, &name);
                record.status = e.code;
                sh.lock().requests.push(record);
                return Ok(json_response(e.code, &e.body));
            }
        }
    }

    let r = Req {
        method,
        path,
        query: query_pairs(&raw_query),
        content_type: content_type.unwrap_or_default(),
        accept: accept.unwrap_or_default(),
        body,
    };
    let resp = match check_auth(&sh, auth.as_deref(), &r.path) {
        Err(e) => json_response(e.code, &e.body),
        Ok(()) => match route(&sh, &r) {
            Ok(resp) => resp,
            Err(e) => json_response(e.code, &e.body),
        },
    };
    record.status = resp.status().as_u16();
    sh.lock().requests.push(record);
    Ok(resp)
}

/// `Authorization: Bearer <token>`. Without credentials only `/version` is open, as
/// `system:public-info-viewer` allows on a real cluster; wrong credentials get 401 everywhere.
fn check_auth(sh: &Shared, auth: Option<&str>, path: &str) -> Result<(), ApiError> {
    match auth {
        None if path == "/version"
            || path == "/healthz"
            || path == "/livez"
            || path == "/readyz" =>
        {
            Ok(())
        }
        Some(h)
            if h.strip_prefix("Bearer ")
                .is_some_and(|t| t.trim() == sh.token) =>
        {
            Ok(())
        }
        _ => Err(status::unauthorized()),
    }
}

fn json_response(code: u16, v: &Value) -> Response<Body> {
    response(
        code,
        "application/json",
        serde_json::to_vec(v).expect("json"),
    )
}

fn response(code: u16, content_type: &str, body: Vec<u8>) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("content-type", content_type)
        .header("cache-control", "no-cache, private")
        .header("audit-id", uuid4())
        .header(
            "x-kubernetes-pf-flowschema-uid",
            "00000000-0000-0000-0000-000000000001",
        )
        .body(Body::Full(Some(Bytes::from(body))))
        .expect("response")
}

/// The resource and name a path addresses, for fault `Status` bodies.
fn resource_of(path: &str) -> (Option<Res>, String) {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, rest) = match segs.as_slice() {
        ["api", "v1", rest @ ..] => ("", rest),
        ["apis", g, _, rest @ ..] => (*g, rest),
        _ => return (None, String::new()),
    };
    let (plural, name) = match rest {
        ["namespaces", _, p, n, ..] => (*p, *n),
        ["namespaces", _, p] => (*p, ""),
        [p, n, ..] => (*p, *n),
        [p] => (*p, ""),
        _ => return (None, String::new()),
    };
    (Res::from_group_plural(group, plural), name.to_string())
}

fn route(sh: &Arc<Shared>, r: &Req) -> Result<Response<Body>, ApiError> {
    let segs: Vec<&str> = r
        .path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let get = r.method == "GET";
    let (major, minor) = sh.opts.kubernetes_version;
    match segs.as_slice() {
        ["version"] if get => Ok(json_response(200, &discovery::version(major, minor))),
        ["healthz"] | ["livez"] | ["readyz"] if get => {
            Ok(response(200, "text/plain; charset=utf-8", b"ok".to_vec()))
        }
        ["api"] if get => Ok(json_response(200, &discovery::api(&sh.addr))),
        ["apis"] if get => Ok(json_response(200, &discovery::apis())),
        ["api", v] if get => discovery::resource_list("", v)
            .map(|d| json_response(200, &d))
            .ok_or_else(status::not_found_path),
        ["apis", g, v] if get => discovery::resource_list(g, v)
            .map(|d| json_response(200, &d))
            .ok_or_else(status::not_found_path),
        ["openapi", "v2"] if get => Ok(response(
            200,
            "application/octet-stream",
            discovery::openapi_v2(major, minor),
        )),
        ["openapi", "v3"] if get => Ok(json_response(200, &discovery::openapi_root())),
        ["openapi", "v3", rest @ ..] if get => discovery::openapi_group_version(&rest.join("/"))
            .map(|d| json_response(200, &d))
            .ok_or_else(status::not_found_path),
        ["apis", "authorization.k8s.io", "v1", "selfsubjectaccessreviews"]
            if r.method == "POST" =>
        {
            self_subject_access_review(sh, r)
        }
        ["api", "v1", rest @ ..] => resource_route(sh, r, "", rest),
        ["apis", g, "v1", rest @ ..] => resource_route(sh, r, g, rest),
        _ => Err(status::not_found_path()),
    }
}

fn resource_route(
    sh: &Arc<Shared>,
    r: &Req,
    group: &str,
    rest: &[&str],
) -> Result<Response<Body>, ApiError> {
    let res = |p: &str| Res::from_group_plural(group, p).ok_or_else(status::not_found_path);
    match rest {
        // Cluster-scoped: namespaces, or a namespaced resource across all namespaces.
        [plural] => {
            let res = res(plural)?;
            match r.method.as_str() {
                "GET" => list(sh, r, res, None),
                "POST" if !res.namespaced() => create(sh, r, res, ""),
                _ => Err(status::method_not_allowed()),
            }
        }
        ["namespaces", name] => item(sh, r, Res::Namespace, "", name),
        ["namespaces", ns, plural] => {
            let res = res(plural)?;
            if !res.namespaced() {
                return Err(status::not_found_path());
            }
            match r.method.as_str() {
                "GET" => list(sh, r, res, Some(ns)),
                "POST" => create(sh, r, res, ns),
                _ => Err(status::method_not_allowed()),
            }
        }
        ["namespaces", ns, plural, name] => {
            let res = res(plural)?;
            if !res.namespaced() {
                return Err(status::not_found_path());
            }
            item(sh, r, res, ns, name)
        }
        _ => Err(status::not_found_path()),
    }
}

const USER: &str = "testcluster-admin";

fn authorize(sh: &Shared, verb: &str, res: Res, name: &str, ns: &str) -> Result<(), ApiError> {
    if sh.lock().allowed(verb, res.plural()) {
        Ok(())
    } else {
        Err(status::forbidden(
            USER,
            verb,
            res.plural(),
            res.group(),
            name,
            ns,
        ))
    }
}

fn wants_table(r: &Req) -> bool {
    r.accept.contains("as=Table")
}

/// Objects as list items carry no kind/apiVersion, as in a real `*List`.
fn as_item(o: &Value) -> Value {
    let mut o = o.clone();
    if let Some(m) = o.as_object_mut() {
        m.shift_remove("kind");
        m.shift_remove("apiVersion");
    }
    o
}

fn list(sh: &Arc<Shared>, r: &Req, res: Res, ns: Option<&str>) -> Result<Response<Body>, ApiError> {
    let watching = matches!(r.param("watch"), Some("true") | Some("1"));
    authorize(
        sh,
        if watching { "watch" } else { "list" },
        res,
        "",
        ns.unwrap_or(""),
    )?;
    let labels = LabelSelector::parse(r.param("labelSelector").unwrap_or(""))
        .map_err(|e| status::bad_request(&format!("unable to parse requirement: {e}")))?;
    let fields = FieldSelector::parse(r.param("fieldSelector").unwrap_or(""))
        .map_err(|e| status::bad_request(&e))?;
    let table = wants_table(r).then(|| r.param("includeObject").unwrap_or("Metadata").to_string());
    let filter = watch::Filter {
        table,
        res,
        ns: ns.map(str::to_string),
        labels,
        fields,
    };
    if watching {
        let since = match r.param("resourceVersion") {
            None | Some("") => None,
            Some(v) => Some(
                v.parse::<u64>()
                    .map_err(|_| status::bad_request(&format!("invalid resource version: {v}")))?,
            ),
        };
        let timeout = r
            .param("timeoutSeconds")
            .and_then(|t| t.parse::<u64>().ok())
            .map_or(Duration::from_secs(1800), Duration::from_secs);
        let rx = watch::start(sh, filter, since, timeout)?;
        return Ok(Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("cache-control", "no-cache, private")
            .body(Body::Stream(rx))
            .expect("response"));
    }
    let (items, rv) = {
        let st = sh.lock();
        let items: Vec<Value> = st
            .store
            .list(res, ns)
            .into_iter()
            .filter(|o| filter.matches(res, o["metadata"]["namespace"].as_str().unwrap_or(""), o))
            .cloned()
            .collect();
        (items, st.store.resource_version().to_string())
    };
    // Paging: `continue` is an opaque offset; `limit` cuts the page.
    let start = r
        .param("continue")
        .filter(|c| !c.is_empty())
        .map(|c| {
            STANDARD
                .decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.parse::<usize>().ok())
        })
        .map(|o| o.ok_or_else(|| status::bad_request("continue key is not valid")))
        .transpose()?
        .unwrap_or(0);
    let limit = r
        .param("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(usize::MAX);
    let end = start.saturating_add(limit).min(items.len());
    let page = &items[start.min(items.len())..end];
    let cont = (end < items.len()).then(|| STANDARD.encode(end.to_string()));
    if wants_table(r) {
        let include = r.param("includeObject").unwrap_or("Metadata");
        return Ok(json_response(
            200,
            &table::table(res, page, &rv, cont.as_deref(), include),
        ));
    }
    let mut meta = json!({"resourceVersion": rv});
    if let Some(c) = cont {
        meta["continue"] = json!(c);
        meta["remainingItemCount"] = json!(items.len() - end);
    }
    Ok(json_response(
        200,
        &json!({"kind": format!("{}List", res.kind()), "apiVersion": res.api_version(), "metadata": meta,
                "items": page.iter().map(as_item).collect::<Vec<_>>()}),
    ))
}

fn item(
    sh: &Arc<Shared>,
    r: &Req,
    res: Res,
    ns: &str,
    name: &str,
) -> Result<Response<Body>, ApiError> {
    match r.method.as_str() {
        "GET" => {
            authorize(sh, "get", res, name, ns)?;
            let obj = sh
                .lock()
                .store
                .get(res, ns, name)
                .cloned()
                .ok_or_else(|| status::not_found(res, name))?;
            if wants_table(r) {
                let rv = obj["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                return Ok(json_response(
                    200,
                    &table::table(
                        res,
                        &[obj],
                        &rv,
                        None,
                        r.param("includeObject").unwrap_or("Metadata"),
                    ),
                ));
            }
            Ok(json_response(200, &obj))
        }
        "DELETE" => delete(sh, r, res, ns, name),
        _ => Err(status::method_not_allowed()),
    }
}

fn delete(
    sh: &Arc<Shared>,
    r: &Req,
    res: Res,
    ns: &str,
    name: &str,
) -> Result<Response<Body>, ApiError> {
    authorize(sh, "delete", res, name, ns)?;
    if res == Res::Namespace {
        return Err(status::method_not_allowed());
    }
    // DeleteOptions: JSON from every kubectl we know; a protobuf body is read as defaults.
    let opts: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    let policy = opts["propagationPolicy"]
        .as_str()
        .or(r.param("propagationPolicy"))
        .unwrap_or("Background")
        .to_string();
    let dry_run = r.param("dryRun") == Some("All")
        || opts["dryRun"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "All"));
    let mut st = sh.lock();
    let obj = st
        .store
        .get(res, ns, name)
        .cloned()
        .ok_or_else(|| status::not_found(res, name))?;
    if let Some(pre) = opts["preconditions"]["uid"].as_str() {
        if obj["metadata"]["uid"] != pre {
            return Err(status::conflict(
                res,
                name,
                &format!(
                    "Precondition failed: UID in precondition: {pre}, UID in object meta: {}",
                    obj["metadata"]["uid"].as_str().unwrap_or("")
                ),
            ));
        }
    }
    if dry_run {
        return Ok(json_response(200, &obj));
    }
    if res == Res::Pod {
        // Graceful deletion: the pod is Terminating until the kubelet lets go of it.
        if !obj["metadata"]["deletionTimestamp"].is_null() {
            return Ok(json_response(200, &obj));
        }
        let grace = opts["gracePeriodSeconds"].as_i64().unwrap_or(30);
        let updated = st
            .store
            .update(res, ns, name, |p| {
                p["metadata"]["deletionTimestamp"] =
                    json!(crate::util::rfc3339(crate::util::now_secs() + grace));
                p["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
            })
            .expect("pod present");
        drop(st);
        controllers::pod_deleted(sh, ns, &updated);
        let pod = updated.clone();
        model_hook(sh, move |m, api| m.on_deleted(api, res, &pod));
        return Ok(json_response(200, &updated));
    }
    let removed = st.store.remove(res, ns, name).expect("object present");
    drop(st);
    let gone = removed.clone();
    model_hook(sh, move |m, api| m.on_deleted(api, res, &gone));
    if policy == "Foreground" || policy == "Orphan" {
        // With a finalizer-driven policy Kubernetes answers with the object being deleted.
        let mut o = removed;
        o["metadata"]["deletionTimestamp"] = json!(now_rfc3339());
        o["metadata"]["finalizers"] = json!([if policy == "Foreground" {
            "foregroundDeletion"
        } else {
            "orphan"
        }]);
        return Ok(json_response(200, &o));
    }
    let mut details = json!({"name": name});
    if !res.group().is_empty() {
        details["group"] = json!(res.group());
    }
    details["kind"] = json!(res.plural());
    details["uid"] = removed["metadata"]["uid"].clone();
    Ok(json_response(
        200,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}),
    ))
}

fn is_json(ct: &str) -> bool {
    let base = ct.split(';').next().unwrap_or("").trim();
    base == "application/json" || base.is_empty()
}

fn create(sh: &Arc<Shared>, r: &Req, res: Res, ns: &str) -> Result<Response<Body>, ApiError> {
    if !is_json(&r.content_type) {
        return Err(status::unsupported_media_type(&r.content_type));
    }
    let mut obj: Value = serde_json::from_slice(&r.body).map_err(|e| {
        status::bad_request(&format!("couldn't get version/kind; json parse error: {e}"))
    })?;
    if obj["kind"] != res.kind() || obj["apiVersion"] != res.api_version() {
        return Err(status::bad_request(&format!(
            "the API version in the data ({}) does not match the expected API version ({}) or the kind ({}) is not {}",
            obj["apiVersion"].as_str().unwrap_or(""),
            res.api_version(),
            obj["kind"].as_str().unwrap_or(""),
            res.kind()
        )));
    }
    if !obj["metadata"].is_object() {
        obj["metadata"] = json!({});
    }
    if let Some(body_ns) = obj["metadata"]["namespace"].as_str() {
        if res.namespaced() && body_ns != ns {
            return Err(status::bad_request("the namespace of the provided object does not match the namespace sent on the request"));
        }
    }
    let name = match (
        obj["metadata"]["name"].as_str(),
        obj["metadata"]["generateName"].as_str(),
    ) {
        (Some(n), _) if !n.is_empty() => n.to_string(),
        (_, Some(g)) if !g.is_empty() => format!("{g}{}", random_suffix(5)),
        _ => {
            return Err(status::invalid(
                res,
                "",
                &[(
                    "metadata.name".into(),
                    "Required value: name or generateName is required".into(),
                )],
            ));
        }
    };
    obj["metadata"]["name"] = json!(name);
    authorize(sh, "create", res, "", ns)?;
    if res.namespaced() && sh.lock().store.get(Res::Namespace, "", ns).is_none() {
        return Err(status::not_found(Res::Namespace, ns));
    }
    let manager = r
        .param("fieldManager")
        .unwrap_or("kubectl-create")
        .to_string();
    objects::prepare(res, &mut obj, ns, &manager)
        .map_err(|causes| status::invalid(res, &name, &causes))?;
    // Checked by storage, so after validation, as in the API server.
    if obj["metadata"]["resourceVersion"]
        .as_str()
        .is_some_and(|v| !v.is_empty())
    {
        return Err(status::unknown_500(
            "resourceVersion should not be set on objects to be created",
        ));
    }
    if r.param("dryRun") == Some("All") {
        return Ok(json_response(201, &obj));
    }
    let stored = {
        let mut st = sh.lock();
        if st.store.get(res, ns, &name).is_some() {
            return Err(status::already_exists(res, &name));
        }
        st.store.insert(res, ns, obj)
    };
    controllers::created(sh, res, ns, &stored);
    let created = stored.clone();
    model_hook(sh, move |m, api| m.on_created(api, res, &created));
    Ok(json_response(201, &stored))
}

/// Runs one of the model's hooks off the request's thread (a hook may block).
fn model_hook(sh: &Arc<Shared>, hook: impl FnOnce(&dyn Model, &Api) + Send + 'static) {
    let api = Api::new(sh);
    sh.handle
        .spawn_blocking(move || hook(api.sh.model.as_ref(), &api));
}

/// `kubectl auth can-i`: JSON on kubectl ≤ 1.31, protobuf on 1.32+.
fn self_subject_access_review(sh: &Arc<Shared>, r: &Req) -> Result<Response<Body>, ApiError> {
    let base = r.content_type.split(';').next().unwrap_or("").trim();
    let attrs = if base == protobuf::MEDIA_TYPE {
        protobuf::decode_ssar(&r.body).map_err(|e| {
            status::bad_request(&format!("unable to decode SelfSubjectAccessReview: {e}"))
        })?
    } else if is_json(&r.content_type) {
        let v: Value = serde_json::from_slice(&r.body)
            .map_err(|e| status::bad_request(&format!("json parse error: {e}")))?;
        protobuf::from_json(&v)
    } else {
        return Err(status::unsupported_media_type(&r.content_type));
    };
    let what = attrs.path.clone().unwrap_or_else(|| attrs.resource.clone());
    let allowed = sh.lock().allowed(&attrs.verb, &what);
    let spec = match &attrs.path {
        Some(p) => json!({"nonResourceAttributes": {"path": p, "verb": attrs.verb}}),
        None => {
            let mut ra = serde_json::Map::new();
            for (k, v) in [
                ("namespace", &attrs.namespace),
                ("verb", &attrs.verb),
                ("group", &attrs.group),
                ("version", &attrs.version),
                ("resource", &attrs.resource),
                ("subresource", &attrs.subresource),
                ("name", &attrs.name),
            ] {
                if !v.is_empty() {
                    ra.insert(k.into(), json!(v));
                }
            }
            json!({"resourceAttributes": ra})
        }
    };
    let mut st = json!({"allowed": allowed});
    if allowed {
        st["reason"] = json!("RBAC: allowed by ClusterRoleBinding \"testcluster-admin\" of ClusterRole \"cluster-admin\" to User \"testcluster-admin\"");
    }
    Ok(json_response(
        201,
        &json!({"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                "metadata": {"creationTimestamp": null}, "spec": spec, "status": st}),
    ))
}
