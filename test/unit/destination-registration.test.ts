import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { externalIdFor } from "../../functions/core/destinations/access.ts";
import { partitionOf } from "../../functions/core/destinations/targets.ts";
import { apiCaller } from "../support/api-caller.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { ScriptedRoleCheck, testDestinationRegistration } from "../support/destinations.ts";

/*
 * Registering AWS destinations through the API (the deployment: us-east-1, account 111111111111).
 * Each class of bad target is generated: a 422 that names the field, never a stored endpoint.
 */

const region = fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "us-west-2");
const foreignRegion = fc.constantFrom("cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1");
const account = fc.stringMatching(/^[0-9]{12}$/).filter((a) => a !== "111111111111");
const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);

function setup() {
  const roles = new ScriptedRoleCheck();
  const deps = { ...memoryApiDeps(), destinations: testDestinationRegistration(roles) };
  return { deps, roles, call: apiCaller(deps) };
}
const post = (call: ReturnType<typeof setup>["call"], body: object) =>
  call("POST", "/v1/endpoints", { body: { tenantId: "acme", ...body } });

/** A valid target body of each kind, in `r` and account `a`. */
const validBodies = (r: string, a: string, n: string) => [
  { kind: "sqs", queueUrl: `https://sqs.${r}.amazonaws.com/${a}/${n}` },
  { kind: "sqs", queueUrl: `https://${r}.queue.amazonaws.com/${a}/${n}.fifo` },
  { kind: "sns", topicArn: `arn:aws:sns:${r}:${a}:${n}` },
  { kind: "eventbridge", eventBusArn: `arn:aws:events:${r}:${a}:event-bus/${n}` },
  { kind: "kinesis", streamArn: `arn:aws:kinesis:${r}:${a}:stream/${n}` },
];
const FIELD = { sqs: "queueUrl", sns: "topicArn", eventbridge: "eventBusArn", kinesis: "streamArn", s3: "bucket" } as const;

describe("registering an AWS destination", () => {
  it("stores a valid target of every kind, names it in url and shows where it is", async () => {
    await fc.assert(
      fc.asyncProperty(region, account, name, async (r, a, n) => {
        const { call } = setup();
        for (const body of validBodies(r, a, n)) {
          const created = await post(call, body);
          expect(created.status).toBe(201);
          expect(created.json).toMatchObject({ kind: body.kind, url: Object.values(body)[1], destination: { region: r, account: a } });
          expect(created.json.destination.roleArn).toBeUndefined();
        }
      }),
      { numRuns: 15 },
    );
  });

  it("stores an s3 bucket in the deployment's region unless one is given", async () => {
    const { call } = setup();
    const plain = await post(call, { kind: "s3", bucket: "acme-events", prefix: "hooks/" });
    expect(plain.json).toMatchObject({
      url: "s3://acme-events/hooks/",
      destination: { bucket: "acme-events", region: "us-east-1", prefix: "hooks/" },
    });
    const elsewhere = await post(call, { kind: "s3", bucket: "acme-events", region: "eu-central-1" });
    expect(elsewhere.json.destination.region).toBe("eu-central-1");
  });

  it("refuses a target in another partition, naming the field", async () => {
    await fc.assert(
      fc.asyncProperty(foreignRegion, account, name, async (r, a, n) => {
        const { call } = setup();
        const partition = partitionOf(r);
        const bodies = [
          { kind: "sqs", queueUrl: `https://sqs.${r}.amazonaws.com${partition === "aws-cn" ? ".cn" : ""}/${a}/${n}` },
          { kind: "sns", topicArn: `arn:${partition}:sns:${r}:${a}:${n}` },
          { kind: "sns", topicArn: `arn:aws:sns:${r}:${a}:${n}` },
          { kind: "eventbridge", eventBusArn: `arn:${partition}:events:${r}:${a}:event-bus/${n}` },
          { kind: "kinesis", streamArn: `arn:${partition}:kinesis:${r}:${a}:stream/${n}` },
          { kind: "s3", bucket: "acme-events", region: r },
        ];
        for (const body of bodies) {
          const answer = await post(call, body);
          expect(answer.status).toBe(422);
          const field = body.kind === "s3" ? "region" : FIELD[body.kind as keyof typeof FIELD];
          expect(answer.json.error.details).toEqual([
            expect.objectContaining({ path: field, message: expect.stringMatching(/partition/) }),
          ]);
        }
      }),
      { numRuns: 10 },
    );
  });

  it("refuses malformed targets of every kind with 422 naming the field", async () => {
    const junk = fc.oneof(
      // Any string but a valid bucket name (3 to 63 of a-z, 0-9, '.', '-').
      fc
        .string()
        .filter((t) => !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(t)),
      fc.constant("arn:aws:sqs:us-east-1:123456789012:q"),
      fc.constant("https://evil.example/123456789012/q"),
      fc.constant("https://sqs.us-east-1.amazonaws.com/123456789012/q?x=1"),
      fc.constant("http://sqs.us-east-1.amazonaws.com/123456789012/q"),
      fc.constant("arn:aws:sns:us-east-1:12345:t"),
      fc.constant("arn:aws:events:us-east-1:123456789012:rule/r"),
      fc.constant("arn:aws:kinesis:nowhere:123456789012:stream/s"),
      fc.constant("Bucket_With_Caps"),
      fc.constant("192.168.1.1"),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("sqs", "sns", "eventbridge", "kinesis", "s3"), junk, async (kind, value) => {
        const { call, deps } = setup();
        const field = FIELD[kind as keyof typeof FIELD];
        const answer = await post(call, { kind, [field]: value });
        expect(answer.status).toBe(422);
        expect(answer.json.error.details.map((d: { path: string }) => d.path)).toEqual([field]);
        expect(deps.endpoints.items.size).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses url and headers on an AWS destination, naming each", async () => {
    const { call } = setup();
    const answer = await post(call, {
      kind: "sns",
      topicArn: "arn:aws:sns:us-east-1:123456789012:t",
      url: "https://a.example",
      headers: {},
    });
    expect(answer.status).toBe(422);
    expect(answer.json.error.details.map((d: { path: string }) => d.path)).toEqual(["url", "headers"]);
  });

  it("refuses every kind of target in the dispatcher's own account, naming the field, unless the operator allows its name", async () => {
    await fc.assert(
      fc.asyncProperty(region, name, fc.integer({ min: 0, max: 4 }), async (r, n, k) => {
        const body = validBodies(r, "111111111111", n)[k] as { kind: keyof typeof FIELD };
        const { call } = setup();
        const refused = await post(call, body);
        expect(refused.status).toBe(422);
        expect(refused.json.error).toMatchObject({ code: "destination_not_allowed", details: [{ path: FIELD[body.kind] }] });
        const allowing = setup();
        allowing.deps.destinations.own = { ...allowing.deps.destinations.own, allowed: [n, `${n}.fifo`] };
        expect((await post(allowing.call, body)).status).toBe(201);
      }),
      { numRuns: 25 },
    );
  });

  it("refuses a resource of the dispatcher's own account or its own queues unless the operator allows it", async () => {
    const own = { kind: "sqs", queueUrl: "https://sqs.us-east-1.amazonaws.com/111111111111/orders" };
    const { call } = setup();
    const refused = await post(call, own);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: "destination_not_allowed", details: [{ path: "queueUrl" }] });
    const byName = await post(call, { kind: "sqs", queueUrl: "https://sqs.us-east-1.amazonaws.com/222222222222/hookrelay-deliveries" });
    expect(byName.json.error).toMatchObject({ code: "destination_not_allowed" });
    const throughRole = await post(call, {
      kind: "sns",
      topicArn: "arn:aws:sns:us-east-1:222222222222:t",
      roleArn: "arn:aws:iam::111111111111:role/r",
    });
    expect(throughRole.json.error).toMatchObject({ code: "destination_not_allowed", details: [{ path: "topicArn" }] });

    const allowing = setup();
    allowing.deps.destinations.own = { ...allowing.deps.destinations.own, allowed: ["orders"] };
    expect((await post(allowing.call, own)).status).toBe(201);
  });
});

