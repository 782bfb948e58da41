import { describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/core/config.ts";
import { ConfigError } from "../../functions/core/errors.ts";

const base = { TABLE_NAME: "t", DELIVERY_QUEUE_URL: "q", DEAD_LETTER_QUEUE_URL: "d" };

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig(base);
    expect(config.deliveryTimeoutMs).toBe(15_000);
    expect(config.retrySchedule).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(config.logRetentionDays).toBe(30);
    expect(config.destinationAllowCidrs).toEqual([]);
    expect(config.maxBodyBytes).toBe(262_144);
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

  it("catches a misspelled setting", () => {
    expect(() => parseConfig({ ...base, RETRY_SCHEDUEL: "1" })).toThrow(/did you mean RETRY_SCHEDULE/);
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
