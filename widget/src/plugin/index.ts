/**
 * The Docusaurus plugin (server side): validates the options, hands them to the client
 * as global data, provides the theme components (@theme/Root wraps the whole app) and
 * the stylesheet.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { normalizeOptions, PLUGIN_NAME, type PluginOptions } from '../options';

export type { PluginOptions };

/** The site's own copy of a package, so that the widget (maybe linked with `file:`) shares it. */
function siteCopy(siteDir: string, name: string): string | undefined {
  try {
    const require = createRequire(path.join(siteDir, 'package.json'));
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The site's entry file of a package (its `main`), or undefined when the site has none. */
function siteEntry(siteDir: string, name: string): string | undefined {
  try {
    return createRequire(path.join(siteDir, 'package.json')).resolve(name);
  } catch {
    return undefined;
  }
}

export default function pluginBookchat(context: LoadContext, rawOptions: unknown): Plugin<void> {
  const options = normalizeOptions(rawOptions);
  return {
    name: PLUGIN_NAME,
    getThemePath() {
      return path.resolve(__dirname, 'theme');
    },
    getTypeScriptThemePath() {
      return path.resolve(__dirname, '..', 'src', 'theme');
    },
    getClientModules() {
      return [path.resolve(__dirname, 'bookchat.css')];
    },
    async contentLoaded({ actions }) {
      actions.setGlobalData(normalizeOptions(options));
    },
    configureWebpack() {
      // A `file:`/linked install has its own node_modules: make React resolve to the
      // site's copy, or hooks would run against a second React.
      const alias: Record<string, string> = {};
      for (const name of ['react', 'react-dom']) {
        const dir = siteCopy(context.siteDir, name);
        if (dir) alias[name] = dir;
      }
      // The same for the theme's hooks (Layout/Provider's useColorMode), found from the
      // linked widget's real path only when the site's node_modules is on it. Exact
      // match (`$`): the theme's own subpath imports (`/internal`) keep their resolution.
      const themeCommon = siteEntry(context.siteDir, '@docusaurus/theme-common');
      if (themeCommon) alias['@docusaurus/theme-common$'] = themeCommon;
      // And the docs plugin's client API (DocItem/Metadata's useDoc): the docs context
      // must be the site's very module, or useDoc finds no provider.
      const docsClient = siteEntry(context.siteDir, '@docusaurus/plugin-content-docs/client');
      if (docsClient) alias['@docusaurus/plugin-content-docs/client$'] = docsClient;
      return { resolve: { alias } };
    },
  };
}

/** Checks the options; Docusaurus needs the plugin instance's `id` back ("default" unless set). */
export function validateOptions({ options }: { options: unknown }): PluginOptions & { id: string } {
  const input = (options ?? {}) as Record<string, unknown>;
  const { id, ...rest } = input;
  if (id !== undefined && typeof id !== 'string') throw new Error('docusaurus-plugin-bookchat: "id" must be a string');
  return { ...normalizeOptions(rest), id: id ?? 'default' };
}
