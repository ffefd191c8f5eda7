// The one @docusaurus/theme-common API the widget uses (the package is the site's, a peer).
declare module '@docusaurus/theme-common' {
  export function useColorMode(): {
    readonly colorMode: 'light' | 'dark';
    readonly setColorMode: (colorMode: 'light' | 'dark' | null) => void;
  };
}

// The one @docusaurus/plugin-content-docs client API the widget uses (inside a doc page only).
declare module '@docusaurus/plugin-content-docs/client' {
  export function useDoc(): { readonly frontMatter: { readonly [key: string]: unknown } };
}
