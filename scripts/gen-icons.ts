// Draws Rediscope's logo (a magnifier over stacked layers, white on red) and writes the app's icons:
//   public/favicon.svg                  the logo, also the manifest's scalable icon
//   public/icons/icon-{192,512}.png     rounded square on a transparent background ("any")
//   public/icons/icon-maskable-512.png  full-bleed square, the mark inside the maskable safe zone
//   public/apple-touch-icon.png         180 px, full-bleed (iOS rounds the corners itself)
// The PNGs are committed; run `npx tsx scripts/gen-icons.ts` after changing the drawing.
// Rendering uses Debian's chromium through Playwright (CHROMIUM_PATH overrides where it is).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const publicDir = path.join(root, 'public');

/** The background gradient, in user space so shapes stroked with it cut cleanly into it. */
const DEFS = `<defs><linearGradient id="bg" gradientUnits="userSpaceOnUse" x1="0" y1="0" x2="0" y2="512">` +
  `<stop offset="0" stop-color="#e53935"/><stop offset="1" stop-color="#b71c1c"/></linearGradient></defs>`;

/**
 * The mark on a 512 grid: three stacked layers (the keyspace) and a magnifier whose lens shows one
 * layer up close. Each layer is outlined in the background colour so the stack reads at 16 px.
 */
const MARK = [
  '<g stroke="url(#bg)" stroke-width="16" stroke-linejoin="round">',
  '<path d="M182 318l126 56-126 56-126-56z" fill="#ffcdd2"/>',
  '<path d="M182 262l126 56-126 56-126-56z" fill="#ffebee"/>',
  '<path d="M182 206l126 56-126 56-126-56z" fill="#fff"/>',
  '</g>',
  '<path d="M384 250l54 54" stroke="#fff" stroke-width="48" stroke-linecap="round"/>',
  '<circle cx="326" cy="176" r="86" fill="url(#bg)" stroke="#fff" stroke-width="32"/>',
  '<path d="M326 146l56 25-56 25-56-25z" fill="#fff"/>',
  '<path d="M270 193l56 25 56-25" fill="none" stroke="#fff" stroke-width="12" stroke-linejoin="round" stroke-linecap="round" opacity=".8"/>',
].join('');

/** The logo: `rounded` corners (transparent outside) or full-bleed; the mark scaled about the centre. */
function logoSvg({ rounded, scale }: { rounded: boolean; scale: number }): string {
  const offset = 256 * (1 - scale);
  const mark = scale === 1 ? MARK : `<g transform="translate(${offset} ${offset}) scale(${scale})">${MARK}</g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${DEFS}` +
    `<rect width="512" height="512"${rounded ? ' rx="108"' : ''} fill="url(#bg)"/>${mark}</svg>\n`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  async function png(svg: string, size: number, file: string): Promise<void> {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">` +
      svg.replace('<svg ', `<svg width="${size}" height="${size}" style="display:block" `) + '</body></html>');
    const out = path.join(publicDir, file);
    await mkdir(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, omitBackground: true });
    console.log(`wrote public/${file}`);
  }

  const logo = logoSvg({ rounded: true, scale: 1 });
  await writeFile(path.join(publicDir, 'favicon.svg'), logo);
  console.log('wrote public/favicon.svg');
  await png(logo, 192, 'icons/icon-192.png');
  await png(logo, 512, 'icons/icon-512.png');
  // Maskable: the launcher may crop to a circle of 80% of the width; the mark (which reaches about
  // 230 px from the centre at full size) is scaled to stay inside it.
  await png(logoSvg({ rounded: false, scale: 0.8 }), 512, 'icons/icon-maskable-512.png');
  await png(logoSvg({ rounded: false, scale: 0.9 }), 180, 'apple-touch-icon.png');
} finally {
  await browser.close();
}
