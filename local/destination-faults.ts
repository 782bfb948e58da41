import http from "node:http";
import { closeServer, listenOnLoopback } from "./loopback.ts";

/*
 * An HTTP proxy on loopback in front of an emulator that plays the customer's account. The emulators
 * have no IAM, no throttling and no KMS: a fault set for a target name (a queue, topic, bucket or
 * stream) is answered here as the service would answer it, in the service's own error format, so
 * the SDK raises the same error it raises in AWS. Everything else is forwarded unchanged.
 */

/** How the service frames its errors: AWS JSON (SQS, Kinesis, EventBridge), query XML (SNS), REST XML (S3). */
export type ErrorProtocol = "json" | "query" | "rest-xml";

/** An error to answer instead of forwarding (the HTTP status and the service's error code), or `cut`: the connection dropped unanswered, as a network failure on our side looks. */
export type Fault = { status: number; code: string; message?: string } | "cut";

/** Faults a test or a user can set while the stack runs. */
export const FAULTS = {
  denied: {
    sqs: { status: 400, code: "AccessDenied" },
    sns: { status: 403, code: "AuthorizationError" },
    s3: { status: 403, code: "AccessDenied" },
    kinesis: { status: 400, code: "AccessDeniedException" },
  },
  throttled: {
    sqs: { status: 400, code: "RequestThrottled" },
    sns: { status: 400, code: "Throttling" },
    s3: { status: 503, code: "SlowDown" },
    kinesis: { status: 400, code: "ProvisionedThroughputExceededException" },
  },
  kms: {
    sqs: { status: 400, code: "KmsAccessDenied" },
    sns: { status: 400, code: "KMSAccessDenied" },
    s3: { status: 403, code: "KMS.AccessDeniedException" },
    kinesis: { status: 400, code: "KMSAccessDeniedException" },
  },
} as const;

/** A running fault proxy. */
export interface FaultProxy {
  url: string;
  /** Answers `fault` to every request naming `target` (until cleared with undefined). */
  fault(target: string, fault: Fault | undefined): void;
  /** Requests answered with a fault so far. */
  faulted(): number;
  stop(): Promise<void>;
}

/** The path with its escapes decoded, as the names in it are matched; as sent when an escape is malformed. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Starts the proxy in front of `upstream`, answering faults in `protocol`'s format. */
export async function startDestinationFaults(upstream: string, protocol: ErrorProtocol): Promise<FaultProxy> {
  const faults = new Map<string, Fault>();
  let faulted = 0;
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const text = `${decodedPath(req.url ?? "")}\n${body.toString("utf8")}`;
      const hit = [...faults.entries()].find(([name]) => named(text, name));
      if (hit) {
        faulted++;
        if (hit[1] === "cut") req.socket.destroy();
        else answer(res, protocol, hit[1]);
        return;
      }
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  const url = await listenOnLoopback(server, 0);
  return {
    url,
    fault: (name, fault) => (fault ? faults.set(name, fault) : faults.delete(name)),
    faulted: () => faulted,
    stop: () => closeServer(server),
  };
}

/** Whether a request names the target: as a whole path segment, ARN part or form value, not as a prefix of another name. */
function named(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[/:="&\\s])${escaped}($|[/"&\\s?])`, "m").test(text);
}

function answer(res: http.ServerResponse, protocol: ErrorProtocol, fault: Exclude<Fault, "cut">): void {
  const message = fault.message ?? `${fault.code} (set by the local stack's fault proxy)`;
  if (protocol === "json") {
    res.writeHead(fault.status, { "content-type": "application/x-amz-json-1.0", "x-amzn-query-error": `${fault.code};Sender` });
    res.end(JSON.stringify({ __type: `com.amazonaws.service#${fault.code}`, message }));
  } else if (protocol === "query") {
    res.writeHead(fault.status, { "content-type": "text/xml" });
    res.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${message}</Message></Error><RequestId>local</RequestId></ErrorResponse>`,
    );
  } else {
    res.writeHead(fault.status, { "content-type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>${message}</Message><RequestId>local</RequestId></Error>`,
    );
  }
}
