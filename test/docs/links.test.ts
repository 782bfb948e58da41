/**
 * Every relative link and #anchor in README.md, CONTRIBUTING.md, SECURITY.md and docs/*.md
 * resolves: the file exists, and the anchor is one a heading of that page gives on GitHub.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anchors, brokenLink, docPages, links, readFromRoot, slug } from "./markdown.ts";

describe("links between the docs", () => {
  it("resolve, each to a file that exists and a heading of it", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of docPages()) {
      for (const { target, line } of links(readFromRoot(page) ?? "")) {
        if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
        checked++;
        const why = brokenLink(page, target, (path) => readFromRoot(path));
        if (why) broken.push(`${page}:${line}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });

  it("finds a broken anchor or file in generated pages, and accepts every heading's own anchor", () => {
    const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,:()'`.-]{0,30}$/);
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 6, selector: slug }), fc.nat(), (headings, pick) => {
        const page = `# Title\n\n${headings.map((h) => `## ${h}\n\ntext\n`).join("\n")}`;
        const files: Record<string, string> = { "docs/page.md": page, "README.md": "# r\n" };
        const read = (path: string) => files[path];
        const heading = headings[pick % headings.length] as string;
        const anchor = slug(heading);
        expect(anchors(page).has(anchor)).toBe(true);
        expect(brokenLink("README.md", `docs/page.md#${anchor}`, read)).toBeUndefined();
        expect(brokenLink("docs/page.md", `#${anchor}`, read)).toBeUndefined();
        expect(brokenLink("docs/page.md", `../README.md`, read)).toBeUndefined();
        expect(brokenLink("README.md", `docs/page.md#${anchor}-not-here`, read)).toMatch(/no heading/);
        expect(brokenLink("README.md", `page.md#${anchor}`, read)).toMatch(/no file/);
        expect(brokenLink("docs/page.md", `docs/page.md`, read)).toMatch(/no file/);
      }),
    );
  });

  it("reads no link or heading inside a code fence", () => {
    const page = "# A\n\n```sh\n# not a heading\necho [x](missing.md)\n```\n";
    expect([...anchors(page)]).toEqual(["a"]);
    expect(links(page)).toEqual([]);
  });
});
