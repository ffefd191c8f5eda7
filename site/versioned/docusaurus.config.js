// The versioned test site (tests/test_ingest_build.py): two released versions plus `next`,
// a French locale, and the Markdown/MDX forms real sites use (explicit heading ids, nested
// fences, partials, tabs, number prefixes, draft and unlisted pages). Built by
// `make versioned-site` into site/versioned/build, with site/node_modules.
// The browser tests (tests/browser/test_widget_classic.py) use it too: the bookchat widget,
// and the classic theme's DocSearch modal (a placeholder index: the modal opens, nothing is
// queried) to check the widget against the theme's own controls.

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Versioned test site',
  url: 'https://docs.example.org',
  baseUrl: '/',
  trailingSlash: true,
  // No home page (pages: false): the navbar title's link to / is the only broken one.
  onBrokenLinks: 'ignore',
  markdown: { hooks: { onBrokenMarkdownLinks: 'warn' } },
  i18n: { defaultLocale: 'en', locales: ['en', 'fr'] },
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          routeBasePath: 'docs',
          // The newest release is served at /docs/, 1.0 at /docs/1.0/, docs/ at /docs/next/.
          lastVersion: '2.0',
          versions: { current: { label: 'Next' } },
        },
        blog: { showReadingTime: false, postsPerPage: 1, onUntruncatedBlogPosts: 'ignore' },
        pages: false,
        sitemap: false,
        theme: { customCss: require.resolve('./src/css/custom.css') },
      }),
    ],
  ],
  plugins: [
    [
      'docusaurus-plugin-bookchat',
      {
        backend: process.env.BOOKCHAT_BACKEND ?? 'http://127.0.0.1:8000',
        // The way on after a thumbs-down (the service's BOOKCHAT_HELP_URL wins when it sends one).
        helpUrl: 'https://community.example.org/c/orbit',
        helpLabel: 'Ask the Orbit community',
      },
    ],
  ],
  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
      algolia: { appId: 'BOOKCHATTEST', apiKey: 'placeholder-search-key', indexName: 'versioned-test' },
      navbar: {
        title: 'Versioned test site',
        items: [
          { type: 'docSidebar', sidebarId: 'defaultSidebar', position: 'left', label: 'Docs' },
          { to: '/blog', label: 'Blog', position: 'left' },
          { type: 'docsVersionDropdown', position: 'right' },
          { type: 'localeDropdown', position: 'right' },
        ],
      },
    }),
};

module.exports = config;
