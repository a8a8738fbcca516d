// The encoding panel, driven from the terminal: a small hash's listpack entries with their byte
// sizes and the hashtable conversion a long value causes; an intset widening from 16 to 32 bits;
// strings as int, embstr and raw with their SDS; a list's quicklist nodes, split, compressed and
// read (the quicklist trace events); the Chinese texts.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openApp, type TerminalDriver } from './support/terminal.ts';

function panel(page: Page): Locator {
  return page.getByTestId('encoding-panel');
}

async function openEncodingPanel(page: Page): Promise<TerminalDriver> {
  const t = await openApp(page);
  await page.getByRole('tab', { name: 'Encoding' }).click();
  await expect(panel(page)).toBeVisible();
  return t;
}

test('a small hash is a listpack with its entries drawn; a long value converts it to a hashtable', async ({ page }) => {
  const t = await openEncodingPanel(page);
  await t.run('HSET user:1 name Ada lang C');
  await expect(panel(page)).toHaveAttribute('data-key', 'user:1');
  await expect(panel(page)).toHaveAttribute('data-encoding', 'listpack');
  const lp = panel(page).getByTestId('listpack');
  // 4 entries: "name" 6, "Ada" 5, "lang" 6, "C" 3 bytes, plus the 6-byte header and the end byte.
  await expect(lp).toHaveAttribute('data-entry-count', '4');
  await expect(lp).toHaveAttribute('data-bytes', String(6 + 6 + 5 + 6 + 3 + 1));
  await expect(lp.locator('[data-entry-index]')).toHaveCount(4);
  await expect(lp.locator('[data-entry-index="1"]')).toHaveAttribute('data-size', '5');
  await expect(lp.locator('[data-entry-index="1"]')).toHaveAttribute('data-encoding', 'LP_ENCODING_6BIT_STR');
  await expect(lp.locator('[data-part="header"]')).toBeVisible();
  await expect(lp.locator('[data-part="end"]')).toBeVisible();
  // The limits from the live CONFIG.
  const entries = panel(page).locator('[data-threshold="entries"]');
  await expect(entries).toHaveAttribute('data-current', '2');
  await expect(entries).toHaveAttribute('data-limit', '512');
  await t.run('CONFIG SET hash-max-listpack-entries 3');
  await t.run('HSET user:1 age 36');
  await expect(panel(page).locator('[data-threshold="entries"]')).toHaveAttribute('data-limit', '3');
  await expect(panel(page).locator('[data-threshold="entries"]')).toHaveAttribute('data-current', '3');
  await expect(lp).toHaveAttribute('data-entry-count', '6');
  // The step list names the Redis functions and highlights what HSET did.
  await expect(panel(page).getByTestId('encoding-steps')).toHaveAttribute('data-taken', 'check find write count');
  await expect(panel(page).getByTestId('encoding-steps').locator('[data-step="count"]')).toHaveAttribute('data-state', 'current');
  await expect(panel(page).getByTestId('encoding-steps')).toContainText('hashTypeTryConversion');

  await t.run(`HSET user:1 bio ${'x'.repeat(80)}`);
  await expect(panel(page)).toHaveAttribute('data-encoding', 'hashtable');
  const conversion = panel(page).getByTestId('encoding-conversion');
  await expect(conversion).toHaveAttribute('data-fn', 'hashTypeConvert');
  await expect(conversion).toHaveAttribute('data-from', 'listpack');
  await expect(conversion).toHaveAttribute('data-to', 'hashtable');
  await expect(conversion).toHaveAttribute('data-reason', 'value');
  await expect(conversion).toContainText('80');
  await expect(conversion).toContainText('hash-max-listpack-value 64');
  await expect(panel(page).getByTestId('listpack')).toHaveCount(0);
  await expect(panel(page).getByTestId('encoding-elsewhere')).toHaveAttribute('data-panel', 'dict');
  await expect(panel(page).getByTestId('encoding-steps').locator('[data-step="convert"]')).toHaveAttribute('data-state', 'current');
});

test('SADD 1 2 3 is an intset of 16-bit cells; SADD 100000 widens it to 32 bits', async ({ page }) => {
  const t = await openEncodingPanel(page);
  await t.run('SADD ids 1 2 3');
  const is = panel(page).getByTestId('intset');
  await expect(is).toHaveAttribute('data-width', '16');
  await expect(is).toHaveAttribute('data-count', '3');
  await expect(is).toHaveAttribute('data-bytes', '14');
  await expect(is.locator('[data-value]')).toHaveCount(3);
  await t.run('SADD ids 100000');
  await expect(is).toHaveAttribute('data-width', '32');
  await expect(is).toHaveAttribute('data-bytes', String(8 + 4 * 4));
  await expect(is.locator('[data-value="100000"]')).toBeVisible();
  const conversion = panel(page).getByTestId('encoding-conversion');
  await expect(conversion).toHaveAttribute('data-fn', 'intsetUpgradeAndAdd');
  await expect(conversion).toHaveAttribute('data-from', 'int16');
  await expect(conversion).toHaveAttribute('data-to', 'int32');
  await expect(panel(page).getByTestId('encoding-steps')).toHaveAttribute('data-taken', 'parse upgrade count');
  await t.run('SADD ids hello');
  await expect(panel(page)).toHaveAttribute('data-encoding', 'hashtable');
  await expect(conversion).toHaveAttribute('data-reason', 'not-integer');
});

