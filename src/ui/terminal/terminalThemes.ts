// The terminals' colours and font sizes for each theme and text size. Both palettes keep every
// ANSI colour readable on their background, in particular bright black (SGR 90), the grey of
// redis-cli's hints, which must read as a hint yet stay legible (contrast above 4.5:1).
import type { ITheme } from '@xterm/xterm';
import type { TextSize, Theme } from '../state/settings.ts';

/** Each background is also app.css's --terminal-background for that theme. */
export const TERMINAL_THEMES: Record<Theme, ITheme> = {
  dark: {
    background: '#1b1e23',
    foreground: '#d8dee9',
    cursor: '#d8dee9',
    cursorAccent: '#1b1e23',
    selectionBackground: '#3e4a5c',
    black: '#545b66',
    red: '#e06c75',
    green: '#98c379',
    yellow: '#e5c07b',
    blue: '#61afef',
    magenta: '#c678dd',
    cyan: '#56b6c2',
    white: '#d8dee9',
    brightBlack: '#8c94a1',
    brightRed: '#ff8a94',
    brightGreen: '#b5e28f',
    brightYellow: '#f2d398',
    brightBlue: '#8cc8ff',
    brightMagenta: '#de9bf0',
    brightCyan: '#7fd6e0',
    brightWhite: '#ffffff',
  },
  light: {
    background: '#fafafa',
    foreground: '#24292f',
    cursor: '#24292f',
    cursorAccent: '#fafafa',
    selectionBackground: '#b6d4fe',
    black: '#24292f',
    red: '#c4212d',
    green: '#116329',
    yellow: '#7d5400',
    blue: '#0550ae',
    magenta: '#8250df',
    cyan: '#0e6a73',
    white: '#59636e',
    brightBlack: '#686f78',
    brightRed: '#a40e26',
    brightGreen: '#1a7f37',
    brightYellow: '#6b4700',
    brightBlue: '#1a63c7',
    brightMagenta: '#6e40c9',
    brightCyan: '#1b7c83',
    brightWhite: '#3d444d',
  },
};

/** xterm's font size in px for each text size (the rest of the page scales with the root font size). */
export const TERMINAL_FONT_SIZES: Record<TextSize, number> = { normal: 14, large: 18, projector: 24 };
