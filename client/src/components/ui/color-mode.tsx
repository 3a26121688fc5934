import { IconButton, type IconButtonProps } from '@chakra-ui/react';
import { ThemeProvider, useTheme } from 'next-themes';
import type { ReactNode } from 'react';
import { MoonIcon, SunIcon } from '../icons';

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
