import { signingSecrets } from "../endpoints/secret-rotation.ts";
import { endpointSignatureHeaders, signatureHeaders } from "../endpoints/signature-headers.ts";
import { webhookId } from "../kernel/ids.ts";
import type { AttemptRecord, DeliveryMessage, Endpoint } from "../kernel/model.ts";
import { Signer } from "../kernel/signing.ts";
import { classifyOutcome, type Outcome } from "../policy/outcome.ts";
import type { DeliveryDeps, SlowWatch } from "./deps.ts";

/** The product name receivers see in `user-agent`. */
export const USER_AGENT = "hookrelay/0.1 (+https://github.com/hookrelay/hookrelay)";
const RESPONSE_BODY_BYTES = 4096;

/** One POST and what it left for the log. */
export interface Attempted {
  at: Date;
  outcome: Outcome;
  fields: Pick<AttemptRecord, "url" | "durationMs" | "statusCode" | "responseBody" | "error" | "errorMessage">;
}

/**
 * Signs and POSTs the message to the endpoint, within `budgetMs` when given (the fast lane's), with
 * `watch` told if it is still unanswered after a while (the slow lane's, lanes.ts). During
 * a secret rotation's grace period the signature header carries one signature per live secret,
 * space-separated, the current one first. The id, timestamp and signature go under the endpoint's
 * `signatureHeaders` names (`webhook-*`, `svix-*` or both).
 */
export async function sendSigned(
  deps: Pick<DeliveryDeps, "clock" | "http" | "policy">,
  message: DeliveryMessage,
  endpoint: Endpoint,
  budgetMs?: number,
  watch?: SlowWatch,
): Promise<Attempted> {
  const at = deps.clock.now();
  const { id, timestamp, signature } = signDelivery(message, endpoint, at);
  const headers: Record<string, string> = {
    ...endpoint.headers,
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    ...signatureHeaders(endpointSignatureHeaders(endpoint, deps.policy.signatureHeaders), {
      id,
      timestamp: String(timestamp),
      signature,
    }),
  };
  const result = await deps.http.post(endpoint.url, headers, message.body, budgetMs, watch);
  const response =
    result.kind === "response"
      ? { statusCode: result.statusCode, responseBody: truncate(result.body) }
      : { error: result.error, errorMessage: result.message };
  return {
    at,
    outcome: classifyOutcome(result, deps.clock.now()),
    fields: { url: endpoint.url, durationMs: result.durationMs, ...response },
  };
}

/**
 * The `webhook-id`, `webhook-timestamp` and `webhook-signature` of an attempt at `at`: one signature
 * per live secret, space-separated, the current one first. Webhooks and AWS destinations share it.
 */
export function signDelivery(message: DeliveryMessage, endpoint: Endpoint, at: Date): { id: string; timestamp: number; signature: string } {
  const timestamp = Math.floor(at.getTime() / 1000);
  const id = webhookId(message);
  const signature = signingSecrets(endpoint, at)
    .map((secret) => signerFor(secret).sign(id, timestamp, message.body))
    .join(" ");
  return { id, timestamp, signature };
}

function truncate(text: string): string {
  if (Buffer.byteLength(text) <= RESPONSE_BODY_BYTES) return text;
  return Buffer.from(text)
    .subarray(0, RESPONSE_BODY_BYTES)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}

const signers = new Map<string, Signer>();

/** Signers are cached per secret so that the key object is made once per warm container. */
function signerFor(secret: string): Signer {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size >= 1000) signers.clear();
    signer = new Signer(secret);
    signers.set(secret, signer);
  }
  return signer;
}
