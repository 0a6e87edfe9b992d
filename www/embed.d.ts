// Types for www/embed.js, the influxctl-admin docs widget.

/** Values a widget uses; each maps to a docs placeholder. */
export interface WidgetValues {
  /** INFLUXDB_NAMESPACE: the cluster's namespace (default "influxdb"). */
  namespace?: string;
  /** DIRECTORY_PATH: an absolute directory for token.json. */
  directory?: string;
  /** The token file itself; its directory becomes `directory`. */
  tokenFile?: string;
  /** KEY_GEN_JOB: the key-gen job to re-run (method "original"). */
  keyGenJob?: string;
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
  /** Changes values and re-renders. */
  update(values: WidgetValues): void;
  /** Stops following the page and empties the widget. */
  dispose(): void;
}

/** Renders a widget into `container`'s open shadow root (created when missing). */
export function render(container: HTMLElement, options: ProcedureOptions | ProfileOptions): WidgetHandle;

/** Resolves once the WebAssembly core is loaded (one instance per page). */
export function ready(): Promise<void>;

/** A step's script lines grouped into commands (a loop with its body is one command). */
export function commands(lines: string[]): string[];

declare global {
  interface HTMLElementTagNameMap {
    "influxctl-admin-procedure": HTMLElement;
    "influxctl-admin-profile": HTMLElement;
  }
}
