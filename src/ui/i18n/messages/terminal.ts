// Text around the redis-cli terminals: the area, each terminal's toolbar, the wire view. What
// redis-cli itself prints inside a terminal is not here: it stays exactly as redis-cli prints it.
import { defineMessages } from './define.ts';

export const terminal = defineMessages({
  area: {
    label: 'Terminals',
    addClient: 'Add client',
    hint: 'Each client is its own connection to the same server. Pasting several lines runs each one.',
    loading: 'Loading the terminals…',
  },
  view: {
    clientName: 'client {{number}}',
    textbox: '{{name}}: redis-cli',
    showWire: 'Show wire',
    hideWire: 'Hide wire',
    raw: '--raw',
    rawTitle: 'Print replies as redis-cli --raw does: no types, no quotes, no numbering',
    close: 'Close',
    closeLabel: 'Close {{name}}',
    help: 'redis-cli. Tab completes command names, up and down browse the history, Control-R searches it. A paste of several lines runs each line in turn (a real terminal would run only the first). Press Escape, then Tab, to leave the terminal. F1 lists the keyboard shortcuts.',
  },
  wire: {
    label: 'RESP bytes of {{name}}',
    legend: 'RESP on the wire: → sent, ← received',
    clear: 'Clear',
    sent: 'sent',
    received: 'received',
    more: ' … ({{size}} bytes in all)',
  },
}, {
  area: {
    label: '终端',
    addClient: '添加客户端',
    hint: '每个客户端都是连到同一个服务器的独立连接。一次粘贴多行时会逐行执行。',
    loading: '正在加载终端…',
  },
  view: {
    clientName: '客户端 {{number}}',
    textbox: '{{name}}：redis-cli',
    showWire: '显示线路数据',
    hideWire: '隐藏线路数据',
    raw: '--raw',
    rawTitle: '像 redis-cli --raw 那样输出回复：不显示类型、引号和序号',
    close: '关闭',
    closeLabel: '关闭{{name}}',
    help: 'redis-cli。Tab 补全命令名，上下方向键浏览历史记录，Control-R 搜索历史记录。一次粘贴多行时会依次执行每一行（真实终端只会执行第一行）。先按 Escape 再按 Tab 可离开终端。F1 列出键盘快捷键。',
  },
  wire: {
    label: '{{name}} 的 RESP 字节',
    legend: '线路上的 RESP：→ 发送，← 接收',
    clear: '清空',
    sent: '发送',
    received: '接收',
    more: ' …（共 {{size}} 字节）',
  },
});
