import * as v from "valibot";
import { invalidFields } from "../kernel/errors.ts";
import { checked } from "./field-problems.ts";

/*
 * What every API request may need of validation: the parse itself and the tenant id (the `tenantId`
 * query parameter an admin names). Apart from validation.ts, whose request schemas load with the
 * route areas that read them (functions/api/lazy-routes.ts), so that a cold start does not build them.
 */

export const TENANT_ID = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1 to 64 letters, digits, '.', '_' or '-'"));

/**
 * Validates `input` or throws a 422 naming every wrong field in plain words (field-problems.ts);
 * `whole` names the value when it is wrong as a whole (the body, or the query parameter parsed).
 */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown, whole = "body"): v.InferOutput<S> {
  const result = checked(schema, input, whole);
  if (result.ok) return result.output;
  throw invalidFields(result.problems);
}
