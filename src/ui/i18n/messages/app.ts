// Text of the page shell: the engine status line, failure notices, the regions of the layout.
import { defineMessages } from './define.ts';

export const app = defineMessages({
  status: {
    ready: 'Redis {{version}} compatible engine, running in a Web Worker',
    busy: 'Redis {{version}} engine busy with a long command…',
    starting: 'Starting the engine…',
    restarting: 'Restarting the engine…',
    failed: 'The engine could not be started.',
  },
  failure: {
    restarted: 'The engine stopped; a fresh one is starting and restoring the world last saved in this browser… Every client was disconnected (the next command reconnects).',
    gaveUp: 'The engine stopped and could not be started again. Reload the page to try again.',
    connectionDropped: 'The engine hit an internal error on a command and dropped that client\'s connection (the next command reconnects).',
    details: 'Details',
    dismiss: 'Dismiss',
  },
  regions: {
    panels: 'Panels',
    lessons: 'Lessons',
    lessonsPlaceholder: 'Guided lessons will appear here.',
  },
}, {
  status: {
    ready: '兼容 Redis {{version}} 的引擎，运行在 Web Worker 中',
    busy: 'Redis {{version}} 引擎正在执行一条耗时命令…',
    starting: '正在启动引擎…',
    restarting: '正在重启引擎…',
    failed: '引擎无法启动。',
  },
  failure: {
    restarted: '引擎停止了；正在启动新的引擎，并恢复上次保存在此浏览器中的世界… 所有客户端都已断开（下一条命令会重新连接）。',
    gaveUp: '引擎停止了，并且无法再次启动。请刷新页面重试。',
    connectionDropped: '引擎在执行一条命令时出现内部错误，断开了该客户端的连接（下一条命令会重新连接）。',
    details: '详情',
    dismiss: '关闭',
  },
  regions: {
    panels: '面板',
    lessons: '课程',
    lessonsPlaceholder: '引导式课程将显示在这里。',
  },
});