describe("a roleArn", () => {
  const role = "arn:aws:iam::222222222222:role/hookrelay-delivery";
  const topic = { kind: "sns", topicArn: "arn:aws:sns:us-east-1:222222222222:orders" };

  it("is assumed once at registration with the tenant's ExternalId, and stored", async () => {
    const { call, roles } = setup();
    roles.trusting.set(role, externalIdFor("111111111111/hookrelay", "acme"));
    const created = await post(call, { ...topic, roleArn: role });
    expect(created.status).toBe(201);
    expect(created.json.destination.roleArn).toBe(role);
    expect(roles.calls).toEqual([{ roleArn: role, externalId: externalIdFor("111111111111/hookrelay", "acme") }]);
  });

  it("named by another tenant is assumed with that tenant's ExternalId, which the role refuses: 422 naming roleArn", async () => {
    const { call, roles, deps } = setup();
    roles.trusting.set(role, externalIdFor("111111111111/hookrelay", "acme"));
    const answer = await call("POST", "/v1/endpoints", { body: { ...topic, roleArn: role, tenantId: "mallory" } });
    expect(answer.status).toBe(422);
    expect(answer.json.error.details).toEqual([expect.objectContaining({ path: "roleArn", message: expect.stringMatching(/ExternalId/) })]);
    expect(deps.endpoints.items.size).toBe(0);
  });

  it("that is not a role ARN of the partition is 422 naming roleArn, before any AssumeRole", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constant("arn:aws:iam::222222222222:user/u"),
          fc.constant("arn:aws-cn:iam::222222222222:role/r"),
          fc.constant("arn:aws:iam:us-east-1:222222222222:role/r"),
        ),
        async (roleArn) => {
          const { call, roles } = setup();
          const answer = await post(call, { ...topic, roleArn });
          expect(answer.status).toBe(422);
          expect(answer.json.error.details[0].path).toBe("roleArn");
          expect(roles.calls).toEqual([]);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("the ExternalId", () => {
  it("is the same for a tenant every time and differs between tenants and deployments", () => {
    const tenant = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);
    fc.assert(
      fc.property(tenant, tenant, fc.string(), (a, b, deployment) => {
        expect(externalIdFor(deployment, a)).toBe(externalIdFor(deployment, a));
        expect(externalIdFor(deployment, a)).toMatch(/^[\w+=,.@:/-]{2,1224}$/);
        if (a !== b) expect(externalIdFor(deployment, a)).not.toBe(externalIdFor(deployment, b));
        expect(externalIdFor(`${deployment}x`, a)).not.toBe(externalIdFor(deployment, a));
      }),
    );
  });

  it("is readable by the tenant's caller before any role exists, with the session tag", async () => {
    const { call } = setup();
    const answer = await call("GET", "/v1/destination-access?tenantId=acme");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      tenantId: "acme",
      externalId: externalIdFor("111111111111/hookrelay", "acme"),
      sessionTagKey: "hookrelay-tenant",
      sessionRoleArn: null,
      dispatcherAccountId: "111111111111",
    });
  });
});
