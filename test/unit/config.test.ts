import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LAMBDA_RUNTIME_VARIABLES, parseConfig, withinTwoEdits } from "../../functions/core/config/config.ts";
import { settingEntries } from "../../functions/core/config/settings.ts";
import { ConfigError } from "../../functions/core/kernel/errors.ts";

const base = { TABLE_NAME: "t", DELIVERY_QUEUE_URL: "q", DEAD_LETTER_QUEUE_URL: "d" };

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig(base);
    expect(config.deliveryTimeoutMs).toBe(15_000);
    expect(config.retrySchedule).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(config.logRetentionDays).toBe(30);
    expect(config.destinationAllowCidrs).toEqual([]);
    expect(config.maxBodyBytes).toBe(262_144);
    expect(config.maxEndpointsPerTenant).toBe(20);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads the settings it is given", () => {
    const config = parseConfig({
      ...base,
      DELIVERY_TIMEOUT_MS: "2000",
      RETRY_SCHEDULE: "1, 2",
      DESTINATION_ALLOW_CIDRS: "127.0.0.0/8, ::1/128",
    });
    expect(config.deliveryTimeoutMs).toBe(2000);
    expect(config.retrySchedule).toEqual([1, 2]);
    expect(config.destinationAllowCidrs).toEqual(["127.0.0.0/8", "::1/128"]);
  });

  it("reads MAX_ENDPOINTS_PER_TENANT within 1 to 10,000", () => {
    expect(parseConfig({ ...base, MAX_ENDPOINTS_PER_TENANT: "3" }).maxEndpointsPerTenant).toBe(3);
    for (const bad of ["0", "-1", "2.5", "lots", "10001"]) {
      expect(() => parseConfig({ ...base, MAX_ENDPOINTS_PER_TENANT: bad })).toThrow(/MAX_ENDPOINTS_PER_TENANT/);
    }
  });

  it("takes as ADMIN_API_KEY only what can be presented as `Bearer <key>`", () => {
    expect(parseConfig({ ...base, ADMIN_API_KEY: "local-admin-key" }).adminApiKey).toBe("local-admin-key");
    for (const bad of ["key\u00a0", "two words", "k=ey", "käy"]) {
      expect(() => parseConfig({ ...base, ADMIN_API_KEY: bad })).toThrow(/ADMIN_API_KEY must be a bearer token/);
    }
  });

  it("catches a misspelled setting", () => {
    expect(() => parseConfig({ ...base, RETRY_SCHEDUEL: "1" })).toThrow(/did you mean RETRY_SCHEDULE/);
  });

  it("catches any setting's name one or two edits off, and names a setting that near", () => {
    const names = settingEntries().map(([, setting]) => setting.env);
    const edit = fc.tuple(fc.constantFrom("insert", "delete", "replace"), fc.nat(), fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ_0"));
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(edit, { minLength: 1, maxLength: 2 }), (name, edits) => {
        let typo = name;
        for (const [kind, at, letter] of edits) {
          const i = at % (typo.length + 1);
          if (kind === "insert") typo = typo.slice(0, i) + letter + typo.slice(i);
          else if (kind === "delete") typo = typo.slice(0, i) + typo.slice(i + 1);
          else typo = typo.slice(0, i) + letter + typo.slice(i + 1);
        }
        fc.pre(!names.includes(typo));
        const near = names.filter((known) => levenshtein(typo, known) <= 2);
        expect(() => parseConfig({ ...base, [typo]: "1" })).toThrow(new RegExp(`did you mean (${near.join("|")})\\?`));
      }),
    );
  });

  it("finds two names within two edits exactly when their Levenshtein distance is at most two", () => {
    const word = fc.string({ unit: fc.constantFrom(..."ABC_"), maxLength: 9 });
    fc.assert(
      fc.property(word, word, (a, b) => withinTwoEdits(a, b) === levenshtein(a, b) <= 2),
      { numRuns: 2000 },
    );
  });

  it("skips only the Lambda runtime's variables that no setting's name is within two edits of", () => {
    const names = settingEntries().map(([, setting]) => setting.env);
    for (const variable of LAMBDA_RUNTIME_VARIABLES) {
      expect(names.filter((name) => name !== variable && levenshtein(variable, name) <= 2)).toEqual([]);
    }
  });

  it("ignores settings that are not near any of ours", () => {
    expect(() => parseConfig({ ...base, PATH: "/bin", AWS_REGION: "eu-west-1" })).not.toThrow();
  });

  it.each([
    [{ TABLE_NAME: "" }, /TABLE_NAME must be set/],
    [{ DELIVERY_TIMEOUT_MS: "fast" }, /DELIVERY_TIMEOUT_MS/],
    [{ LOG_RETENTION_DAYS: "0" }, /LOG_RETENTION_DAYS/],
    [{ DESTINATION_ALLOW_CIDRS: "10.0.0.0/99" }, /DESTINATION_ALLOW_CIDRS/],
    [{ LOG_FORMAT: "xml" }, /LOG_FORMAT/],
  ])("rejects %j", (overrides, message) => {
    expect(() => parseConfig({ ...base, ...overrides })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, ...overrides })).toThrow(message);
  });
});

/** The full Levenshtein table, the reference the banded check must agree with. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
