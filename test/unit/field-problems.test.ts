import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { checked } from "../../functions/core/requests/field-problems.ts";

const schema = v.strictObject({
  eventTypes: v.optional(v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(2))),
  name: v.optional(v.pipe(v.string(), v.minLength(3))),
  code: v.optional(v.pipe(v.string(), v.minLength(1))),
});

describe("the words of a size problem", () => {
  it("count items and characters in the singular for one and the plural otherwise", () => {
    const problems = (input: unknown) => {
      const result = checked(schema, input);
      return result.ok ? [] : result.problems;
    };
    expect(problems({ eventTypes: [] })).toEqual([{ path: "eventTypes", message: "must have at least 1 item" }]);
    expect(problems({ eventTypes: ["a", "b", "c"] })).toEqual([{ path: "eventTypes", message: "must have at most 2 items" }]);
    expect(problems({ name: "ab" })).toEqual([{ path: "name", message: "must have at least 3 characters" }]);
    expect(problems({ code: "" })).toEqual([{ path: "code", message: "must have at least 1 character" }]);
  });
});
