// Builds the two outputs of the widget:
//   lib/                 the Docusaurus plugin (server entry lib/index.js, theme components,
//                        core and UI as ES modules, lib/bookchat.css), committed: a site
//                        installs the plugin from a path or a tarball with no build step
//   dist-standalone/     one self-contained IIFE script (the CSS inlined), committed; it renders
//                        with Preact's React-compatible layer (preact/compat) instead of
//                        react-dom: the same components, about a quarter of the bytes
// Both are reproducible: the same sources give byte-identical output.
// `node build.mjs --check` only verifies that the committed lib/ and bundle match the sources.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const STANDALONE = path.join(here, 'dist-standalone', 'bookchat-widget.js');
const LIB = path.join(here, 'lib');

export const standaloneOptions = {
  absWorkingDir: here,
  entryPoints: ['src/standalone/main.tsx'],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  jsx: 'automatic',
  loader: { '.css': 'text' },
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: {
    react: 'preact/compat',
    'react-dom/client': 'preact/compat/client',
    'react-dom': 'preact/compat',
    'react/jsx-runtime': 'preact/jsx-runtime',
  },
  legalComments: 'eof',
  banner: {
    js: '/*! bookchat widget (standalone) | includes Preact, MIT License, Copyright (c) 2015-present Jason Miller | includes KaTeX, MIT License, Copyright (c) 2013-2020 Khan Academy and other contributors */',
  },
  charset: 'utf8',
  sourcemap: false,
  write: false,
  outfile: STANDALONE,
  logLevel: 'warning',
};

export async function buildStandalone() {
  const result = await esbuild.build(standaloneOptions);
  return result.outputFiles[0].contents;
}

/** Builds the plugin into `outDir` (emptied first): tsc for the client side, esbuild for the server entry. */
export async function buildLib(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(here, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.lib.json', '--outDir', outDir],
    { cwd: here, stdio: 'inherit' },
  );
  await esbuild.build({
    absWorkingDir: here,
    entryPoints: ['src/plugin/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ['node18'],
    packages: 'external',
    outfile: path.join(outDir, 'index.js'),
    logLevel: 'warning',
  });
  copyFileSync(path.join(here, 'src/ui/styles.css'), path.join(outDir, 'bookchat.css'));
}

/** Every file under `dir`, as sorted paths relative to it. */
function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The files in which a fresh build of lib/ differs from the committed one ([] = current). */
export async function libDifferences() {
  const fresh = mkdtempSync(path.join(os.tmpdir(), 'bookchat-lib-'));
  try {
    await buildLib(fresh);
    const built = listFiles(fresh);
    const committed = listFiles(LIB);
    const names = [...new Set([...built, ...committed])].sort();
    return names.filter((name) => {
      const a = path.join(fresh, name);
      const b = path.join(LIB, name);
      return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
    });
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

/**
 * Builds lib/ aside and writes only the files that changed (removing those gone): an
 * unchanged file keeps its time, so `make versioned-site` does not rebuild for nothing.
 */
async function updateLib() {
  const fresh = mkdtempSync(path.join(os.tmpdir(), 'bookchat-lib-'));
  try {
    await buildLib(fresh);
    const built = new Set(listFiles(fresh));
    for (const name of listFiles(LIB)) if (!built.has(name)) rmSync(path.join(LIB, name));
    for (const name of built) {
      const source = readFileSync(path.join(fresh, name));
      const target = path.join(LIB, name);
      if (existsSync(target) && readFileSync(target).equals(source)) continue;
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, source);
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

async function main() {
  const check = process.argv.includes('--check');
  const bundle = await buildStandalone();
  if (check) {
    const committed = existsSync(STANDALONE) ? readFileSync(STANDALONE) : Buffer.alloc(0);
    let stale = false;
    if (!Buffer.from(bundle).equals(committed)) {
      console.error('dist-standalone/bookchat-widget.js is out of date: run `npm run build` and commit it');
      stale = true;
    }
    const differ = await libDifferences();
    if (differ.length) {
      console.error(`lib/ is out of date (${differ.join(', ')}): run \`npm run build\` and commit it`);
      stale = true;
    }
    if (stale) process.exit(1);
    console.log('dist-standalone/bookchat-widget.js and lib/ are current');
    return;
  }
  mkdirSync(path.dirname(STANDALONE), { recursive: true });
  writeFileSync(STANDALONE, bundle);
  await updateLib();
  console.log(`built lib/ and dist-standalone/bookchat-widget.js (${bundle.length} bytes)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
