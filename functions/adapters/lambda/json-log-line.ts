/**
 * One structured log entry as one line of JSON, with the keys @aws-lambda-powertools/logger 2.x
 * wrote for `new Logger({ serviceName, logLevel }).info(message, fields)`: level, message, timestamp
 * (ISO, UTC as in Lambda), service, sampling_rate, xray_trace_id when Lambda gives one, then the
 * caller's fields at top level. Written here because constructing Powertools' Logger and loading its
 * modules took about 2 ms of every cold start (docs/performance.md, "Cold start").
 *
 * Whatever a caller passes, this never throws and never writes more than one line: errors become
 * their name, location, message, stack and cause (as Powertools wrote them), a BigInt its digits,
 * a circular reference is left out, and a value that cannot be read at all (a throwing getter or
 * toJSON) turns the entry into one that says so.
 */

/** Powertools' reserved keys: a field under one of these names is dropped (and a warning logged). */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["level", "message", "sampling_rate", "service", "timestamp"]);

/** What one entry carries besides the caller's fields. */
export interface EntryHead {
  level: string;
  message: string;
  service: string;
  timestamp: Date;
}

/**
 * The entry as one line of JSON text, without its newline. Top-level fields that are undefined,
 * null or "" are left out, as Powertools left them out; so are `__proto__` and `constructor`.
 */
export function jsonLogLine(head: EntryHead, fields: Record<string, unknown> | undefined): string {
  try {
    const entry = headOf(head);
    const source: Record<string, unknown> = fields instanceof Error ? { error: fields } : (fields ?? {});
    for (const [key, value] of Object.entries(source)) {
      // An undefined field keeps what the head has under its name, as Powertools' merge kept it; a
      // toJSON method would be called on the entry and write whatever it returns instead of it.
      if (RESERVED_KEYS.has(key) || key === "__proto__" || key === "constructor" || value === undefined) continue;
      if (key === "toJSON" && typeof value === "function") continue;
      entry[key] = value;
    }
    for (const key of Object.keys(entry)) if (entry[key] === null || entry[key] === "") delete entry[key];
    return oneLine(JSON.stringify(entry, safeReplacer()));
  } catch (cause) {
    // A getter, a toJSON or a Proxy threw: the line still says what was logged, and why its fields are missing.
    return oneLine(JSON.stringify({ ...headOf(head), log_error: `fields could not be written: ${describe(cause)}` }));
  }
}

/** The reserved keys among `fields`, which jsonLogLine drops. */
export function reservedKeysIn(fields: Record<string, unknown> | undefined): string[] {
  if (fields === undefined || fields instanceof Error) return [];
  try {
    return Object.keys(fields).filter((key) => RESERVED_KEYS.has(key));
  } catch {
    return [];
  }
}

/** The keys every entry starts with; none can throw, so the fallback line can always be written. */
function headOf(head: EntryHead): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    level: head.level,
    message: typeof head.message === "string" ? head.message : describe(head.message),
    timestamp: head.timestamp.toISOString(),
    service: head.service,
    // Powertools' debug sampling, which hookrelay never turns on (POWERTOOLS_LOGGER_SAMPLE_RATE unset).
    sampling_rate: 0,
  };
  const traceId = xrayTraceId();
  if (traceId !== undefined) entry.xray_trace_id = traceId;
  if (entry.message === "") delete entry.message;
  return entry;
}

/**
 * The invocation's X-Ray trace id (its `Root`), read per line as Powertools read it: from Lambda's
 * per-invocation store when the runtime has one (several invocations at once), else from the
 * `_X_AMZN_TRACE_ID` variable Lambda sets before each invocation. Not a setting: Lambda changes it.
 */
function xrayTraceId(): string | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?: () => string | undefined } } }).awslambda?.InvokeStore;
  let header: unknown;
  try {
    header = store?.getXRayTraceId?.() ?? process.env._X_AMZN_TRACE_ID;
  } catch {
    header = undefined;
  }
  if (typeof header !== "string" || header === "") return undefined;
  if (!header.includes("=")) return header;
  for (const part of header.split(";")) {
    const [key, value] = part.split("=");
    if (key === "Root") return value;
  }
  return undefined;
}

/**
 * A JSON.stringify replacer that cannot loop: it turns errors into plain objects, BigInts into
 * their digits, and leaves out a value met again inside itself (a circular reference). It keeps
 * the chain of objects being written, as Powertools' replacer did, so a value shared by two
 * siblings is written twice, not taken for a cycle.
 */
function safeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key, value) {
    if (typeof value === "bigint") return value.toString();
    if (typeof value !== "object" || value === null) return value;
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return undefined;
    ancestors.push(value);
    if (!(value instanceof Error)) return value;
    const written = errorFields(value);
    // The error's fields are written from this new object: it stands in the chain for the error.
    ancestors.push(written);
    return written;
  };
}

/** An error as Powertools' formatter wrote it; its cause (an error or not) goes through the replacer again. */
function errorFields(error: Error): Record<string, unknown> {
  const { name, message, cause } = error;
  const stack = stackOf(error);
  const fields: Record<string, unknown> = { name, location: codeLocation(stack), message, stack, cause };
  for (const key in error) {
    if (key !== "name" && key !== "message" && key !== "stack" && key !== "cause") {
      fields[key] = (error as unknown as Record<string, unknown>)[key];
    }
  }
  return fields;
}

/**
 * The error's stack, or undefined when V8 cannot format it: the stack is formatted on its first read
 * with the error's toString, which throws for a name or message that is a Symbol.
 */
function stackOf(error: Error): unknown {
  try {
    return error.stack;
  } catch {
    return undefined;
  }
}

/** `file:line` of the first stack frame that has one, as Powertools' `location`. */
function codeLocation(stack: unknown): string {
  if (typeof stack !== "string") return "";
  for (const line of stack.split("\n")) {
    const match = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(line);
    if (match) return `${match[1]}:${Number(match[2])}`;
  }
  return "";
}

function describe(cause: unknown): string {
  try {
    return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  } catch {
    return "unreadable";
  }
}

/**
 * JSON.stringify escapes U+0000 to U+001F, but not DEL, the C1 controls (NEL among them) or the
 * Unicode line and paragraph separators, which some viewers break lines at. In JSON text they can
 * only stand inside strings, where an escape means the same character, so they are escaped too.
 */
function oneLine(json: string): string {
  return json.replace(/[\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
