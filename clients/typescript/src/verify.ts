/** For receivers: the Standard Webhooks check of a delivered webhook. */
import { Webhook } from "standardwebhooks";

/**
 * For receivers: checks a webhook's Standard Webhooks signature and timestamp with the endpoint's
 * `whsec_` secret, and returns its parsed payload; throws when it does not verify. `body` must be the
 * raw request body, exactly as received.
 */
export function verify(body: string, headers: Headers | Record<string, string | string[] | undefined>, secret: string): unknown {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const flat = Object.fromEntries(
    entries.filter(([, value]) => value !== undefined).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  return new Webhook(secret).verify(body, flat);
}
