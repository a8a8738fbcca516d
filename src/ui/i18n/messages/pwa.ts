// Text of the installable, offline app: the update prompt and the "ready to work offline" note.
import { defineMessages } from './define.ts';

export const pwa = defineMessages({
  update: {
    message: 'A new version of Rediscope is ready.',
    detail: 'Reload the page to start using it.',
    reload: 'Reload',
    later: 'Later',
    label: 'Update available',
  },
  offline: {
    message: 'Rediscope is ready to work offline.',
    close: 'Close',
    closeLabel: 'Close the offline note',
    label: 'Offline ready',
  },
}, {
  update: {
    message: 'Rediscope 有新版本可用。',
    detail: '重新加载页面即可开始使用。',
    reload: '重新加载',
    later: '稍后',
    label: '有可用更新',
  },
  offline: {
    message: 'Rediscope 已可离线使用。',
    close: '关闭',
    closeLabel: '关闭离线提示',
    label: '离线可用',
  },
});
