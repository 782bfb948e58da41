/**
 * Which header names carry a delivery's id, timestamp and signature. Receivers migrated from Svix
 * verify `svix-id`, `svix-timestamp` and `svix-signature` (the svix libraries read those first);
 * Standard Webhooks receivers read `webhook-*`. The values are the same under either name, so
 * `both` serves a receiver in the middle of a move.
 */

/** The choices of an endpoint's `signatureHeaders`, of a tenant's default and of SIGNATURE_HEADERS. */
export const SIGNATURE_HEADER_STYLES = ["webhook", "svix", "both"] as const;
export type SignatureHeaderStyle = (typeof SIGNATURE_HEADER_STYLES)[number];

/** The three signed values of one delivery. */
export interface SignedValues {
  id: string;
  timestamp: string;
  signature: string;
}

const PREFIXES: Record<SignatureHeaderStyle, readonly string[]> = {
  webhook: ["webhook-"],
  svix: ["svix-"],
  both: ["webhook-", "svix-"],
};

/** The id, timestamp and signature headers in `style`: `webhook-*`, `svix-*` or both sets. */
export function signatureHeaders(style: SignatureHeaderStyle, values: SignedValues): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const prefix of PREFIXES[style]) {
    headers[`${prefix}id`] = values.id;
    headers[`${prefix}timestamp`] = values.timestamp;
    headers[`${prefix}signature`] = values.signature;
  }
  return headers;
}

/**
 * The style an endpoint's deliveries are signed with: its own, else its tenant's default. The
 * delivery worker passes the tenant's setting (`settings.signatureHeaders` on its record, read through
 * the tenant-status cache) in place of SIGNATURE_HEADERS where the tenant has one.
 */
export function endpointSignatureHeaders(
  endpoint: { signatureHeaders?: SignatureHeaderStyle },
  tenantDefault: SignatureHeaderStyle,
): SignatureHeaderStyle {
  return endpoint.signatureHeaders ?? tenantDefault;
}
