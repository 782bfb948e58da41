/** A page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A list that fetches page after page as it is iterated: `for await (const item of list)`, or `.pages()`. */
export class Paginated<T> implements AsyncIterable<T> {
  private readonly fetchPage: (cursor: string | undefined) => Promise<Page<T>>;

  constructor(fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
    this.fetchPage = fetchPage;
  }

  /** Each page in turn, following `nextCursor` until the last. */
  async *pages(): AsyncGenerator<Page<T>> {
    let cursor: string | undefined;
    do {
      const page = await this.fetchPage(cursor);
      yield page;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Every item of every page. */
  async all(): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this) items.push(item);
    return items;
  }
}
