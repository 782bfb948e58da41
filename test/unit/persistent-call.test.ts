import { describe, expect, it } from "vitest";
import { persistently } from "../../functions/adapters/persistent-call.ts";
import { DependencyError } from "../../functions/core/errors.ts";

describe("persistently", () => {
  it("retries a dependency failure until the call succeeds within the budget", async () => {
    let calls = 0;
    const result = await persistently(async () => {
      calls++;
      if (calls < 3) throw new DependencyError("dynamodb", "down");
      return "written";
    }, 5_000);
    expect(result).toBe("written");
    expect(calls).toBe(3);
  });

  it("gives up once the budget is spent, with the last error", async () => {
    let calls = 0;
    const failing = persistently(async () => {
      calls++;
      throw new DependencyError("dynamodb", `down ${calls}`);
    }, 200);
    await expect(failing).rejects.toBeInstanceOf(DependencyError);
    expect(calls).toBeGreaterThan(1);
  });

  it("does not retry anything but a dependency failure", async () => {
    let calls = 0;
    const bug = persistently(async () => {
      calls++;
      throw new TypeError("a bug");
    }, 5_000);
    await expect(bug).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });
});
