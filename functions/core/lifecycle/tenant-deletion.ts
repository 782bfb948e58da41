import type { Clock } from "../kernel/clock.ts";
import { ApiError } from "../kernel/errors.ts";
import type { TenantDeletion } from "../kernel/model.ts";
import type { TenantStore } from "../kernel/ports.ts";
import { TENANT_STATUS_CACHE_SECONDS } from "./retention.ts";

/*
 * Deleting a tenant (DELETE /v1/tenants/{id}; the Svix-compatible DELETE /api/v1/app/{app} is the
 * same call). The first write is the tombstone: the deletion item beside the tenant's record. Every
 * route (through the caller's tenant), API key, portal session, intake, delivery worker, feed append
 * and the dead-letter consumer reads it through TenantStatusCache, so within
 * TENANT_STATUS_CACHE_SECONDS nothing of the tenant is written, sent or shown. Removal starts after
 * SETTLE_SECONDS: by then every cache has seen the tombstone and every invocation that read the
 * status before it has ended (Lambda runs at most 15 minutes), so nothing recreates what is removed.
 * The sweeper drives the job page by page; each page's progress is saved, so a crash resumes there.
 */

/** Cache bound plus Lambda's longest run: no writer that missed the tombstone is still running after it. */
export const SETTLE_SECONDS = TENANT_STATUS_CACHE_SECONDS + 900;
/**
 * How long the tombstone outlives the job: a queued message lives at most 14 days (SQS's maximum
 * retention) and meets it; then the id may be used again. It holds the id and counts, nothing else.
 */
export const TOMBSTONE_KEEP_DAYS = 15;

/** Where the tombstone and its job's progress are kept: the tenant's partition, listed while unfinished. */
export interface TenantDeletionStore {
  /** Writes the tombstone unless there is one; returns the one that stands. */
  startDeletion(deletion: TenantDeletion): Promise<TenantDeletion>;
  /** Saves progress only if the job is still as read (`seen` is its updatedAt then); false when another run moved it. */
  saveDeletion(deletion: TenantDeletion, seen: string): Promise<boolean>;
  /** Unfinished jobs, oldest first. */
  pendingDeletions(limit: number): Promise<TenantDeletion[]>;
}

/** Removes one kind of a tenant's items a page at a time; the adapter knows the keys. */
export interface TenantEraser {
  /** The kinds, in the order they are removed (the record last). */
  readonly steps: readonly string[];
  /** Removes up to a page of `step`'s items from `cursor`; `done` when none is left. */
  erase(tenantId: string, step: string, cursor: string | undefined): Promise<{ removed: number; cursor?: string; done: boolean }>;
}

export interface DeletionDeps {
  tenants: Pick<TenantStore, "status">;
  deletions: TenantDeletionStore;
  clock: Clock;
}

/** What GET /v1/tenants/{id}/deletion shows. */
export function deletionView(deletion: TenantDeletion) {
  const { expiresAt: _expires, cursor: _cursor, ...view } = deletion;
  return view;
}

/** Writes the tombstone (once; a repeat answers the job that stands). 404 when nothing of the tenant is known. */
export async function requestTenantDeletion(
  deps: DeletionDeps & { eraser: Pick<TenantEraser, "steps"> },
  tenantId: string,
): Promise<TenantDeletion> {
  const { deletion } = await deps.tenants.status(tenantId);
  if (deletion) return deletion;
  // A tenant without a record may still have endpoints, keys or events (records came later): it is deleted all the same.
  const now = deps.clock.now();
  return deps.deletions.startDeletion({
    tenantId,
    state: "removing",
    requestedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    notBefore: new Date(now.getTime() + SETTLE_SECONDS * 1000).toISOString(),
    step: deps.eraser.steps[0] as string,
    removed: {},
  });
}

/** The tenant's deletion job; 404 when none was requested. */
export async function getTenantDeletion(deps: Pick<DeletionDeps, "tenants">, tenantId: string): Promise<TenantDeletion> {
  const { deletion } = await deps.tenants.status(tenantId);
  if (!deletion) throw new ApiError("not_found", `No deletion of tenant ${tenantId}`);
  return deletion;
}

/**
 * Runs the job from where it stands until it is done or `more()` says stop (the invocation's time):
 * one page, then its progress saved. Returns the job as left. A run that finds its progress moved
 * by another run stops; the other carries on.
 */
export async function runTenantDeletion(
  deps: DeletionDeps & { eraser: TenantEraser },
  job: TenantDeletion,
  more: () => boolean,
): Promise<TenantDeletion> {
  let current = job;
  if (current.state === "done" || Date.parse(current.notBefore) > deps.clock.now().getTime()) return current;
  while (current.state === "removing" && more()) {
    const page = await deps.eraser.erase(current.tenantId, current.step, current.cursor);
    const now = deps.clock.now();
    const removed = { ...current.removed, [current.step]: (current.removed[current.step] ?? 0) + page.removed };
    const nextStep = deps.eraser.steps[deps.eraser.steps.indexOf(current.step) + 1];
    const { cursor: _cursor, ...rest } = current;
    let next: TenantDeletion = {
      ...rest,
      removed,
      updatedAt: now.toISOString(),
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    };
    if (page.done && nextStep !== undefined) next = { ...next, step: nextStep };
    if (page.done && nextStep === undefined) {
      next = {
        ...next,
        state: "done",
        finishedAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + TOMBSTONE_KEEP_DAYS * 86_400,
      };
    }
    if (!(await deps.deletions.saveDeletion(next, current.updatedAt))) return current;
    current = next;
  }
  return current;
}

/** The sweeper's part: runs every unfinished deletion whose settling time has passed, while `more()` allows. */
export async function runPendingDeletions(deps: DeletionDeps & { eraser: TenantEraser }, more: () => boolean): Promise<TenantDeletion[]> {
  const pending = await deps.deletions.pendingDeletions(10);
  const ran: TenantDeletion[] = [];
  for (const job of pending) {
    if (!more()) break;
    ran.push(await runTenantDeletion(deps, job, more));
  }
  return ran;
}
