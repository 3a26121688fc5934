import { createIcon, IconButton, type IconButtonProps } from '@chakra-ui/react';
import { ThemeProvider, useTheme } from 'next-themes';
import type { ReactNode } from 'react';

/**
 * Chakra's dark styles key off the `dark` class on <html>, which next-themes sets and remembers.
 * next-themes also renders an anti-flash <script> meant for server rendering; in this SPA it can
 * never run (public/color-mode.js does that job), so it is marked as an inert data block, which React 19
 * does not warn about.
 */
export function ColorModeProvider({ children }: { children: ReactNode }) {
  return (
    <ThemeProvider attribute="class" disableTransitionOnChange scriptProps={{ type: 'application/json' }}>
      {children}
    </ThemeProvider>
  );
}

export function useColorMode() {
  const { resolvedTheme, setTheme } = useTheme();
  const colorMode = resolvedTheme === 'dark' ? 'dark' : 'light';
  return { colorMode, toggleColorMode: () => setTheme(colorMode === 'dark' ? 'light' : 'dark') } as const;
}

const outline = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

const SunIcon = createIcon({
  displayName: 'SunIcon',
  path: (
    <g {...outline}>
      <circle cx="12" cy="12" r="4" />
      <path d="M12 2v2M12 20v2M4.93 4.93l1.41 1.41M17.66 17.66l1.41 1.41M2 12h2M20 12h2M6.34 17.66l-1.41 1.41M19.07 4.93l-1.41 1.41" />
    </g>
  ),
});

const MoonIcon = createIcon({
  displayName: 'MoonIcon',
  path: <path {...outline} d="M12 3a6 6 0 0 0 9 9 9 9 0 1 1-9-9Z" />,
});

export function ColorModeButton(props: Omit<IconButtonProps, 'aria-label'>) {
  const { colorMode, toggleColorMode } = useColorMode();
  return (
    <IconButton
      variant="ghost"
      size="sm"
      aria-label={colorMode === 'dark' ? 'Switch to light mode' : 'Switch to dark mode'}
      onClick={toggleColorMode}
      {...props}
    >
      {colorMode === 'dark' ? <SunIcon /> : <MoonIcon />}
    </IconButton>
  );
}
