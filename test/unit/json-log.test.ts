/**
 * The JSON log written by functions/adapters/lambda/json-log-line.ts (which replaced Powertools
 * Logger): the keys Powertools wrote, one line per entry, and no value a caller passes can make it
 * throw or break the line.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLog } from "../../functions/adapters/lambda/logger.ts";

interface Written {
  stream: "stdout" | "stderr";
  text: string;
}

/** Every write to stdout and stderr while `fn` runs. */
function written(fn: () => void): Written[] {
  const out: Written[] = [];
  const spy = (stream: Written["stream"]) =>
    vi.spyOn(process[stream], "write").mockImplementation((chunk) => {
      out.push({ stream, text: String(chunk) });
      return true;
    });
  const spies = [spy("stdout"), spy("stderr")];
  try {
    fn();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return out;
}

/** The one entry `fn` writes, parsed; fails unless it is exactly one whole line. */
function oneEntry(fn: () => void): Record<string, unknown> {
  const writes = written(fn);
  expect(writes).toHaveLength(1);
  const text = (writes[0] as Written).text;
  expect(text.indexOf("\n")).toBe(text.length - 1);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Characters at which a log viewer might start a new line, or that a terminal acts on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const LINE_BREAKING = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("a JSON log entry", () => {
  it("has level, message, ISO timestamp, service and sampling_rate, then the fields at top level", () => {
    vi.stubEnv("_X_AMZN_TRACE_ID", "");
    const json = fc.dictionary(
      fc
        .string({ minLength: 1 })
        .filter((k) => !["level", "message", "sampling_rate", "service", "timestamp", "__proto__", "constructor"].includes(k)),
      fc.jsonValue().filter((v) => v !== null && v !== ""),
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), json, (message, fields) => {
        const before = Date.now();
        const entry = oneEntry(() => createLog("json", "INFO", "delivery").info(message, fields));
        const { level, timestamp, service, sampling_rate, message: m, ...rest } = entry;
        expect([level, m, service, sampling_rate]).toEqual(["INFO", message, "delivery", 0]);
        expect(timestamp).toBe(new Date(timestamp as string).toISOString());
        expect(Date.parse(timestamp as string)).toBeGreaterThanOrEqual(before);
        expect(rest).toEqual(JSON.parse(JSON.stringify(fields)));
        expect(entry).not.toHaveProperty("xray_trace_id");
      }),
      { numRuns: 200 },
    );
  });

  it("carries the X-Ray trace id's Root when Lambda sets one", () => {
    vi.stubEnv("_X_AMZN_TRACE_ID", "Root=1-5e1b4151-5ac6c58f5b5dbd6a2a3c1e6e;Parent=53995c3f42cd8ad8;Sampled=1");
    expect(oneEntry(() => createLog("json", "INFO", "api").info("x")).xray_trace_id).toBe("1-5e1b4151-5ac6c58f5b5dbd6a2a3c1e6e");
    vi.stubEnv("_X_AMZN_TRACE_ID", "1-abc");
    expect(oneEntry(() => createLog("json", "INFO", "api").info("x")).xray_trace_id).toBe("1-abc");
  });

  it("writes INFO and DEBUG to stdout, WARN and ERROR to stderr, as Powertools did", () => {
    const log = createLog("json", "DEBUG", "delivery");
    const writes = written(() => {
      log.info("i");
      log.warn("w");
      log.error("e");
      log.attempt({
        eventId: "e",
        endpointId: "p",
        tenantId: "t",
        attempt: 1,
        trigger: "scheduled",
        status: "succeeded",
        url: "https://a.example",
        at: "x",
        durationMs: 1,
        expiresAt: 0,
      });
    });
    expect(writes.map((w) => [w.stream, JSON.parse(w.text).level])).toEqual([
      ["stdout", "INFO"],
      ["stderr", "WARN"],
      ["stderr", "ERROR"],
      ["stdout", "DEBUG"],
    ]);
  });

  it("leaves out fields that are undefined, null or empty, keeps 0 and false, and drops a reserved key with a warning", () => {
    const writes = written(() =>
      createLog("json", "INFO", "api").info("m", { a: undefined, b: null, c: "", d: 0, e: false, service: "forged" }),
    );
    const [warning, entry] = writes.map((w) => JSON.parse(w.text));
    expect(warning).toMatchObject({ level: "WARN", message: 'The key "service" is a reserved key and will be dropped.' });
    expect(entry).toMatchObject({ service: "api", d: 0, e: false });
    for (const key of ["a", "b", "c"]) expect(entry).not.toHaveProperty(key);
  });
});

