#!/usr/bin/env node
// The `hookrelay` command. In this repository it runs the TypeScript sources on the project's Node 24,
// which strips the types; an installed package has no sources, and Node strips no types under
// node_modules, so there it runs the JavaScript that `npm run build` compiled into dist/.
import { existsSync } from "node:fs";

const source = new URL("../cli/hookrelay.ts", import.meta.url);
await import(existsSync(source) ? source.href : new URL("../dist/cli/hookrelay.js", import.meta.url).href);
