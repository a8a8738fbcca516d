// Text of the display settings in the header: language, theme, text size.
import { defineMessages } from './define.ts';

export const settings = defineMessages({
  language: 'Language',
  theme: {
    label: 'Theme',
    system: 'System theme',
    light: 'Light theme',
    dark: 'Dark theme',
  },
  textSize: {
    label: 'Text size',
    normal: 'Normal text',
    large: 'Large text',
    projector: 'Projector',
  },
}, {
  language: '语言',
  theme: {
    label: '主题',
    system: '跟随系统',
    light: '浅色主题',
    dark: '深色主题',
  },
  textSize: {
    label: '文字大小',
    normal: '正常文字',
    large: '大号文字',
    projector: '投影模式',
  },
});
