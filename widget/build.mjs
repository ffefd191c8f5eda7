// Builds the two outputs of the widget:
//   lib/                 the Docusaurus plugin (server entry lib/index.js, theme components,
//                        core and UI as ES modules, lib/bookchat.css)
//   dist-standalone/     one self-contained IIFE script (the CSS inlined), committed; it renders
//                        with Preact's React-compatible layer (preact/compat) instead of
//                        react-dom: the same components, about a quarter of the bytes
// The standalone bundle is reproducible: the same sources give byte-identical output.
// `node build.mjs --check` only verifies that the committed bundle matches the sources.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const STANDALONE = path.join(here, 'dist-standalone', 'bookchat-widget.js');

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
  banner: { js: '/*! bookchat widget (standalone) | includes Preact, MIT License, Copyright (c) 2015-present Jason Miller */' },
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

async function main() {
  const check = process.argv.includes('--check');
  const bundle = await buildStandalone();
  if (check) {
    const committed = existsSync(STANDALONE) ? readFileSync(STANDALONE) : Buffer.alloc(0);
    if (!Buffer.from(bundle).equals(committed)) {
      console.error('dist-standalone/bookchat-widget.js is out of date: run `npm run build` and commit it');
      process.exit(1);
    }
    console.log('dist-standalone/bookchat-widget.js is current');
    return;
  }
  mkdirSync(path.dirname(STANDALONE), { recursive: true });
  writeFileSync(STANDALONE, bundle);

  rmSync(path.join(here, 'lib'), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(here, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], {
    cwd: here,
    stdio: 'inherit',
  });
  await esbuild.build({
    absWorkingDir: here,
    entryPoints: ['src/plugin/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ['node18'],
    packages: 'external',
    outfile: 'lib/index.js',
    logLevel: 'warning',
  });
  copyFileSync(path.join(here, 'src/ui/styles.css'), path.join(here, 'lib/bookchat.css'));
  console.log(`built lib/ and dist-standalone/bookchat-widget.js (${bundle.length} bytes)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
