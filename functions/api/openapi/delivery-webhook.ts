/*
 * The `webhooks.delivery` entry of the OpenAPI document (document.ts): the signed Standard Webhooks
 * request the dispatcher sends each endpoint.
 */

const signedHeader = (name: string, description: string) => ({
  name,
  in: "header",
  required: true,
  description,
  schema: { type: "string" },
});

/** What the dispatcher sends each endpoint: a Standard Webhooks request, and what each answer makes it do. */
export const WEBHOOK = {
  post: {
    operationId: "receiveDelivery",
    summary: "A delivery to your endpoint",
    description:
      "A signed Standard Webhooks request. Verify it with the endpoint's secret before trusting it: `verify(body, headers, secret)` of the TypeScript client, or any Standard Webhooks library. The body is the payload exactly as emitted; the endpoint's own `headers` are added.",
    security: [],
    parameters: [
      signedHeader(
        "webhook-id",
        "The event's `messageId` (`msg_…`, never the caller's `id`): the same on every attempt, replay and endpoint, so receivers can dedupe",
      ),
      signedHeader("webhook-timestamp", "Unix seconds of this attempt"),
      signedHeader(
        "webhook-signature",
        "`v1,<base64 HMAC-SHA256 of {webhook-id}.{webhook-timestamp}.{body}>`, one per active secret, space-separated",
      ),
    ],
    requestBody: { required: true, content: { "application/json": { schema: { description: "The event's payload" } } } },
    responses: {
      "2XX": { description: "Received: the delivery succeeded" },
      "410": { description: "Gone: the endpoint is disabled and gets no more deliveries" },
      "429": { description: "Slow down: retried later, honouring Retry-After" },
      default: { description: "Failed: retried on the endpoint's schedule (3xx redirects are not followed)" },
    },
  },
};
