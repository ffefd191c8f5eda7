import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/**
 * Wraps the theme's own Layout provider (the theme-enhancer way, `@theme-init`) to read
 * `useColorMode()`, which only exists below Docusaurus' ColorModeProvider, and report
 * it to the widget living in <Root>. A site that swizzles Layout/Provider loses this
 * wrapper; the widget then follows `<html data-theme>` instead, which the same provider sets.
 */
import { useEffect } from 'react';
import LayoutProvider from '@theme-init/Layout/Provider';
import { useColorMode } from '@docusaurus/theme-common';
import { reportColorMode } from '../../../ui/colorMode';
function ColorModeReporter() {
    const { colorMode } = useColorMode();
    useEffect(() => {
        reportColorMode(colorMode === 'dark' ? 'dark' : 'light');
    }, [colorMode]);
    return null;
}
export default function LayoutProviderWithColorMode({ children }) {
    return (_jsxs(LayoutProvider, { children: [_jsx(ColorModeReporter, {}), children] }));
}
