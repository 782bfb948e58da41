import type { EventTypeRecord, PayloadValidator, SchemaCompiler, SchemaIssue } from "../core/event-types.ts";

type Engine = typeof import("./json-schema-engine.ts");

/**
 * JSON Schema (draft 2020-12) with @cfworker/json-schema, an interpreting validator of about 23 KB.
 * The engine is imported on the first schema the container meets and kept for the container's life,
 * like each compiled validator, which is keyed by the type's name and `updatedAt` (a PATCH gives a
 * new `updatedAt`, so every container compiles the new version on its next event of the type).
 */
export class JsonSchemaCompiler implements SchemaCompiler {
  private engine: Promise<Engine> | undefined;
  private readonly compiled = new Map<string, { updatedAt: string; validate: PayloadValidator }>();

  async problems(schema: Record<string, unknown>): Promise<SchemaIssue[]> {
    return (await this.load()).schemaProblems(schema);
  }

  async validator(type: EventTypeRecord & { schema: Record<string, unknown> }): Promise<PayloadValidator> {
    const entry = this.compiled.get(type.name);
    if (entry?.updatedAt === type.updatedAt) return entry.validate;
    const validate = (await this.load()).compileSchema(type.schema);
    this.compiled.set(type.name, { updatedAt: type.updatedAt, validate });
    return validate;
  }

  private load(): Promise<Engine> {
    this.engine ??= import("./json-schema-engine.ts");
    return this.engine;
  }
}
