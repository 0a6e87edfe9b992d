// What a docs widget shows, made from the core's answers: its fields, and for a set of
// values the title and commands (or the profile) it draws. No DOM here, so that the build
// can make the default widgets' views with this same code and the same core ahead of time
// (scripts/prerender.mjs): www/embed.js draws those before its core has loaded.

/** Each value the widget uses, with the docs placeholder it maps to. */
export const FIELDS = {
  namespace: { label: "Namespace", placeholder: "INFLUXDB_NAMESPACE", fallback: "influxdb" },
  directory: { label: "Directory", placeholder: "DIRECTORY_PATH", fallback: "/home/you/.config/influxctl" },
  keyGenJob: { label: "Key-gen job", placeholder: "KEY_GEN_JOB", fallback: "", hint: "found on the cluster" },
  createTokenJob: { label: "Create-admin-token job", placeholder: "CREATE_ADMIN_TOKEN_JOB", fallback: "", hint: "found on the cluster" },
  name: { label: "Profile name", placeholder: "PROFILE_NAME", fallback: "default" },
  host: { label: "Host", placeholder: "INFLUXDB_HOST", fallback: "cluster.example.com" },
  port: { label: "Port", placeholder: "INFLUXDB_PORT", fallback: "443" },
};

/** The jobs each procedure names (revoke's current method deletes both; the original re-runs key-gen). */
const JOBS_OF = {
  revoke: (method) => (method === "original" ? ["keyGenJob"] : ["keyGenJob", "createTokenJob"]),
  create: () => ["createTokenJob"],
};

/** The fields a kind of widget shows, in order (a revoke writes no token file: no directory). */
export function fieldsOf(kind, { procedure, method }) {
  if (kind === "profile") return ["name", "host", "port", "directory"];
  return ["namespace", ...(procedure === "revoke" ? [] : ["directory"]),
    ...(Object.hasOwn(JOBS_OF, procedure ?? "") ? JOBS_OF[procedure](method) : [])];
}

/**
 * DIRECTORY_PATH as a directory: the docs page writes `"/DIRECTORY_PATH/token.json"`, putting
 * the leading slash itself, so `home/me/.influxctl` and `/home/me/.influxctl` are the same
 * directory. A Windows path (`C:\…`) stays as it is.
 */
export function directoryOf(value) {
  return value && !/^([/\\]|[A-Za-z]:[\\/])/.test(value) ? `/${value}` : value;
}

/** A procedure widget's method: only a revoke has one ("current" when not given). */
const methodOf = ({ procedure = "fetch", method }) => (procedure === "revoke" ? method ?? "current" : undefined);

/** Everything a view depends on, as one string: two widgets with equal keys show the same. */
export function viewKey(kind, attrs, values) {
  const procedure = kind === "profile" ? null : attrs.procedure ?? "fetch";
  return JSON.stringify([kind, procedure, kind === "profile" ? null : methodOf(attrs) ?? null, attrs.profile ?? "default", values]);
}

/**
 * What a widget shows for `values` (one per field of fieldsOf): {title, docs, shell} for a
 * procedure, {title, profile} for a profile, or {title, error} (a CoreError: a bad value
 * renders no command at all, since half a procedure is worse than none).
 */
export function viewOf(core, kind, attrs, values) {
  const title = kind === "profile" ? "influxctl config.toml profile" : undefined;
  try {
    if (kind === "profile") {
      const tokenFile = core.tokenFileIn(values.directory);
      return { title, profile: core.profileSnippet({ name: values.name, host: values.host, port: values.port, tokenFile }) };
    }
    return procedureView(core, attrs, values);
  } catch (err) {
    if (!(err instanceof core.CoreError)) throw err;
    return { title: err.title ?? title, error: err };
  }
}

function procedureView(core, attrs, values) {
  const procedure = attrs.procedure ?? "fetch";
  const method = methodOf(attrs);
  // The titles are the core's, as the editor's are.
  const offered = core.procedures();
  if (!offered.some((o) => o.procedure === procedure)) {
    throw new core.CoreError({ title: "influxctl-admin", kind: "bad-request", message: `unknown procedure ${JSON.stringify(procedure)}: use fetch, revoke or create` });
  }
  const chosen = offered.find((o) => o.procedure === procedure && (o.method ?? undefined) === method);
  if (!chosen) {
    throw new core.CoreError({ title: "Revoke the admin token", kind: "bad-request", message: `unknown method ${JSON.stringify(method)}: use current or original` });
  }
  try {
    const tokenFile = core.tokenFileIn(values.directory ?? FIELDS.directory.fallback);
    const plan = core.plan({
      procedure, method, namespace: values.namespace, tokenFile, profile: attrs.profile ?? "default",
      keyGenJob: values.keyGenJob || undefined, createTokenJob: values.createTokenJob || undefined,
    });
    return { title: chosen.title, docs: plan.docs, shell: plan.shell };
  } catch (err) {
    if (err instanceof core.CoreError) err.title = chosen.title;
    throw err;
  }
}
