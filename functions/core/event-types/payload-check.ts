import { ApiError, DependencyError, invalidField, invalidFields } from "../kernel/errors.ts";
import { type EventTypeStore, prefixed, type SchemaCompiler } from "./event-types.ts";

/** What intake reads of the catalog. */
export interface PayloadCheckDeps {
  eventTypes: Pick<EventTypeStore, "getMany">;
  schemas: SchemaCompiler;
}

/** One event to check: its type and its payload. */
export interface TypedPayload {
  type: string;
  payload: unknown;
}

/** At most this many schema errors are reported per event. */
const MAX_REPORTED_ISSUES = 20;

/**
 * Checks events against the catalog, one read for all their types: an archived type is refused
 * (409), a payload its type's schema rejects answers 422 with the failing paths, a type the catalog
 * does not hold is accepted unchecked. One result per event: undefined when it may go on.
 */
export async function checkPayloads(deps: PayloadCheckDeps, events: TypedPayload[]): Promise<(ApiError | DependencyError | undefined)[]> {
  if (events.length === 0) return [];
  let catalog: Awaited<ReturnType<EventTypeStore["getMany"]>>;
  try {
    catalog = await deps.eventTypes.getMany([...new Set(events.map((e) => e.type))]);
  } catch (cause) {
    const error = cause instanceof DependencyError ? cause : new DependencyError("dynamodb", "Could not read the event types", { cause });
    return events.map(() => error);
  }
  return Promise.all(
    events.map(async ({ type, payload }) => {
      const entry = catalog.get(type);
      if (!entry) return undefined;
      if (entry.archived) return invalidField("type", `is archived: ${type} takes no new events`, "event_type_archived");
      if (!entry.schema) return undefined;
      const issues = (await deps.schemas.validator({ ...entry, schema: entry.schema }))(payload);
      if (issues.length === 0) return undefined;
      const details = prefixed("payload", issues.slice(0, MAX_REPORTED_ISSUES));
      // The message names the type and the first places at fault, as every 422 names its fields.
      const { message } = invalidFields(details, "schema_validation_failed", issues.length);
      return new ApiError("schema_validation_failed", `The payload does not match the schema of ${type}: ${message}`, details);
    }),
  );
}
