import * as v from "valibot";

/*
 * valibot's `record` skips any key named `__proto__`, `prototype` or `constructor` without a word (its
 * guard against prototype pollution), so a header or metadata entry of that name would be accepted
 * and then dropped. `keyedRecord` refuses such a key by name instead; it stays a `record` for the API
 * document's conversion, which a pipeline of two schemas is not.
 */

/** The keys valibot's `record` leaves out of its output. */
export const KEYS_RECORD_DROPS: ReadonlySet<string> = new Set(["__proto__", "prototype", "constructor"]);

const refuseDroppedKeys = v.pipe(
  v.unknown(),
  v.rawCheck(({ dataset, addIssue }) => {
    const value = dataset.value;
    if (!dataset.typed || typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [key, entry] of Object.entries(value)) {
      if (!KEYS_RECORD_DROPS.has(key)) continue;
      addIssue({
        message: `"${key}" cannot be used as a name here`,
        path: [{ type: "object", origin: "key", input: value as Record<string, unknown>, key, value: entry }],
      });
    }
  }),
);

/** `v.record(key, value)` that refuses, rather than drops, a key named `__proto__`, `prototype` or `constructor`. */
export function keyedRecord<
  TKey extends v.BaseSchema<string, string | number | symbol, v.BaseIssue<unknown>>,
  TValue extends v.BaseSchema<unknown, unknown, v.BaseIssue<unknown>>,
>(key: TKey, value: TValue): v.RecordSchema<TKey, TValue, undefined> {
  const record = v.record(key, value);
  return {
    ...record,
    "~run"(dataset, config) {
      const refused = refuseDroppedKeys["~run"]({ typed: false, value: dataset.value }, config);
      if (refused.issues) return refused as unknown as ReturnType<(typeof record)["~run"]>;
      return record["~run"](dataset, config);
    },
  };
}
