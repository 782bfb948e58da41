/**
 * Construct ids are a contract: a renamed construct changes its CloudFormation logical id, and
 * CloudFormation then replaces the resource, which for the stateful ones means a new, empty table,
 * new queues (messages lost), a new admin key and new log groups. These tests pin the logical id
 * of each stateful resource, computed from its construct path by the rule the CDK documents
 * (human-readable path + the first 8 hex digits of the path's MD5), so a rename, a new wrapping
 * construct or a change of that rule fails here before it reaches a deployed stack.
 */
import { createHash } from "node:crypto";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import type { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { logicalId, type Resource, SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { deployedStack } from "./synthesized.ts";

/** The CDK's logical id for a construct path inside a stack (aws-cdk-lib core, makeUniqueId). */
function cdkLogicalId(path: string[]): string {
  const components = path.filter((c) => c !== "Default");
  const hash = createHash("md5").update(components.join("/")).digest("hex").slice(0, 8).toUpperCase();
  const human = components
    .filter((c, i) => i === 0 || !(components[i - 1] ?? "").endsWith(c))
    .filter((c) => c !== "Resource")
    .map((c) => c.replace(/[^A-Za-z0-9]/g, ""))
    .join("");
  return human + hash;
}

/** The stateful resources: where they sit in the construct tree and what CloudFormation makes of them. */
const STATEFUL: { what: string; path: string[]; type: string }[] = [
  { what: "the table (the delivery log and the endpoints)", path: ["Dispatcher", "Table", "Resource"], type: "AWS::DynamoDB::Table" },
  { what: "the delivery queue", path: ["Dispatcher", "DeliveryQueue", "Resource"], type: "AWS::SQS::Queue" },
  { what: "the slow lane's queue", path: ["Dispatcher", "SlowQueue", "Resource"], type: "AWS::SQS::Queue" },
  { what: "the dead-letter queue", path: ["Dispatcher", "DeadLetterQueue", "Resource"], type: "AWS::SQS::Queue" },
  { what: "the ordered queue", path: ["Dispatcher", "OrderedQueue", "Resource"], type: "AWS::SQS::Queue" },
  { what: "the ordered dead-letter queue", path: ["Dispatcher", "OrderedDeadLetterQueue", "Resource"], type: "AWS::SQS::Queue" },
  { what: "the push's subscribe-deadline queue", path: ["Dispatcher", "PushDeadlineQueue", "Resource"], type: "AWS::SQS::Queue" },
  { what: "the admin key secret", path: ["Dispatcher", "AdminKey", "Resource"], type: "AWS::SecretsManager::Secret" },
  { what: "the API function's log group", path: ["Dispatcher", "Api", "Logs", "Resource"], type: "AWS::Logs::LogGroup" },
  { what: "the delivery function's log group", path: ["Dispatcher", "Delivery", "Logs", "Resource"], type: "AWS::Logs::LogGroup" },
  { what: "the dead-letter consumer's log group", path: ["Dispatcher", "DeadLetter", "Logs", "Resource"], type: "AWS::Logs::LogGroup" },
  { what: "the sweeper's log group", path: ["Dispatcher", "Sweeper", "Logs", "Resource"], type: "AWS::Logs::LogGroup" },
  { what: "the feed function's log group", path: ["Dispatcher", "Feed", "Logs", "Resource"], type: "AWS::Logs::LogGroup" },
  { what: "the push function's log group", path: ["Dispatcher", "Push", "Logs", "Resource"], type: "AWS::Logs::LogGroup" },
  { what: "the HTTP API's access log group", path: ["Dispatcher", "AccessLogs", "Resource"], type: "AWS::Logs::LogGroup" },
];

let stack: WebhookDispatcherStack;
let template: Template;

beforeAll(() => {
  // Ids do not depend on the functions' code: the stack is the unbundled one.
  ({ stack, template } = deployedStack());
}, SYNTH_TIMEOUT_MS);

describe("the logical ids of the stateful resources", () => {
  it.each(STATEFUL)("$what keeps its logical id", ({ path, type }) => {
    const id = cdkLogicalId(path);
    const resources = template.toJSON().Resources as Record<string, Resource>;
    expect(resources[id]?.Type).toBe(type);
  });

  it("covers every table, queue, secret and log group of the stack, and the fields that expose them", () => {
    const pinned = new Set(STATEFUL.map(({ path }) => cdkLogicalId(path)));
    for (const type of ["AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::SecretsManager::Secret", "AWS::Logs::LogGroup"]) {
      for (const id of Object.keys(template.findResources(type))) expect(pinned.has(id), `${type} ${id}`).toBe(true);
    }
    const d = stack.dispatcher;
    expect(logicalId(stack, d.table)).toBe(cdkLogicalId(["Dispatcher", "Table", "Resource"]));
    expect(logicalId(stack, d.deliveryQueue)).toBe(cdkLogicalId(["Dispatcher", "DeliveryQueue", "Resource"]));
    expect(logicalId(stack, d.slowQueue)).toBe(cdkLogicalId(["Dispatcher", "SlowQueue", "Resource"]));
    expect(logicalId(stack, d.deadLetterQueue)).toBe(cdkLogicalId(["Dispatcher", "DeadLetterQueue", "Resource"]));
    expect(logicalId(stack, d.orderedQueue)).toBe(cdkLogicalId(["Dispatcher", "OrderedQueue", "Resource"]));
    expect(logicalId(stack, d.orderedDeadLetterQueue)).toBe(cdkLogicalId(["Dispatcher", "OrderedDeadLetterQueue", "Resource"]));
    expect(logicalId(stack, d.pushDeadlineQueue as never)).toBe(cdkLogicalId(["Dispatcher", "PushDeadlineQueue", "Resource"]));
    expect(logicalId(stack, d.adminKeySecret)).toBe(cdkLogicalId(["Dispatcher", "AdminKey", "Resource"]));
  });

  it("creates no KMS key of its own (a customer-managed key is passed in, and stays the caller's)", () => {
    template.resourceCountIs("AWS::KMS::Key", 0);
  });
});
