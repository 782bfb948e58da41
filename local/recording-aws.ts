import { randomUUID } from "node:crypto";
import http from "node:http";
import { closeServer, listenOnLoopback } from "./loopback.ts";

/*
 * Two recording stand-ins on loopback for services that have no emulator: STS (AssumeRole, for
 * `roleArn` destinations and the tenant-tagged session) and EventBridge (PutEvents). Each keeps what
 * it was sent, so a test or a user of `npm start` can read it back, and answers as the service does.
 */

/** One AssumeRole STS was asked for. */
export interface AssumeRoleCall {
  roleArn: string;
  sessionName: string;
  externalId?: string;
  tags: Record<string, string>;
}

/** The recording STS: every role may be assumed unless `trust` names the only ExternalId it accepts, or `deny` refuses it. */
export interface RecordingSts {
  url: string;
  calls: AssumeRoleCall[];
  /** From now on `roleArn` accepts only `externalId` (as a trust policy with an sts:ExternalId condition). */
  trust(roleArn: string, externalId: string): void;
  deny(roleArn: string): void;
  /** Sessions last this long (at least 900 s in AWS). */
  sessionSeconds: number;
  stop(): Promise<void>;
}

/** Starts the recording STS on 127.0.0.1. */
export async function startRecordingSts(): Promise<RecordingSts> {
  const trusted = new Map<string, string>();
  const denied = new Set<string>();
  const sts: Omit<RecordingSts, "url" | "stop"> = {
    calls: [],
    trust: (role, id) => trusted.set(role, id),
    deny: (role) => denied.add(role),
    sessionSeconds: 3600,
  };
  const server = http.createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const form = new URLSearchParams(body);
        const roleArn = form.get("RoleArn") ?? "";
        const tags: Record<string, string> = {};
        for (let i = 1; form.has(`Tags.member.${i}.Key`); i++)
          tags[form.get(`Tags.member.${i}.Key`) ?? ""] = form.get(`Tags.member.${i}.Value`) ?? "";
        const externalId = form.get("ExternalId") ?? undefined;
        sts.calls.push({ roleArn, sessionName: form.get("RoleSessionName") ?? "", ...(externalId !== undefined && { externalId }), tags });
        const expected = trusted.get(roleArn);
        if (form.get("Action") !== "AssumeRole" || denied.has(roleArn) || (expected !== undefined && expected !== externalId)) {
          res.writeHead(403, { "content-type": "text/xml" });
          res.end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>local</RequestId></ErrorResponse>`,
          );
          return;
        }
        const expiration = new Date(Date.now() + sts.sessionSeconds * 1000).toISOString();
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIALOCAL${sts.calls.length}</AccessKeyId><SecretAccessKey>local</SecretAccessKey><SessionToken>local-${randomUUID()}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn}</Arn><AssumedRoleId>AROALOCAL:${form.get("RoleSessionName")}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
      })
      // Whatever fails answering one request fails that request, never the local stack.
      .catch(() => res.destroy());
  });
  const url = await listenOnLoopback(server, 0);
  return Object.assign(sts, { url, stop: () => closeServer(server) });
}

/** One event EventBridge was sent. */
export interface RecordedEvent {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
}

/** The recording EventBridge: PutEvents entries kept in order; a bus in `denied` answers AccessDeniedException. */
export interface RecordingEventBridge {
  url: string;
  events: RecordedEvent[];
  denied: Set<string>;
  stop(): Promise<void>;
}

/** The entries of a PutEvents body, or undefined when it is not JSON with an `Entries` list of objects. */
function putEventsEntries(body: string): RecordedEvent[] | undefined {
  let input: unknown;
  try {
    input = JSON.parse(body || "{}");
  } catch {
    return undefined;
  }
  if (typeof input !== "object" || input === null) return undefined;
  const entries = (input as { Entries?: unknown }).Entries ?? [];
  return Array.isArray(entries) && entries.every((e) => typeof e === "object" && e !== null) ? (entries as RecordedEvent[]) : undefined;
}

/** Starts the recording EventBridge on 127.0.0.1. */
export async function startRecordingEventBridge(): Promise<RecordingEventBridge> {
  const events: RecordedEvent[] = [];
  const denied = new Set<string>();
  const server = http.createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const entries = putEventsEntries(body);
        if (entries === undefined) {
          res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
          res.end(JSON.stringify({ __type: "SerializationException", message: "the body is not a PutEvents request" }));
          return;
        }
        if (entries.some((e) => denied.has(e.EventBusName))) {
          res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
          res.end(JSON.stringify({ __type: "AccessDeniedException", message: "not authorized to perform: events:PutEvents" }));
          return;
        }
        events.push(...entries);
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) }));
      })
      // Whatever fails answering one request fails that request, never the local stack.
      .catch(() => res.destroy());
  });
  const url = await listenOnLoopback(server, 0);
  return { url, events, denied, stop: () => closeServer(server) };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}
