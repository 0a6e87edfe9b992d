// Types for www/embed.js, the influxctl-admin docs widget.

/** Values a widget uses; each maps to a docs placeholder. */
export interface WidgetValues {
  /** INFLUXDB_NAMESPACE: the cluster's namespace (default "influxdb"). */
  namespace?: string;
  /** DIRECTORY_PATH: an absolute directory for token.json. */
  directory?: string;
  /** The token file itself; its directory becomes `directory`. */
  tokenFile?: string;
  /** KEY_GEN_JOB: the key-gen job's exact name (revoke), else found on the cluster. */
  keyGenJob?: string;
  /** CREATE_ADMIN_TOKEN_JOB: the create-admin-token job's exact name (revoke, create), else found on the cluster. */
  createTokenJob?: string;
  /** The influxctl profile the token is for (default "default"). */
  profile?: string;
  /** For kind "profile": the profile's name, host and port. */
  name?: string;
  host?: string;
  port?: string;
}

export interface ProcedureOptions extends WidgetValues {
  kind?: "procedure";
  procedure: "fetch" | "revoke" | "create";
  method?: "current" | "original";
}

export interface ProfileOptions extends WidgetValues {
  kind: "profile";
}

export interface WidgetHandle {
  /** Changes values and re-renders (a value the reader gave on the page still wins). */
  update(values: WidgetValues): void;
  /** The values the widget uses now. */
  values(): WidgetValues;
  /** Stops following the page and empties the widget. */
  dispose(): void;
}

/**
 * Renders a widget into `container`'s open shadow root (created when missing); `onchange`
 * gets the values when the reader changes a field.
 */
export function render(container: HTMLElement, options: ProcedureOptions | ProfileOptions, onchange?: (values: WidgetValues) => void): WidgetHandle;

/** DIRECTORY_PATH as a directory: a leading `/` is added when missing (the docs page writes `/DIRECTORY_PATH/`). */
export function directoryOf(value: string): string;

/** What both elements share: each attribute as a property (null when absent). */
declare class InfluxctlAdminElement extends HTMLElement {
  procedure: string | null;
  method: string | null;
  namespace: string | null;
  /** `token-file` */
  tokenFile: string | null;
  directory: string | null;
  /** `key-gen-job` */
  keyGenJob: string | null;
  /** `create-admin-token-job` */
  createTokenJob: string | null;
  name: string | null;
  host: string | null;
  port: string | null;
  profile: string | null;
  /** The values the widget uses now (also a `change` event's detail). */
  readonly values: WidgetValues | undefined;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: this, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: "change", listener: (this: this, ev: CustomEvent<WidgetValues>) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** `<influxctl-admin-procedure>`; `define()` registers it (embed.js does so on import). */
export class InfluxctlAdminProcedure extends InfluxctlAdminElement {
  static tagName: "influxctl-admin-procedure";
  static define(tagName?: string): void;
}

/** `<influxctl-admin-profile>`. */
export class InfluxctlAdminProfile extends InfluxctlAdminElement {
  static tagName: "influxctl-admin-profile";
  static define(tagName?: string): void;
}

/** Resolves once the WebAssembly core is loaded (one instance per page). */
export function ready(): Promise<void>;

/** A step as the widget shows it (`influxctl-admin plan … --docs`). */
export interface DocStep {
  title: string;
  /** The plain commands a reader types, in order. */
  commands: string[];
  /** What the reader does or finds out before running them, when anything. */
  note?: string | null;
  /** Whether the documentation's own procedure lacks this step. */
  addition: boolean;
}

/** A procedure as data: the same text as `influxctl-admin plan`. */
export interface Plan {
  /** Its steps: `title`, `argv` (kubectl's arguments), `stdin`, `waits_for`, `verifies`, `destructive`, `shell`, `action`. */
  procedure: { name: string; title: string; steps: Array<Record<string, unknown>> };
  /** The numbered list (`plan …`). */
  list: string;
  /** The whole bash script (`plan … --shell`). */
  shell: string;
  docs: DocStep[];
}

/** An error from the core: `kind` says which, `message` what happened, `shown` that with what to do next. */
export interface CoreError extends Error {
  kind: string;
  readonly shown: string;
}

/** The widget's own core (one instance per page), for a page that lays the steps out itself. */
export const core: {
  /** Loads the WebAssembly module once; resolves when it is ready (other calls throw before). */
  load(): Promise<void>;
  /** The procedures offered, in order, with their headings. */
  procedures(): Array<{ procedure: "fetch" | "revoke" | "create"; method: "current" | "original" | null; title: string }>;
  /** `token.json` inside an absolute directory; throws a CoreError for a relative one. */
  tokenFileIn(directory: string): string;
  plan(options: {
    procedure: "fetch" | "revoke" | "create";
    method?: "current" | "original";
    recreate?: boolean;
    namespace: string;
    context?: string;
    kubeconfig?: string;
    tokenFile: string;
    profile?: string;
    keyGenJob?: string;
    createTokenJob?: string;
  }): Plan;
  /** The `[[profile]]` that `profile add … --product clustered` and `use-token` write. */
  profileSnippet(options: { name: string; host: string; port?: string; tokenFile: string }): string;
};

declare global {
  interface HTMLElementTagNameMap {
    "influxctl-admin-procedure": InfluxctlAdminProcedure;
    "influxctl-admin-profile": InfluxctlAdminProfile;
  }
}
