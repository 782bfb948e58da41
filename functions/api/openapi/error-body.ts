import * as v from "valibot";

/** The error shape of every route; each operation narrows `code` to the codes it can answer. */
export const ErrorBody = v.strictObject({
  error: v.strictObject({
    code: v.pipe(v.string(), v.description("Stable, machine-readable")),
    message: v.pipe(v.string(), v.description("Plain words naming the wrong fields; may change, unlike `code`")),
    details: v.optional(
      v.pipe(
        v.array(
          v.looseObject({
            path: v.pipe(
              v.string(),
              v.description(
                "The field: a dotted path into the JSON body (`headers.x-id`, `eventTypes.0`), or a query parameter's or header's name",
              ),
            ),
            message: v.pipe(v.string(), v.description("What is wrong there, in plain words")),
            feedUrl: v.optional(v.pipe(v.string(), v.description("use_feed_url: where long polls are served"))),
            limit: v.optional(
              v.pipe(v.number(), v.description("payload_too_large, quota_exceeded, too_many_polls: the bound that was met")),
            ),
            scope: v.optional(
              v.pipe(v.picklist(["endpoint", "tenant"]), v.description("too_many_polls: whose long polls are at the bound")),
            ),
            retryAfterSeconds: v.optional(v.pipe(v.number(), v.description("too_many_polls: as Retry-After"))),
            tenantId: v.optional(v.pipe(v.string(), v.description("forbidden: the tenant this key acts in"))),
          }),
        ),
        v.description("One entry per wrong field, on every error that concerns one"),
      ),
    ),
  }),
});
