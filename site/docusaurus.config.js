// The sample book (../sample_book) as a Docusaurus site, with the bookchat widget.
// BOOKCHAT_BACKEND (build time) sets the chat service's URL; SITE_URL the site's origin.

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Humanoid Robotics Basics',
  tagline: 'A sample book for bookchat',
  url: process.env.SITE_URL || 'http://127.0.0.1:3000',
  baseUrl: '/',
  trailingSlash: false,
  onBrokenLinks: 'warn',
  markdown: { hooks: { onBrokenMarkdownLinks: 'warn' } },
  favicon: 'img/logo.svg',
  i18n: { defaultLocale: 'en', locales: ['en'] },
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          path: '../sample_book',
          routeBasePath: 'docs',
          sidebarPath: undefined,
          exclude: ['**/eval.jsonl', '**/LICENSE.txt'],
        },
        blog: false,
        pages: false,
        theme: { customCss: require.resolve('./src/css/custom.css') },
      }),
    ],
  ],
  plugins: [
    [
      'docusaurus-plugin-bookchat',
      {
        backend: process.env.BOOKCHAT_BACKEND ?? 'http://127.0.0.1:8000',
        apiKey: process.env.BOOKCHAT_PUBLIC_KEY || undefined,
      },
    ],
  ],
  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
      colorMode: { respectPrefersColorScheme: true },
      navbar: {
        title: 'Humanoid Robotics Basics',
        logo: { alt: 'Home', src: 'img/logo.svg', href: '/docs' },
        items: [{ type: 'docSidebar', sidebarId: 'defaultSidebar', position: 'left', label: 'Book' }],
      },
      footer: { style: 'dark', copyright: 'Sample book for bookchat. See sample_book/LICENSE.txt.' },
    }),
};

module.exports = config;
