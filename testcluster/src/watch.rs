//! Watch streams: newline-delimited `{"type":..,"object":..}` events over a chunked response,
//! starting from a list's `resourceVersion` (or with synthetic ADDED events when there is none),
//! ending after `timeoutSeconds`.

use crate::resources::Res;
use crate::selectors::{FieldSelector, LabelSelector};
use crate::state::Shared;
use crate::status::ApiError;
use crate::store::Event;
use bytes::Bytes;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

pub struct Filter {
    /// `Some(includeObject)` when the client asked for Tables (`kubectl get -w`).
    pub table: Option<String>,
    pub res: Res,
    pub ns: Option<String>,
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Filter {
    pub fn matches(&self, res: Res, ns: &str, obj: &Value) -> bool {
        res == self.res
            && self.ns.as_deref().map_or(true, |n| n == ns)
            && self.labels.matches(&obj["metadata"]["labels"])
            && self.fields.matches(obj)
    }
}

/// Encodes one event. With Tables, each event carries a one-row Table; like the API server, only
/// the first one carries the column definitions.
fn line(kind: &str, object: &Value, filter: &Filter, first: &mut bool) -> Bytes {
    let object = match &filter.table {
        None => object.clone(),
        Some(include) => {
            let rv = object["metadata"]["resourceVersion"].as_str().unwrap_or("");
            let mut t =
                crate::table::table(filter.res, std::slice::from_ref(object), rv, None, include);
            if !*first {
                t["columnDefinitions"] = Value::Null;
            }
            t
        }
    };
    *first = false;
    let mut s = serde_json::to_vec(&json!({"type": kind, "object": object})).expect("json");
    s.push(b'\n');
    Bytes::from(s)
}

/// Starts a watch; the receiver yields the response body's chunks.
pub fn start(
    sh: &Arc<Shared>,
    filter: Filter,
    since: Option<u64>,
    timeout: Duration,
) -> Result<mpsc::Receiver<Bytes>, ApiError> {
    let mut first = true;
    let (initial, mut events) = {
        let st = sh.lock();
        let events = st.store.subscribe();
        let initial: Vec<Bytes> = match since {
            None | Some(0) => st
                .store
                .list(filter.res, filter.ns.as_deref())
                .into_iter()
                .filter(|o| {
                    filter.matches(
                        filter.res,
                        o["metadata"]["namespace"].as_str().unwrap_or(""),
                        o,
                    )
                })
                .map(|o| line("ADDED", o, &filter, &mut first))
                .collect(),
            Some(rv) => match st.store.events_since(rv) {
                Some(evs) => evs
                    .iter()
                    .filter(|e| filter.matches(e.res, &e.ns, &e.object))
                    .map(|e| line(e.kind, &e.object, &filter, &mut first))
                    .collect(),
                None => {
                    let msg = format!(
                        "too old resource version: {rv} ({})",
                        st.store.resource_version()
                    );
                    return Err(ApiError {
                        code: 410,
                        body: json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                     "message": msg, "reason": "Expired", "code": 410}),
                    });
                }
            },
        };
        (initial, events)
    };
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    sh.handle.spawn(async move {
        for chunk in initial {
            if tx.send(chunk).await.is_err() {
                return;
            }
        }
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                _ = &mut deadline => return,
                _ = tx.closed() => return,
                ev = events.recv() => match ev {
                    Ok(Event { kind, res, ns, object, .. }) => {
                        if filter.matches(res, &ns, &object) && tx.send(line(kind, &object, &filter, &mut first)).await.is_err() {
                            return;
                        }
                    }
                    // Too slow a reader: end the stream; the client re-lists, as with a real server.
                    Err(broadcast::error::RecvError::Lagged(_)) | Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    });
    Ok(rx)
}
