// The versioned test site (tests/test_ingest_build.py): two released versions plus `next`,
// a French locale, and the Markdown/MDX forms real sites use (explicit heading ids, nested
// fences, partials, tabs, number prefixes, draft and unlisted pages). Built by
// `make versioned-site` into site/versioned/build, with site/node_modules.

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
  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
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
