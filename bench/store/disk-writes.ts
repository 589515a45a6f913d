import fs from 'node:fs';

export interface DiskWriteMeter {
  /** Which counter is used, for the figure's text. */
  source: string;
  /** Bytes written so far; only differences mean anything. */
  read(): number;
}

function procWriteBytes(): number | null {
  try {
    const match = /^write_bytes:\s*(\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Bytes this process sends towards the disk. Linux counts them in /proc/self/io `write_bytes`
 * as page-cache pages are dirtied, so a page rewritten before it reaches the disk counts once —
 * close to what the device sees, WAL frames and checkpoint copies included. Where the kernel
 * does not account it (it reads 0 although the database was just created), the growth of the
 * database and its WAL stands in; that undercounts, as SQLite reuses WAL space after a checkpoint.
 */
export function diskWriteMeter(databaseFile: string): DiskWriteMeter {
  if ((procWriteBytes() ?? 0) > 0) return { source: '/proc/self/io write_bytes', read: () => procWriteBytes()! };
  const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  return { source: 'growth of .sqlite + -wal (write_bytes reads 0 here)', read: () => size(databaseFile) + size(`${databaseFile}-wal`) };
}
