/**
 * What each item of the cost stage's bill is (issue 27): one row per kind of line, written once
 * here so that bench/results/cost.md and latest.md explain the bill they show.
 */
export const BILL_ITEMS: readonly [item: string, what: string][] = [
  ["API Gateway HTTP API requests", 'one per intake request ($1.00 per million); none behind `frontDoor: "function-url"`'],
  ["Lambda API requests / duration", "one invocation per intake request; duration priced from its CPU time and awaited calls (see below)"],
  ["SQS SendMessageBatch (deliveries queue)", "intake enqueues one message per delivery, up to ten a request"],
  [
    "DynamoDB PutItem event",
    "the event record (payload deflated, one write unit), kept in its tenant's event list on the table itself (no index copy): one unit an event; an event whose id is not time-ordered (a caller's id, an Idempotency-Key's) adds a small lookup item (one more unit, none in this run)",
  ],
  ["DynamoDB Query endpoints of tenant (gsi1)", "intake reads the tenant's endpoints to match subscriptions, once a request"],
  ["DynamoDB BatchGetItem other", "a few lookups a run outside the per-request path (a fraction of a cent a million)"],
  ["Lambda delivery requests / duration", "one invocation per receive batch of up to ten messages"],
  [
    "SQS ReceiveMessage / DeleteMessageBatch (event source)",
    "Lambda's pollers: one receive and one delete per batch, plus empty receives of idle pollers (the slow lane's)",
  ],
  ["DynamoDB GetItem endpoint", "the worker reads each endpoint once a batch (its URL, secret, health)"],
  [
    "DynamoDB PutItem attempt",
    "the record of the attempt (one unit) plus its copy on `gsi1`, the endpoint's attempt list read by the console, stats, the circuit breaker and recovery (one more): two units a delivery",
  ],
  ["CloudWatch Logs", "the functions' own lines and embedded metrics, and API Gateway's access log (145 bytes a request)"],
  [
    "storage",
    "bytes the puts keep (items and index copies, 100 bytes of overhead each) for the 30-day default retention, with and without PITR; not in the per-delivery total",
  ],
];

/** The table of BILL_ITEMS as markdown lines. */
export function billItemsSection(): string[] {
  return [
    "### What each item of the bill is",
    "",
    "| item | what it pays for |",
    "|---|---|",
    ...BILL_ITEMS.map(([i, w]) => `| ${i} | ${w} |`),
    "",
  ];
}
