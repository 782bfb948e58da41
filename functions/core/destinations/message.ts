import type { AwsDestinationKind, DestinationTarget } from "./targets.ts";

/*
 * The message an AWS destination receives: the event's body, unchanged, signed over its exact bytes
 * as a webhook is (`${webhook-id}.${webhook-timestamp}.${body}`), with the signature beside it where
 * the service has a place for it: SQS and SNS message attributes, S3 object metadata, and for
 * EventBridge and Kinesis (no attributes) an envelope object whose `body` is the body as a string.
 */

/** One signed delivery, as the core hands it to a destination sender. */
export interface SignedDelivery {
  /** `webhook-id`: the consumer's dedupe key, the same on every attempt. */
  id: string;
  /** `webhook-timestamp`, unix seconds of this attempt. */
  timestamp: number;
  /** `webhook-signature`: one `v1,<base64>` per live secret, space-separated. */
  signature: string;
  /** The event type. */
  type: string;
  /** The exact JSON text that was signed. */
  body: string;
  eventId: string;
  tenantId: string;
  endpointId: string;
}

/** The attributes (SQS, SNS), metadata (S3) or envelope fields (EventBridge, Kinesis) beside the body. */
export function deliveryAttributes(d: SignedDelivery): Record<string, string> {
  return { "webhook-id": d.id, "webhook-timestamp": String(d.timestamp), "webhook-signature": d.signature, "webhook-type": d.type };
}

/** EventBridge's `detail` and a Kinesis record's data: an object, as EventBridge requires, with the body as a string beside the fields. */
export function envelope(d: SignedDelivery): string {
  return JSON.stringify({ ...deliveryAttributes(d), body: d.body });
}

/**
 * The S3 key of a delivery: `<prefix><yyyy>/<mm>/<dd>/<event type>/<webhook-id>.json`, dated by the
 * event's creation. One object per event and endpoint: a retry overwrites the same key, so a consumer
 * never sees two objects of one delivery.
 */
export function s3Key(prefix: string, d: SignedDelivery, createdAt: string): string {
  const [date] = createdAt.split("T") as [string];
  const [y, m, day] = date.split("-");
  return `${prefix}${y}/${m}/${day}/${d.type}/${d.id}.json`;
}

/** The services' size limits on one message, attributes included, in bytes. */
export const SIZE_LIMITS: Record<AwsDestinationKind, number> = {
  // SQS raised its limit to 1 MiB in January 2026; attribute names, types and values count.
  sqs: 1024 * 1024,
  // SNS: 256 KiB, attributes included.
  sns: 256 * 1024,
  // EventBridge PutEvents: 256 KiB per entry (source, detail type, detail, resources).
  eventbridge: 256 * 1024,
  // Kinesis: 1 MiB of data plus partition key per record.
  kinesis: 1024 * 1024,
  // S3: 5 GB per PUT; the dispatcher's own body limit (MAX_BODY_BYTES, at most 1 MiB) always fits.
  s3: 5 * 1024 ** 3,
};

/** How many bytes a delivery takes against its service's limit (a JSON-escaped body may grow in an envelope). */
export function framedBytes(target: DestinationTarget, d: SignedDelivery, source: string): number {
  const attributes = Object.entries(deliveryAttributes(d)).reduce(
    // SQS counts each attribute's name, its data type ("String") and its value.
    (sum, [name, value]) => sum + Buffer.byteLength(name) + 6 + Buffer.byteLength(value),
    0,
  );
  switch (target.kind) {
    case "sqs":
    case "sns":
      return Buffer.byteLength(d.body) + attributes;
    case "eventbridge":
      return Buffer.byteLength(envelope(d)) + Buffer.byteLength(source) + Buffer.byteLength(target.detailType ?? d.type);
    case "kinesis":
      return Buffer.byteLength(envelope(d)) + 256;
    case "s3":
      return Buffer.byteLength(d.body);
  }
}

/**
 * The most bytes of envelope and attributes a body of `bodyBytes` can need: a JSON body escaped into
 * a string grows by at most its quotes and backslashes (an escaped control character takes 6 bytes).
 * Registration compares it with the limit: a deployment whose largest event cannot fit is told so.
 */
export function worstCaseBytes(kind: AwsDestinationKind, bodyBytes: number): number {
  const attributes = 600;
  if (kind === "eventbridge" || kind === "kinesis") return bodyBytes * 2 + attributes + 512;
  if (kind === "s3") return bodyBytes;
  return bodyBytes + attributes;
}
