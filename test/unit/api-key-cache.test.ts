import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { API_KEY_CACHE_SECONDS, CachedApiKeyStore } from "../../functions/core/access/api-key-cache.ts";
import { Authenticator, createApiKey, deleteApiKey } from "../../functions/core/access/api-keys.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { FakeClock, MemoryApiKeyStore } from "../support/fakes.ts";

const TTL_MS = API_KEY_CACHE_SECONDS * 1000;

/** Containers sharing one key table, each with a cache of its own on one clock. */
function containers(count: number) {
  const table = new MemoryApiKeyStore();
  const clock = new FakeClock();
  const base = memoryApiDeps();
  return {
    table,
    clock,
    each: Array.from({ length: count }, () => {
      const apiKeys = new CachedApiKeyStore(table, clock);
      let reads = 0;
      const counted = new CachedApiKeyStore(
        {
          get: (id: string) => {
            reads++;
            return table.get(id);
          },
          put: (k) => table.put(k),
          delete: (id) => table.delete(id),
          list: (l, c) => table.list(l, c),
        },
        clock,
      );
      return {
        deps: { ...base, apiKeys, clock },
        auth: new Authenticator("admin", apiKeys),
        counted,
        reads: () => reads,
      };
    }),
  };
}

describe("the API key cache", () => {
  it("reads a key once per bound, however many requests present it", async () => {
    const { each, clock } = containers(1);
    const [c] = each;
    if (!c) throw new Error("no container");
    const { key } = await createApiKey(c.deps, "t", "k");
    const auth = new Authenticator("admin", c.counted);
    for (let i = 0; i < 50; i++) expect(await auth.authenticate(key)).toMatchObject({ kind: "tenant", tenantId: "t" });
    expect(c.reads()).toBe(1);
    clock.advance(TTL_MS);
    await auth.authenticate(key);
    expect(c.reads()).toBe(2);
  });

  it("never accepts a secret other than the key's, cached or not", async () => {
    const { each } = containers(1);
    const [c] = each;
    if (!c) throw new Error("no container");
    const { view, key } = await createApiKey(c.deps, "t", "k");
    await c.auth.authenticate(key);
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), async (secret) => {
        const presented = `hrk_${view.id}.${secret}`;
        fc.pre(presented !== key);
        expect(await c.auth.authenticate(presented)).toBeUndefined();
      }),
    );
  });

  /*
   * Any interleaving of creations, revocations, clock moves and requests on any of three containers:
   * a live key is accepted everywhere; a key is refused everywhere once its revocation is
   * API_KEY_CACHE_SECONDS old, and at once by the container that revoked it.
   */
  it("holds revocation to its bound across containers in any interleaving", async () => {
    type Step =
      | { kind: "create"; on: number }
      | { kind: "revoke"; on: number; which: number }
      | { kind: "advance"; ms: number }
      | { kind: "present"; on: number; which: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant("create" as const), on: fc.nat(2) }),
      fc.record({ kind: fc.constant("revoke" as const), on: fc.nat(2), which: fc.nat(5) }),
      fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 1, max: TTL_MS + 1000 }) }),
      fc.record({ kind: fc.constant("present" as const), on: fc.nat(2), which: fc.nat(5) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const { each, clock } = containers(3);
        const keys: { id: string; key: string; revokedAt?: number; revokedOn?: number }[] = [];
        for (const s of steps) {
          if (s.kind === "create") {
            const { view, key } = await createApiKey((each[s.on] as (typeof each)[number]).deps, "t", "k");
            keys.push({ id: view.id, key });
          } else if (s.kind === "advance") clock.advance(s.ms);
          else {
            const k = keys[s.which % Math.max(1, keys.length)];
            if (!k) continue;
            const c = each[s.on] as (typeof each)[number];
            if (s.kind === "revoke") {
              if (k.revokedAt !== undefined) continue;
              await deleteApiKey(c.deps, k.id);
              Object.assign(k, { revokedAt: clock.time, revokedOn: s.on });
            } else {
              const accepted = (await c.auth.authenticate(k.key)) !== undefined;
              if (k.revokedAt === undefined) expect(accepted).toBe(true);
              else if (k.revokedOn === s.on || clock.time >= k.revokedAt + TTL_MS) expect(accepted).toBe(false);
            }
          }
        }
      }),
    );
  });
});
