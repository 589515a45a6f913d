/**
 * Hocuspocus 3 with its SQLite extension, configured as its documentation starts one: the
 * document stored in a SQLite file (written after its default debounce), no authentication hook.
 * The file is prepared before start with the seed under the room's name, in the extension's own
 * table, so Hocuspocus loads the same document ours serves.
 *
 * Env: SEED_FILE, DB_FILE, ROOM. Prints `listening on http://127.0.0.1:<port>` when ready.
 */
import fs from 'node:fs';
import { SQLite, schema } from '@hocuspocus/extension-sqlite';
import { Server } from '@hocuspocus/server';
import Database from 'better-sqlite3';

const SEED_FILE = process.env.SEED_FILE!;
const DB_FILE = process.env.DB_FILE!;
const ROOM = process.env.ROOM!;

const prepared = new Database(DB_FILE);
prepared.exec(schema);
prepared.prepare('INSERT INTO "documents" ("name", "data") VALUES (?, ?)').run(ROOM, fs.readFileSync(SEED_FILE));
prepared.close();

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, extensions: [new SQLite({ database: DB_FILE })] });
await server.listen();
console.log(`Hocuspocus listening on http://127.0.0.1:${server.address.port}`);
