import { signingSecrets } from "../endpoints/secret-rotation.ts";
import { webhookId } from "../kernel/ids.ts";
import type { Endpoint } from "../kernel/model.ts";
import { Signer } from "../kernel/signing.ts";
import type { FeedEntry } from "./deps.ts";

/** One feed item as the API shows it: the webhook a POST would have carried, signed now. */
export interface FeedItem {
  id: string;
  eventId: string;
  /** The `webhook-id`. */
  messageId: string;
  eventType: string;
  timestamp: string;
  payload: unknown;
  body: string;
  headers: { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };
}

/**
 * The entries as items, signed at `now` with every live secret of the endpoint (the current one
 * first, then each rotated-out one in its grace period), as a webhook POST would be. Signing at read
 * time keeps `webhook-timestamp` inside receivers' tolerance (5 minutes in the reference libraries)
 * however late the consumer reads.
 */
export function feedItems(entries: FeedEntry[], endpoint: Endpoint, now: Date): FeedItem[] {
  const timestamp = Math.floor(now.getTime() / 1000);
  const signers = signingSecrets(endpoint, now).map((secret) => new Signer(secret));
  return entries.map((entry) => {
    const id = webhookId(entry);
    return {
      id: entry.id,
      eventId: entry.eventId,
      messageId: id,
      eventType: entry.eventType,
      timestamp: entry.timestamp,
      payload: JSON.parse(entry.body) as unknown,
      body: entry.body,
      headers: {
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signers.map((signer) => signer.sign(id, timestamp, entry.body)).join(" "),
      },
    };
  });
}
