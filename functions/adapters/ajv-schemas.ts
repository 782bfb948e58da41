import type { Ajv2020 as AjvClass, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { EventTypeRecord, PayloadValidator, SchemaCompiler, SchemaIssue } from "../core/event-types.ts";

/**
 * JSON Schema (draft 2020-12) with Ajv, loaded on the first schema the container meets (an API
 * function that never sees one never parses Ajv) and kept for the container's life, like each
 * compiled validator.
 *
 * - `strict: false`: a schema may carry keywords Ajv does not know, as the specification allows.
 * - `validateFormats: false`: `format` is an annotation, the 2020-12 default, and no format
 *   table weighs on the bundle.
 * - `addUsedSchema: false`: two types whose schemas share an `$id` do not collide in one Ajv.
 * - No `loadSchema`: a `$ref` outside the schema fails at registration; nothing is fetched.
 */
export class AjvSchemaCompiler implements SchemaCompiler {
  private ajv: Promise<AjvClass> | undefined;
  /** By type name: the validator of the type as it was at `updatedAt`. */
  private readonly compiled = new Map<string, { updatedAt: string; validate: ValidateFunction }>();

  async problems(schema: Record<string, unknown>): Promise<SchemaIssue[]> {
    const ajv = await this.load();
    if (!ajv.validateSchema(schema)) return describe(ajv.errors ?? []);
    try {
      ajv.removeSchema(ajv.compile(schema).schema as object);
      return [];
    } catch (error) {
      return [{ path: "", message: (error as Error).message }];
    }
  }

  async validator(type: EventTypeRecord & { schema: Record<string, unknown> }): Promise<PayloadValidator> {
    let entry = this.compiled.get(type.name);
    if (entry?.updatedAt !== type.updatedAt) {
      const ajv = await this.load();
      if (entry) ajv.removeSchema(entry.validate.schema as object);
      entry = { updatedAt: type.updatedAt, validate: ajv.compile(type.schema) };
      this.compiled.set(type.name, entry);
    }
    const validate = entry.validate;
    return (value) => (validate(value) ? [] : describe(validate.errors ?? []));
  }

  private load(): Promise<AjvClass> {
    this.ajv ??= import("ajv/dist/2020.js").then(
      ({ Ajv2020 }) => new Ajv2020({ strict: false, validateFormats: false, addUsedSchema: false, allErrors: true }),
    );
    return this.ajv;
  }
}

/** Ajv's errors as dotted paths (`items.0.amount`) and messages. */
function describe(errors: ErrorObject[]): SchemaIssue[] {
  return errors.map((e) => {
    const path = e.instancePath
      .split("/")
      .slice(1)
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .join(".");
    const property = (e.params as { missingProperty?: string; additionalProperty?: string }) ?? {};
    const named = property.missingProperty ?? property.additionalProperty;
    return { path: named ? [path, named].filter(Boolean).join(".") : path, message: e.message ?? e.keyword };
  });
}