describe("what callers pass", () => {
  it("writes an error as its name, location, message, stack and cause, and its own fields", () => {
    const inner = new TypeError("inner reason");
    const error = Object.assign(new RangeError("outer", { cause: inner }), { code: "E_OUTER" });
    const entry = oneEntry(() => createLog("json", "INFO", "api").error("failed", { error }));
    expect(entry.error).toEqual({
      name: "RangeError",
      // Powertools's rule: the first frame written `(file:line:column)`.
      location: expect.stringMatching(/^\S+:\d+$/),
      message: "outer",
      stack: error.stack,
      code: "E_OUTER",
      cause: { name: "TypeError", location: expect.any(String), message: "inner reason", stack: inner.stack },
    });
  });

  it("writes a BigInt as its digits and leaves out a circular reference, but writes a shared value twice", () => {
    const shared = { n: 1 };
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    loop.list = [loop, 2];
    const error = new Error("self-caused");
    error.cause = error;
    const entry = oneEntry(() => createLog("json", "INFO", "api").info("m", { big: 2n ** 70n, loop, a: shared, b: shared, error }));
    expect(entry.big).toBe((2n ** 70n).toString());
    expect(entry.loop).toEqual({ name: "loop", list: [null, 2] });
    expect([entry.a, entry.b]).toEqual([shared, shared]);
    expect(entry.error).toMatchObject({ message: "self-caused" });
    expect(entry.error).not.toHaveProperty("cause");
  });

  /** Leaves JSON has no plain form for, which the line must still carry: errors, BigInts, undefined, symbols, functions. */
  const awkward = fc.oneof(
    fc.bigInt(),
    fc.constant(undefined),
    fc.string().map((m) => new Error(m)),
    fc.string().map((m) => new Error("with cause", { cause: new Error(m) })),
    fc.constant(Symbol("s")),
    fc.constant(() => 1),
  );
  /** Leaves that throw when read: a getter, a toJSON, a Proxy. */
  const unreadable = fc.constantFrom<unknown>(
    {
      get boom(): never {
        throw new Error("getter");
      },
    },
    {
      toJSON(): never {
        throw new Error("toJSON");
      },
    },
    new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("proxy");
        },
      },
    ),
  );
  /** Fields made of `leaf` and anything else, with a cycle back to the record, sometimes as an Error's own fields. */
  const fieldsOf = (leaf: fc.Arbitrary<unknown>) =>
    fc
      .tuple(
        fc.dictionary(
          fc.string(),
          fc.anything({
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withNullPrototype: true,
            withTypedArray: true,
            withSparseArray: true,
            withBoxedValues: true,
            values: [leaf],
          }),
        ),
        fc.nat(),
        fc.boolean(),
      )
      .map(([record, pick, asError]) => {
        // A cycle: some nested object gets a reference back to the record.
        const objects = [record, ...Object.values(record).filter((v): v is object => typeof v === "object" && v !== null)];
        try {
          Object.assign(objects[pick % objects.length] as object, { back: record });
        } catch {
          // A Proxy or a typed array refuses the key: no cycle this time.
        }
        return asError ? (Object.assign(new Error("as fields"), record) as unknown as Record<string, unknown>) : record;
      });
  const levels = fc.constantFrom("info", "warn", "error") as fc.Arbitrary<"info" | "warn" | "error">;

  /** The one entry a call writes (a reserved key's warning aside), checked to be one whole line of JSON. */
  const entryOf = (writes: Written[]): Record<string, unknown> => {
    const entries = writes.filter((w) => !w.text.includes("is a reserved key and will be dropped.")).map((w) => w.text);
    expect(entries).toHaveLength(1);
    const text = entries[0] as string;
    expect(text.indexOf("\n")).toBe(text.length - 1);
    expect(LINE_BREAKING.test(text.slice(0, -1))).toBe(false);
    return JSON.parse(text) as Record<string, unknown>;
  };

  it("writes an error whose name or message is a Symbol, whose stack V8 cannot format, without its stack", () => {
    for (const key of ["name", "message"]) {
      const error = Object.assign(new Error("as fields"), { [key]: Symbol(key) });
      const entry = entryOf(written(() => createLog("json", "INFO", "api").error("failed", error as unknown as Record<string, unknown>)));
      expect(entry, key).not.toHaveProperty("log_error");
      expect(entry.error, key).not.toHaveProperty("stack");
    }
  });

  it("writes errors, BigInts, cycles, undefined and whatever else in full, as one line, without throwing", () => {
    fc.assert(
      fc.property(fc.string(), fieldsOf(awkward), levels, (message, fields, level) => {
        const entry = entryOf(written(() => createLog("json", "INFO", "api")[level](message, fields)));
        expect(entry).toMatchObject({ level: level.toUpperCase(), service: "api" });
        expect(entry).not.toHaveProperty("log_error");
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on fields that throw when read: the line keeps the message and says why the fields are missing", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fieldsOf(fc.oneof(awkward, unreadable)), levels, (message, fields, level) => {
        const entry = entryOf(written(() => createLog("json", "INFO", "api")[level](message, fields)));
        expect(entry).toMatchObject({ level: level.toUpperCase(), service: "api", message });
      }),
      { numRuns: 300 },
    );
  });

  it("does not let a field named toJSON take the line over", () => {
    const entry = oneEntry(() => createLog("json", "INFO", "api").info("kept", { toJSON: () => "hijacked", other: 1 }));
    expect(entry).toMatchObject({ level: "INFO", message: "kept", service: "api", other: 1 });
  });

  it("says so when the fields could not be read, and keeps the message", () => {
    const entry = oneEntry(() =>
      createLog("json", "INFO", "api").info("kept", {
        get x(): never {
          throw new Error("nope");
        },
      }),
    );
    expect(entry).toMatchObject({ level: "INFO", message: "kept", log_error: "fields could not be written: Error: nope" });
  });
});

describe("control characters", () => {
  it("cannot end a JSON line early or start a forged one: every string comes back as it went in", () => {
    const anyText = fc.string({ unit: "binary" });
    const breaks = fc.constantFrom("\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\x1b[2K", "\x00", "\x7f");
    fc.assert(
      fc.property(anyText, breaks, anyText, anyText, (a, br, b, field) => {
        const message = `${a}${br}{"level":"ERROR","message":"forged"}${b}`;
        const writes = written(() => createLog("json", "INFO", "api").warn(message, { value: `${field}${br}x` }));
        expect(writes).toHaveLength(1);
        const text = (writes[0] as Written).text;
        expect(text.indexOf("\n")).toBe(text.length - 1);
        expect(LINE_BREAKING.test(text.slice(0, -1))).toBe(false);
        const entry = JSON.parse(text);
        expect([entry.message, entry.value, entry.level]).toEqual([message, `${field}${br}x`, "WARN"]);
      }),
      { numRuns: 300 },
    );
  });
});
