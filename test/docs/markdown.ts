/**
 * Reads the project's Markdown the way the docs tests need it: the pages (README, CONTRIBUTING,
 * SECURITY, docs/*.md), their headings as GitHub anchors, their relative links, and their fenced
 * shell and TypeScript snippets with the `<!-- snippet: not-run (why) -->` mark that says a snippet
 * is only checked to parse.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..", "..");

/** Every page the docs tests read, as paths relative to the repository root. */
export function docPages(root = ROOT): string[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file}`);
  return ["README.md", "CONTRIBUTING.md", "SECURITY.md", ...docs.sort()];
}

/** The page's lines with fenced code blocks blanked, so that nothing inside them reads as a heading or a link. */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split("\n").map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .replace(/`/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a page's headings give, numbered `-1`, `-2` as GitHub does when one repeats. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(text)) {
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) continue;
    const base = slug(match[1] as string);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** The targets of a page's Markdown links and images outside code, with their line numbers. */
export function links(text: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  proseLines(text).forEach((line, index) => {
    const prose = line.replace(/`[^`]*`/g, "");
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ target: match[1] as string, line: index + 1 });
  });
  return out;
}

/**
 * Why a relative link of `page` does not resolve (a missing file, or an anchor no heading of the
 * target gives), or undefined when it does. `read` gives a page's text by its path from `root`.
 */
export function brokenLink(page: string, target: string, read: (path: string) => string | undefined): string | undefined {
  if (/^[a-z][a-z+.-]*:/i.test(target)) return undefined;
  const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
  const file = pathPart === "" ? page : relative(".", join(dirname(page), decodeURIComponent(pathPart)));
  const text = read(file);
  if (text === undefined) return `${target}: no file ${file}`;
  if (anchor === undefined || anchor === "") return undefined;
  if (!file.endsWith(".md")) return `${target}: an anchor into a file that is not Markdown`;
  return anchors(text).has(anchor) ? undefined : `${target}: ${file} has no heading #${anchor}`;
}

/** Reads a path relative to the repository: a file's text, "" for a folder, undefined when absent. */
export function readFromRoot(path: string, root = ROOT): string | undefined {
  const full = join(root, path);
  if (!existsSync(full)) return undefined;
  return statSync(full).isDirectory() ? "" : readFileSync(full, "utf8");
}

export interface Snippet {
  page: string;
  /** The line of its opening fence. */
  line: number;
  lang: "sh" | "ts";
  code: string;
  /** Why it is only checked to parse, from its `<!-- snippet: not-run (why) -->` mark; undefined when it runs. */
  notRun?: string;
}

/** Every ```sh, ```bash and ```ts fence of a page, with the not-run mark on the line before it, if any. */
export function snippets(page: string, text: string): Snippet[] {
  const lines = text.split("\n");
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end < 0) throw new Error(`${page}:${i + 1}: a fence that is never closed`);
    const word = open[1] as string;
    const lang = ["sh", "bash", "shell"].includes(word) ? "sh" : ["ts", "typescript"].includes(word) ? "ts" : undefined;
    if (lang) {
      const mark = /^<!-- snippet: not-run \((.+)\) -->$/.exec((lines[i - 1] ?? "").trim());
      out.push({ page, line: i + 1, lang, code: lines.slice(i + 1, end).join("\n"), ...(mark && { notRun: mark[1] }) });
    }
    i = end;
  }
  return out;
}
