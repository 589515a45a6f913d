import type { Browser } from 'playwright-core';
import { refuse } from '../../blocks/errors.js';

/** Debian's Chromium, headless, reaching nothing outside the machine (also how the browser tests launch it). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Prints published HTML to PDF with headless Chromium — the same page the portal serves, so the
 * PDF reads exactly as the web page does, with its Chinese fonts embedded. One browser is kept
 * for the life of the server and started on first use; each print gets its own page.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | null = null;

  constructor(private readonly executablePath: string) {}

  async print(html: string): Promise<Buffer> {
    const browser = await this.launch();
    // A fresh context per print: no state from one publication leaks into the next.
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      // The page's own print stylesheet lays out the paper (GB/T 9704: margins, page numbers).
      return await page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true });
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close();
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      // The browser driver is loaded with the first print, not at start: a server that has not
      // published yet does not carry it in memory.
      const launching = import('playwright-core')
        .then(({ chromium }) => chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS }))
        .catch((error: unknown) => {
          // The next publication tries again (the package may have been installed meanwhile).
          this.browser = null;
          // The machine's Chromium cannot print: publishing must say so rather than publish without its PDF.
          throw refuse('pdf-unavailable', { detail: `${this.executablePath}: ${(error as Error)?.message ?? String(error)}` });
        });
      this.browser = launching;
      void launching.then((browser) => browser.on('disconnected', () => {
        if (this.browser === launching) this.browser = null;
      }), () => undefined);
    }
    return this.browser;
  }
}
