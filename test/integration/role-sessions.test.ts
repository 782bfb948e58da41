import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleError, REFRESH_BEFORE_MS, RoleSessions } from "../../functions/adapters/aws-destinations/role-sessions.ts";
import { DependencyError } from "../../functions/core/kernel/errors.ts";
import { type RecordingSts, startRecordingSts } from "../../local/recording-aws.ts";

/*
 * The STS side of AWS destinations against the local stack's recording STS on loopback: sessions
 * cached per role until shortly before they expire, the tenant tag, and whose fault a refusal is.
 */
let sts: RecordingSts;
beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  sts = await startRecordingSts();
});
afterAll(async () => {
  await sts?.stop();
});

const ROLE = "arn:aws:iam::222222222222:role/customer";
const access = { kind: "role" as const, roleArn: ROLE, account: "222222222222", externalId: "hookrelay-abc" };

describe("role sessions", () => {
  it("assume a customer's role once with its ExternalId, and again only shortly before the session expires", async () => {
    let now = Date.now();
    const sessions = new RoleSessions({ region: "us-east-1", stsEndpoint: sts.url, now: () => now });
    const before = sts.calls.length;
    const first = await sessions.credentialsFor(access);
    expect(await sessions.credentialsFor(access)).toEqual(first);
    expect(sts.calls.slice(before)).toEqual([
      expect.objectContaining({ roleArn: ROLE, externalId: "hookrelay-abc", sessionName: "hookrelay-hookrelay-abc" }),
    ]);
    now += sts.sessionSeconds * 1000 - REFRESH_BEFORE_MS + 1000;
    const renewed = await sessions.credentialsFor(access);
    expect(renewed?.accessKeyId).not.toBe(first?.accessKeyId);
    expect(sts.calls.length - before).toBe(2);
  });

  it("tag the dispatcher's own session with the tenant, and only that tag", async () => {
    const sessions = new RoleSessions({
      region: "us-east-1",
      stsEndpoint: sts.url,
      sessionRoleArn: "arn:aws:iam::111111111111:role/destinations",
    });
    await sessions.credentialsFor({ kind: "tagged", tenantId: "acme" });
    expect(sts.calls.at(-1)).toMatchObject({
      roleArn: "arn:aws:iam::111111111111:role/destinations",
      tags: { "hookrelay-tenant": "acme" },
    });
    expect(sts.calls.at(-1)?.externalId).toBeUndefined();
  });

  it("use the function's own credentials for a tagged delivery when no session role is set (locally)", async () => {
    const before = sts.calls.length;
    const sessions = new RoleSessions({ region: "us-east-1", stsEndpoint: sts.url });
    expect(await sessions.credentialsFor({ kind: "tagged", tenantId: "acme" })).toBeUndefined();
    expect(sts.calls.length).toBe(before);
  });

  it("blame the customer when its role refuses us, and us when STS does not answer", async () => {
    const denied = "arn:aws:iam::222222222222:role/denying";
    sts.trust(denied, "hookrelay-someone-else");
    const sessions = new RoleSessions({ region: "us-east-1", stsEndpoint: sts.url });
    expect(await sessions.check(denied, "hookrelay-abc")).toMatch(/AccessDenied/);
    await expect(sessions.credentialsFor({ ...access, roleArn: denied })).rejects.toMatchObject({
      name: "AssumeRoleError",
      fault: "destination",
    });
    const unreachable = new RoleSessions({ region: "us-east-1", stsEndpoint: "http://127.0.0.1:9" });
    const error = await unreachable.credentialsFor(access).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssumeRoleError);
    expect((error as AssumeRoleError).fault).toBe("ours");
    // At registration: a 503 (our dependency), not a 422 about the role.
    await expect(unreachable.check(ROLE, "hookrelay-abc")).rejects.toBeInstanceOf(DependencyError);
  });
});
