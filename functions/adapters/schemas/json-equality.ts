import type { Ajv2020, ErrorObject, KeywordDefinition } from "ajv/dist/2020.js";
import type { DataValidateFunction } from "ajv/dist/types/index.js";

/*
 * Ajv checks `const`, `enum` and `uniqueItems` with fast-deep-equal, which trusts a value's own
 * `toString`, `valueOf` and `constructor`: a payload `{"toString": null}` made it throw (a 500 at
 * emit), and `{"constructor": {}}` never equalled itself. A payload is JSON, so equality here looks
 * only at JSON values and own enumerable keys, whatever the keys are called; the keywords are
 * replaced through Ajv's public API with the same names, messages and params as Ajv's own.
 */

/** Whether two JSON values are equal: same scalars, same items in order, same own keys with equal values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  // An own `__proto__` (JSON.parse makes one) is read as the own value it shadows Object.prototype's with.
  return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(own(a, key), own(b, key)));
}

function own(value: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(value, key)?.value;
}

/** A JSON value's canonical text (keys sorted), so equal values give one string: uniqueItems in linear time. */
function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(own(value, key))}`).join(",")}}`;
}

type Check = DataValidateFunction & { errors?: Partial<ErrorObject>[] };

const constKeyword: KeywordDefinition = {
  keyword: "const",
  errors: true,
  compile(allowedValue: unknown) {
    const check: Check = (data) => {
      const ok = jsonEqual(data, allowedValue);
      check.errors = ok ? undefined : [{ keyword: "const", message: "must be equal to constant", params: { allowedValue } }];
      return ok;
    };
    return check;
  },
};

const enumKeyword: KeywordDefinition = {
  keyword: "enum",
  schemaType: "array",
  errors: true,
  compile(allowedValues: unknown[]) {
    // As Ajv's own: an empty enum matches nothing, and is refused rather than stored.
    if (allowedValues.length === 0) throw new Error("enum must have non-empty array");
    const check: Check = (data) => {
      const ok = allowedValues.some((value) => jsonEqual(data, value));
      check.errors = ok
        ? undefined
        : [{ keyword: "enum", message: "must be equal to one of the allowed values", params: { allowedValues } }];
      return ok;
    };
    return check;
  },
};

const uniqueItemsKeyword: KeywordDefinition = {
  keyword: "uniqueItems",
  type: "array",
  schemaType: "boolean",
  errors: true,
  compile(unique: boolean) {
    const check: Check = (data) => {
      check.errors = undefined;
      if (!unique || !Array.isArray(data)) return true;
      const seen = new Map<string, number>();
      for (let j = 0; j < data.length; j++) {
        const text = canonical(data[j]);
        const i = seen.get(text);
        if (i !== undefined) {
          const message = `must NOT have duplicate items (items ## ${j} and ${i} are identical)`;
          check.errors = [{ keyword: "uniqueItems", message, params: { i, j } }];
          return false;
        }
        seen.set(text, j);
      }
      return true;
    };
    return check;
  },
};

/** Replaces Ajv's `const`, `enum` and `uniqueItems` with checks on JSON values only (see above). */
export function useJsonEquality(ajv: Ajv2020): Ajv2020 {
  for (const definition of [constKeyword, enumKeyword, uniqueItemsKeyword]) {
    ajv.removeKeyword(definition.keyword as string);
    ajv.addKeyword(definition);
  }
  return ajv;
}
