/*
 * Endpoints' cursor keys as this container last read them from the feed's head, so that an ack
 * decodes its cursor without reading the head again (a third of an ack's store calls). A head's key
 * is written once (if_not_exists); should one ever be made anew, a cursor the remembered key refuses
 * is decoded again with the head's key, so a stale entry costs a read, never a refused ack.
 */

/** Endpoints remembered at most: the oldest is forgotten first. */
const MAX_ENDPOINTS = 1_000;

/** The cursor keys this container has read, by endpoint id, the most recently used last. */
export class CursorKeys {
  private readonly keys = new Map<string, string>();

  /** The key last read for this endpoint, if any. */
  get(endpointId: string): string | undefined {
    const key = this.keys.get(endpointId);
    if (key !== undefined) {
      this.keys.delete(endpointId);
      this.keys.set(endpointId, key);
    }
    return key;
  }

  /** Remembers the key a head read gave. */
  remember(endpointId: string, key: string): void {
    this.keys.delete(endpointId);
    this.keys.set(endpointId, key);
    if (this.keys.size > MAX_ENDPOINTS) this.keys.delete(this.keys.keys().next().value as string);
  }
}
