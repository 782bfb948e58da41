import type { AttemptRecord } from "../../core/kernel/model.ts";
import { jsonLogLine, reservedKeysIn } from "./json-log-line.ts";

/** What the functions log: lines with fields, and one line per delivery attempt. Never a secret. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  attempt(attempt: AttemptRecord): void;
}

/** Structured JSON, one line per entry (Lambda), or one readable line per entry (local stack). */
export function createLog(format: "json" | "pretty", level: string, service: string): Log {
  return format === "json" ? jsonLog(level, service) : prettyLog(level);
}

const RANKS: Record<string, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

/** Lambda's log levels (AWS_LAMBDA_LOG_LEVEL) on the same scale; FATAL lets no line of ours through. */
const LAMBDA_RANKS: Record<string, number> = { TRACE: -1, DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3, FATAL: 4 };

function jsonLog(level: string, service: string): Log {
  const rank = RANKS[level] ?? 1;
  // Under Lambda's log controls the level is Lambda's (AWS_LAMBDA_LOG_LEVEL, set by Lambda, not a
  // setting), as it was with Powertools; the construct keeps it at INFO at most so that metric lines
  // survive (lib/dispatcher-function.ts, lambdaLogLevel), so WARN and ERROR are applied here.
  const lambdaRank = LAMBDA_RANKS[process.env.AWS_LAMBDA_LOG_LEVEL ?? ""];
  const threshold = Math.max(rank, lambdaRank ?? rank);
  // The level Powertools' own warnings were held to: Lambda's when it has one.
  const ownThreshold = lambdaRank ?? rank;
  // Warnings and errors go to stderr, the rest to stdout, as Powertools wrote them (Lambda files both).
  const write = (name: "DEBUG" | "INFO" | "WARN" | "ERROR", message: string, fields?: Record<string, unknown>) => {
    for (const key of reservedKeysIn(fields)) {
      if (ownThreshold <= 2) emit("WARN", `The key "${key}" is a reserved key and will be dropped.`);
    }
    emit(name, message, fields);
  };
  const emit = (name: "DEBUG" | "INFO" | "WARN" | "ERROR", message: string, fields?: Record<string, unknown>) => {
    const line = `${jsonLogLine({ level: name, message, service, timestamp: new Date() }, fields)}\n`;
    (name === "WARN" || name === "ERROR" ? process.stderr : process.stdout).write(line);
  };
  if (lambdaRank !== undefined && RANKS[level] !== undefined && lambdaRank > rank && lambdaRank <= 2) {
    // Powertools said so once at start: lines between LOG_LEVEL and Lambda's level are lost.
    emit(
      "WARN",
      `Current log level (${level}) does not match AWS Lambda Advanced Logging Controls minimum log level (${process.env.AWS_LAMBDA_LOG_LEVEL}). This can lead to data loss, consider adjusting them.`,
    );
  }
  return {
    info: (m, f) => (threshold <= 1 ? write("INFO", m, f) : undefined),
    warn: (m, f) => (threshold <= 2 ? write("WARN", m, f) : undefined),
    error: (m, f) => (threshold <= 3 ? write("ERROR", m, f) : undefined),
    attempt: (a) => {
      // A succeeded attempt is logged at DEBUG, the others at INFO.
      if (threshold > (a.status === "succeeded" ? 0 : 1)) return;
      const { responseBody: _body, ...fields } = a;
      fields.url = redactUrl(a.url);
      write(a.status === "succeeded" ? "DEBUG" : "INFO", "delivery attempt", fields);
    },
  };
}

function prettyLog(level: string): Log {
  const threshold = RANKS[level] ?? 1;
  const line = (rank: number, tag: string, message: string, fields?: Record<string, unknown>) => {
    if (rank < threshold) return;
    const extra = fields
      ? ` ${Object.entries(fields)
          .map(([k, v]) => `${k}=${typeof v === "string" ? oneLine(v) : JSON.stringify(v)}`)
          .join(" ")}`
      : "";
    process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${tag} ${oneLine(message)}${extra}\n`);
  };
  return {
    info: (m, f) => line(1, "info ", m, f),
    warn: (m, f) => line(2, "warn ", m, f),
    error: (m, f) => line(3, "error", m, f),
    attempt: (a) => {
      // An AWS destination or a feed append succeeds without an HTTP status; a polling endpoint has no URL.
      const result = a.statusCode !== undefined ? `HTTP ${a.statusCode}` : (a.error ?? (a.status === "succeeded" ? "ok" : a.status));
      const trigger = a.trigger === "scheduled" ? "" : ` ${a.trigger}`;
      const target = a.url === "" ? "feed" : redactUrl(a.url);
      const next = a.nextAttemptAt ? ` next at ${a.nextAttemptAt.slice(11, 19)}` : "";
      line(
        1,
        "send ",
        `${a.status.padEnd(9)} ${a.eventId} -> ${a.endpointId} #${a.attempt}${trigger} ${result} ${a.durationMs}ms ${target}${next}`,
      );
    },
  };
}

/**
 * A URL as logs may show it: query values and the fragment replaced, names kept, so a token a
 * receiver takes in its URL (`?access_token=…`) never reaches a log line. A bare `?abc` may be the
 * token itself, so it is replaced too. Works on the text, so even a URL stored before URLs were
 * parsed at registration is shown redacted and on one line.
 */
export function redactUrl(url: string): string {
  const cut = url.search(/[?#]/);
  if (cut < 0) return oneLine(url);
  const [beforeFragment, fragment] = splitOnce(url.slice(cut), "#");
  const query = beforeFragment.startsWith("?") ? beforeFragment.slice(1) : undefined;
  const names =
    query === undefined
      ? ""
      : `?${query
          .split("&")
          .map((pair) => (pair === "" ? "" : pair.includes("=") ? `${splitOnce(pair, "=")[0]}=${REDACTED}` : REDACTED))
          .join("&")}`;
  return oneLine(`${url.slice(0, cut)}${names}${fragment === undefined ? "" : `#${REDACTED}`}`);
}

const REDACTED = "REDACTED";

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Control characters escaped, so no value can end a log line and start a forged one. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
