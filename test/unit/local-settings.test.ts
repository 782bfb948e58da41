import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../functions/core/kernel/errors.ts";
import { generateSecret } from "../../functions/core/kernel/signing.ts";
import { LOCAL_SETTINGS, readLocalSettings, readReceiverSettings } from "../../local/local-settings.ts";
import { DataDirInUseError, listenFailure, userFacingMessage } from "../../local/startup-errors.ts";

const wholeKeys = Object.keys(LOCAL_SETTINGS) as (keyof typeof LOCAL_SETTINGS)[];

/** Text that is not a whole number from min to max, of every kind: words, fractions, numbers out of range. */
const notWholeIn = (min: number, max: number) =>
  fc
    .oneof(
      fc.string({ minLength: 1 }),
      fc.double({ noNaN: true }).map(String),
      fc.integer({ max: min - 1 }).map(String),
      fc.integer({ min: max + 1 }).map(String),
    )
    .filter((raw) => raw.trim() !== "" && !(Number.isInteger(Number(raw)) && Number(raw) >= min && Number(raw) <= max));

describe("readLocalSettings", () => {
  it("gives each setting its default when the environment leaves it unset or empty", () => {
    for (const env of [{}, Object.fromEntries(Object.values(LOCAL_SETTINGS).map((s) => [s.env, ""]))]) {
      const settings = readLocalSettings(env);
      for (const key of wholeKeys) if (key !== "visibilityTimeoutSeconds") expect(settings[key]).toBe(LOCAL_SETTINGS[key].default);
      expect(settings.visibilityTimeoutSeconds).toBeUndefined();
      expect(settings.dataDir).toBe(".data");
      expect(settings.outageTargets).toEqual(["dynamodb", "sqs"]);
      expect(Object.isFrozen(settings)).toBe(true);
    }
  });

  it("reads every whole number in a setting's range", () => {
    for (const key of wholeKeys) {
      const { env, min, max } = LOCAL_SETTINGS[key];
      fc.assert(
        fc.property(fc.integer({ min, max }), (value) => {
          expect(readLocalSettings({ [env]: String(value) })[key]).toBe(value);
        }),
        { numRuns: 50 },
      );
    }
  });

  it("refuses anything else with one line that names the variable and what it accepts", () => {
    for (const key of wholeKeys) {
      const { env, min, max } = LOCAL_SETTINGS[key];
      fc.assert(
        fc.property(notWholeIn(min, max), (raw) => {
          const error = (() => {
            try {
              readLocalSettings({ [env]: raw });
            } catch (e) {
              return e;
            }
          })();
          expect(error).toBeInstanceOf(ConfigError);
          const message = userFacingMessage(error) ?? "";
          expect(message.startsWith(`${env} must be a whole number from ${min} to ${max}`)).toBe(true);
        }),
        { numRuns: 50 },
      );
    }
  });

  it("takes LOCAL_OUTAGE_TARGETS as dynamodb, sqs or both, and refuses any other word by name", () => {
    expect(readLocalSettings({ LOCAL_OUTAGE_TARGETS: "sqs" }).outageTargets).toEqual(["sqs"]);
    expect(readLocalSettings({ LOCAL_OUTAGE_TARGETS: "sqs, dynamodb" }).outageTargets).toEqual(["sqs", "dynamodb"]);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{1,12}$/).filter((w) => w !== "dynamodb" && w !== "sqs"),
        (word) => {
          expect(() => readLocalSettings({ LOCAL_OUTAGE_TARGETS: `sqs,${word}` })).toThrow(
            new ConfigError(`LOCAL_OUTAGE_TARGETS must be dynamodb, sqs or both (comma-separated), got "${word}"`),
          );
        },
      ),
    );
  });

  it("knows when npm started it", () => {
    expect(readLocalSettings({ npm_lifecycle_event: "start" }).startedByNpm).toBe(true);
    expect(readLocalSettings({}).startedByNpm).toBe(false);
  });
});

describe("the local settings' documentation", () => {
  it("names every one in the README or a page of docs/", () => {
    const root = join(import.meta.dirname, "..", "..");
    const pages = readdirSync(join(root, "docs"), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith(".md"))
      .map((file) => readFileSync(join(root, "docs", file), "utf8"));
    const text = [readFileSync(join(root, "README.md"), "utf8"), ...pages].join("\n");
    for (const name of [...Object.values(LOCAL_SETTINGS).map((s) => s.env), "DATA_DIR", "LOCAL_OUTAGE_TARGETS", "WEBHOOK_SECRET"]) {
      expect(text, name).toContain(`\`${name}\``);
    }
  });
});

describe("readReceiverSettings", () => {
  it("reads RECEIVER_PORT (4000 by default) and WEBHOOK_SECRET, and refuses a port that is not one", () => {
    expect(readReceiverSettings({})).toEqual({ port: 4000, secret: undefined });
    const secret = generateSecret();
    expect(readReceiverSettings({ RECEIVER_PORT: "4100", WEBHOOK_SECRET: secret })).toEqual({ port: 4100, secret });
    expect(() => readReceiverSettings({ RECEIVER_PORT: "0" })).toThrow(/RECEIVER_PORT/);
    // The stack's own settings are not the receiver's business.
    expect(readReceiverSettings({ PORT: "abc" }).port).toBe(4000);
  });

  it("refuses a WEBHOOK_SECRET that is not an endpoint's secret, in words naming it and never echoing it", () => {
    for (const wrong of ["whsec_abc!", "whsec_", "whsec_Zm9v", "nope", generateSecret().slice(6), `${generateSecret()}x`]) {
      const error = (() => {
        try {
          readReceiverSettings({ WEBHOOK_SECRET: wrong });
        } catch (caught) {
          return caught as Error;
        }
      })();
      expect(userFacingMessage(error), wrong).toMatch(
        /^WEBHOOK_SECRET must be an endpoint's secret .*whsec_ followed by base64 of 24 to 64 bytes/,
      );
      // (The bare prefix is in the rule's own words.)
      if (wrong !== "whsec_") expect(error?.message, wrong).not.toContain(wrong);
    }
  });
});

describe("startup errors", () => {
  it("turns a busy or privileged port into one line naming the variable, and leaves other listen errors alone", () => {
    const busy = listenFailure("PORT", 3000, Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" }));
    expect(userFacingMessage(busy)).toBe("port 3000 is in use on 127.0.0.1: stop what listens there, or set PORT to another port");
    const privileged = listenFailure("RECEIVER_PORT", 80, Object.assign(new Error("listen EACCES"), { code: "EACCES" }));
    expect(userFacingMessage(privileged)).toMatch(/^port 80 .*RECEIVER_PORT/);
    const other = Object.assign(new Error("listen EMFILE"), { code: "EMFILE" });
    expect(listenFailure("PORT", 3000, other)).toBe(other);
    expect(userFacingMessage(other)).toBeUndefined();
  });

  it("keeps the stack trace of anything that is not the user's to fix", () => {
    expect(userFacingMessage(new TypeError("x is undefined"))).toBeUndefined();
    expect(userFacingMessage(undefined)).toBeUndefined();
    expect(userFacingMessage(new DataDirInUseError(".data", 42, ".data/hookrelay.lock"))).toMatch(/^\.data is in use .*PID 42/);
  });
});
