// `jco embed` with an explicit world: jco 1.35's CLI passes `-n` as `worldName`, which its
// wasm-tools binding ignores (it reads `world`), so a package with several worlds cannot be
// embedded from the CLI. Usage: node embed.mjs CORE.wasm WIT WORLD OUT.wasm [ENCODING]
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { componentEmbed } from '@bytecodealliance/jco-transpile/wasm-tools';

const [core, wit, world, out, encoding] = process.argv.slice(2);
const opts = { binary: await readFile(core), witPath: resolve(wit), world };
if (encoding) opts.stringEncoding = encoding;
await writeFile(out, await componentEmbed(opts));