test('SET 123 / "hello" / a 50-byte string: int, embstr and raw with the SDS behind them', async ({ page }) => {
  const t = await openEncodingPanel(page);
  const layout = panel(page).getByTestId('string-layout');
  await t.run('SET k 123');
  await expect(layout).toHaveAttribute('data-encoding', 'int');
  await expect(layout).toHaveAttribute('data-shared', 'true');
  await expect(layout).toHaveAttribute('data-sds-type', '');
  await t.run('SET k hello');
  await expect(layout).toHaveAttribute('data-encoding', 'embstr');
  await expect(layout).toHaveAttribute('data-len', '5');
  await expect(layout).toHaveAttribute('data-sds-type', '8');
  await expect(layout).toHaveAttribute('data-alloc', '5');
  await t.run(`SET k ${'y'.repeat(50)}`);
  await expect(layout).toHaveAttribute('data-encoding', 'raw');
  await expect(layout).toHaveAttribute('data-len', '50');
  await expect(layout).toHaveAttribute('data-zmalloc', '64');
  await expect(panel(page).locator('[data-threshold="embstr"]')).toHaveAttribute('data-passed', 'true');
  // APPEND to an embstr: made a private raw string first, then grown with room to spare.
  await t.run('SET s abc');
  await t.run('APPEND s defg');
  await expect(panel(page)).toHaveAttribute('data-key', 's');
  await expect(layout).toHaveAttribute('data-encoding', 'raw');
  await expect(layout).toHaveAttribute('data-alloc', '28');
  await expect(panel(page).getByTestId('encoding-conversion')).toHaveAttribute('data-fn', 'dbUnshareStringValue');
});

test('a list: quicklist nodes with their sizes, compression, and a node\'s listpack', async ({ page }) => {
  const t = await openEncodingPanel(page);
  await t.run('CONFIG SET list-max-listpack-size 4');
  await t.run('CONFIG SET list-compress-depth 1');
  const elements = Array.from({ length: 26 }, (_, i) => `element-${String(i).padStart(3, '0')}`);
  await t.run(`RPUSH q ${elements.join(' ')}`);
  const ql = panel(page).getByTestId('quicklist');
  const node = (i: number) => ql.locator(`g[data-node-index="${i}"]`);
  await expect(ql).toHaveAttribute('data-node-count', '7');
  await expect(ql).toHaveAttribute('data-count', '26');
  await expect(ql.locator('g[data-node-id]')).toHaveCount(7);
  await expect(node(0)).toHaveAttribute('data-count', '4');
  await expect(node(6)).toHaveAttribute('data-count', '2');
  // A node of 4 elements of 11 bytes: 6 + 4 * (1 + 11 + 1) + 1 = 59 bytes. Depth 1 keeps both ends
  // raw; the 5 interior nodes are LZF-compressed (it saves more than 8 bytes).
  await expect(node(1)).toHaveAttribute('data-bytes', '59');
  await expect(ql).toHaveAttribute('data-compressed-nodes', '5');
  await expect(node(0)).toHaveAttribute('data-compressed', 'false');
  await expect(node(3)).toHaveAttribute('data-compressed', 'true');
  await expect(node(6)).toHaveAttribute('data-compressed', 'false');
  // Selecting a node shows its listpack.
  await node(3).click();
  const detail = panel(page).getByTestId('quicklist-node-detail');
  await expect(detail).toHaveAttribute('data-detail-node', '3');
  await expect(detail.getByTestId('listpack')).toHaveAttribute('data-entry-count', '4');
  await expect(detail.getByTestId('listpack')).toHaveAttribute('data-bytes', '59');
  await expect(detail.locator('[data-entry-index="0"]')).toHaveAttribute('data-size', '13');
});

