import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { launchChromium } from './browser.js';

/** A box on the page in millimetres from its top left corner. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where a printed page has ink: above `footerFrom` (the type area's content) and below it (the footer). */
export interface PageInk {
  /** The page's PNG, as PDF.js drew it in Chromium at 144 dpi. */
  png: Buffer;
  body: Box | null;
  footer: Box | null;
}

const PDFJS_BUILD = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/build/pdf.mjs'));
const ORIGIN = 'http://pdf-pages.test';
const SCALE = 2;
/** A canvas, and PDF.js loaded as a module and handed to the tests' script. */
const VIEWER = `<!doctype html><canvas id="page"></canvas><script type="module">
import * as pdfjs from '/pdf.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.mjs';
window.pdfjs = pdfjs;
</script>`;

/**
 * Draws each page of a PDF to PNG the way a reader sees it (PDF.js in Chromium) and finds where
 * it has ink — any pixel darker than the light grey of header cells — split at `footerFrom`
 * millimetres from the top. Nothing leaves the machine: the page and PDF.js are served by the
 * browser context's route from disk.
 */
export async function inkOfPdfPages(bytes: Uint8Array, footerFrom: number): Promise<PageInk[]> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: VIEWER });
      if (path === '/report.pdf') return route.fulfill({ contentType: 'application/pdf', body: Buffer.from(bytes) });
      if (path === '/pdf.mjs' || path === '/pdf.worker.mjs') return route.fulfill({ contentType: 'text/javascript', body: await readFile(join(PDFJS_BUILD, path.slice(1))) });
      return route.fulfill({ status: 404 });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => 'pdfjs' in window);
    const pages = await page.evaluate(
      async ({ scale, footerFrom }) => {
        const { pdfjs } = window as unknown as { pdfjs: typeof import('pdfjs-dist') };
        const pdf = await pdfjs.getDocument({ url: '/report.pdf' }).promise;
        const canvas = document.getElementById('page') as HTMLCanvasElement;
        const results = [];
        for (let number = 1; number <= pdf.numPages; number++) {
          const pdfPage = await pdf.getPage(number);
          const viewport = pdfPage.getViewport({ scale });
          canvas.width = Math.round(viewport.width);
          canvas.height = Math.round(viewport.height);
          const context = canvas.getContext('2d', { willReadFrequently: true })!;
          await pdfPage.render({ canvasContext: context, viewport, canvas }).promise;
          const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
          const mmPerPixel = 25.4 / (72 * scale);
          const split = footerFrom / mmPerPixel;
          const boxes: Array<[number, number, number, number] | null> = [null, null];
          for (let y = 0; y < height; y++) {
            for (let x = 0; x < width; x++) {
              const at = (y * width + x) * 4;
              // Darker than the F2F2F2 shading of header cells, and not transparent.
              if (data[at + 3]! < 128 || data[at]! + data[at + 1]! + data[at + 2]! > 3 * 200) continue;
              const band = y < split ? 0 : 1;
              const box = boxes[band];
              if (!box) boxes[band] = [x, y, x, y];
              else {
                box[0] = Math.min(box[0], x);
                box[2] = Math.max(box[2], x);
                box[3] = y;
              }
            }
          }
          const inMm = (box: [number, number, number, number] | null) =>
            box && { left: box[0] * mmPerPixel, top: box[1] * mmPerPixel, right: (box[2] + 1) * mmPerPixel, bottom: (box[3] + 1) * mmPerPixel };
          results.push({ png: canvas.toDataURL('image/png'), body: inMm(boxes[0] ?? null), footer: inMm(boxes[1] ?? null) });
        }
        await pdf.destroy();
        return results;
      },
      { scale: SCALE, footerFrom },
    );
    return pages.map((drawn) => ({ ...drawn, png: Buffer.from(drawn.png.replace(/^data:image\/png;base64,/, ''), 'base64') }));
  } finally {
    await browser.close();
  }
}
