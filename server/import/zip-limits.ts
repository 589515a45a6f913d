import { unzipSync } from 'fflate';
import { refuse } from '../../blocks/errors.js';

/** What a DOCX may unpack to: the largest real reports are a few MB of XML and pictures. */
const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;

/**
 * Refuses a DOCX whose parts would unpack past the limit (a ZIP bomb: gigabytes of XML in a few
 * hundred KB) before any reader inflates them, from the sizes its directory declares. A file that
 * lies about them is stopped by the reading thread's memory and time limits instead.
 */
export function checkUnpackedSize(name: string, bytes: Uint8Array): void {
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        return false;
      },
    });
  } catch (error) {
    throw refuse('import-unreadable', { name, detail: error instanceof Error ? error.message : String(error) });
  }
  if (total > MAX_UNPACKED_BYTES) throw refuse('import-unreadable', { name, detail: `it unpacks to ${Math.round(total / 1024 / 1024)} MB, more than a report holds` });
}
