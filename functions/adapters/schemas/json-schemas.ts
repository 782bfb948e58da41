import type { EventTypeRecord, PayloadValidator, SchemaCompiler, SchemaIssue } from "../../core/event-types/event-types.ts";
import type { Log } from "../lambda/logger.ts";

type Engine = typeof import("./json-schema-engine.ts");

/**
 * JSON Schema (draft 2020-12) with Ajv, its patterns on the linear-time engine re2js
 * (json-schema-engine.ts). The engine is imported on the first schema the container meets and kept
 * for the container's life, like each compiled validator, which is keyed by the type's name and
 * `updatedAt` (a PATCH gives a new `updatedAt`, so every container compiles the new version on its
 * next event of the type).
 */
export class JsonSchemaCompiler implements SchemaCompiler {
  private engine: Promise<Engine> | undefined;
  private readonly compiled = new Map<string, { updatedAt: string; validate: PayloadValidator }>();
  private readonly log: Pick<Log, "warn">;

  /** `log` hears of stored schemas whose patterns the engine refuses (they are skipped, not run). */
  constructor(log: Pick<Log, "warn">) {
    this.log = log;
  }

  async problems(schema: Record<string, unknown>): Promise<SchemaIssue[]> {
    return (await this.load()).schemaProblems(schema);
  }

  async validator(type: EventTypeRecord & { schema: Record<string, unknown> }): Promise<PayloadValidator> {
    const entry = this.compiled.get(type.name);
    if (entry?.updatedAt === type.updatedAt) return entry.validate;
    const engine = await this.load();
    let validate: PayloadValidator;
    try {
      const compiled = engine.compileSchema(type.schema);
      validate = compiled.validate;
      if (compiled.skipped.length > 0) {
        this.log.warn("event type schema holds patterns the linear engine refuses: they are not checked", {
          eventType: type.name,
          updatedAt: type.updatedAt,
          skipped: compiled.skipped,
        });
      }
    } catch (error) {
      // Registration compiles every schema it stores, so only one stored under older rules gets
      // here: its events are refused with a 422 that says why, never a 500.
      const message = `cannot be checked: the stored schema does not compile (${error instanceof Error ? error.message : String(error)}); an admin must update it`;
      this.log.warn("event type schema does not compile: its events are refused", {
        eventType: type.name,
        updatedAt: type.updatedAt,
        message,
      });
      validate = () => [{ path: "", message }];
    }
    this.compiled.set(type.name, { updatedAt: type.updatedAt, validate });
    return validate;
  }

  private load(): Promise<Engine> {
    this.engine ??= import("./json-schema-engine.ts");
    return this.engine;
  }
}