test('a list: LINSERT into a full node splits it, a push compresses the old tail, a read opens a node for use', async ({ page }) => {
  const t = await openEncodingPanel(page);
  await t.run('CONFIG SET list-max-listpack-size 4');
  await t.run('CONFIG SET list-compress-depth 1');
  const elements = (from: number, n: number) => Array.from({ length: n }, (_, i) => `element-${String(from + i).padStart(3, '0')}`);
  await t.run(`RPUSH q ${elements(0, 8).join(' ')}`);
  const ql = panel(page).getByTestId('quicklist');
  const node = (i: number) => ql.locator(`g[data-node-index="${i}"]`);
  const ops = panel(page).getByTestId('quicklist-ops');
  const steps = panel(page).getByTestId('encoding-steps');
  await expect(ql).toHaveAttribute('data-node-count', '2');

  // Inside the full head node: _quicklistSplitNode cuts [e0 e1 e2 e3] into [e0 e1] and [X e2 e3].
  await t.run('LINSERT q AFTER element-001 X');
  await expect(ql).toHaveAttribute('data-node-count', '3');
  await expect(node(0)).toHaveAttribute('data-op', 'split');
  await expect(node(0)).toHaveAttribute('data-op-fn', '_quicklistSplitNode');
  await expect(node(0)).toHaveAttribute('data-count', '2');
  await expect(node(1)).toHaveAttribute('data-op', 'split');
  await expect(node(1)).toHaveAttribute('data-count', '3');
  await expect(node(2)).toHaveAttribute('data-op', '');
  await expect(node(0)).toContainText('_quicklistSplitNode');
  const split = ops.locator('li[data-op="split"]');
  await expect(split).toHaveAttribute('data-fn', '_quicklistSplitNode');
  await expect(split).toHaveAttribute('data-caller', '_quicklistInsert');
  await expect(split).toContainText('cut after element 1 into 2 + 3 elements');
  await expect(steps).toHaveAttribute('data-taken', 'allow split');
  await expect(steps.locator('[data-step="split"]')).toHaveAttribute('data-state', 'current');
  await expect(steps).toContainText('_quicklistMergeNodes');

  // A new tail node makes the old tail an interior node: __quicklistCompress LZF-compresses it.
  await t.run(`RPUSH q ${elements(8, 4).join(' ')}`);
  await expect(ql).toHaveAttribute('data-node-count', '4');
  await expect(node(3)).toHaveAttribute('data-op', 'create');
  await expect(node(3)).toHaveAttribute('data-op-fn', 'quicklistCreateNode');
  await expect(node(2)).toHaveAttribute('data-op', 'compress');
  await expect(node(2)).toHaveAttribute('data-op-fn', '__quicklistCompress');
  await expect(node(2)).toHaveAttribute('data-compressed', 'true');
  await expect(ql).toHaveAttribute('data-compressed-nodes', '1');
  const compress = ops.locator('li[data-op="compress"]');
  await expect(compress).toHaveAttribute('data-fn', '__quicklistCompressNode');
  await expect(compress).toHaveAttribute('data-caller', '__quicklistCompress');
  await expect(compress).toHaveAttribute('data-node-index', '2');
  await expect(compress).toContainText('node 2 LZF-compressed: 59 B →');
  await expect(ops.locator('li[data-op="create"]')).toHaveAttribute('data-fn', 'quicklistCreateNode');
  await expect(steps).toHaveAttribute('data-taken', 'allow newNode compress');

  // LINDEX inside it: decompressed for use, compressed again right after.
  await t.run('LINDEX q 6');
  await expect(node(2)).toHaveAttribute('data-op', 'use');
  await expect(node(2)).toHaveAttribute('data-compressed', 'true');
  await expect(ops.locator('li')).toHaveCount(2);
  await expect(ops.locator('li').first()).toHaveAttribute('data-fn', '__quicklistDecompressNode');
  await expect(steps).toHaveAttribute('data-taken', 'use');
});

test('DEBUG RELOAD re-encodes a shrunk hash: the panel and the keyspace show the listpack it comes back as', async ({ page }) => {
  const t = await openEncodingPanel(page);
  await t.run('CONFIG SET hash-max-listpack-entries 4');
  await t.run('HSET h a 1 b 2 c 3 d 4 e 5');
  await expect(panel(page)).toHaveAttribute('data-encoding', 'hashtable');
  await t.run('HDEL h a b c');
  await expect(panel(page).locator('[data-threshold="entries"]')).toHaveAttribute('data-current', '2');
  await expect(panel(page)).toHaveAttribute('data-encoding', 'hashtable');
  // The command names no key; the conversion event names h, and the panel reads it again.
  await t.run('DEBUG RELOAD');
  await expect(panel(page)).toHaveAttribute('data-encoding', 'listpack');
  const conversion = panel(page).getByTestId('encoding-conversion');
  await expect(conversion).toHaveAttribute('data-fn', 'rdbLoadObject');
  await expect(conversion).toHaveAttribute('data-from', 'hashtable');
  await expect(conversion).toHaveAttribute('data-to', 'listpack');
  await expect(conversion).toHaveAttribute('data-reason', 'load');
  await expect(panel(page).getByTestId('listpack')).toHaveAttribute('data-entry-count', '4');
  await page.getByRole('tab', { name: 'Keyspace' }).click();
  await expect(page.locator('tr[data-key="h"]')).toContainText('listpack');
});

test('the panel speaks Chinese', async ({ page }) => {
  const t = await openEncodingPanel(page);
  await t.run('SADD ids 1 2 3');
  await expect(panel(page).getByTestId('intset')).toHaveAttribute('data-width', '16');
  await page.getByTestId('language-select').selectOption('zh');
  await expect(panel(page).getByTestId('encoding-steps')).toContainText('二分查找');
  await expect(panel(page).getByTestId('intset')).toContainText('intset：3 个整数');
});
