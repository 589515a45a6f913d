import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as Y from 'yjs';
import type { DatabaseKind } from './database.js';

/**
 * What differs between SQLite and PostgreSQL in a schema; everything else is written once. On
 * SQLite every choice here is what the migrations always wrote, so its files are unchanged.
 */
interface Ddl {
  /** Milliseconds since the epoch, past 2^31: SQLite's integer is 64-bit already, PostgreSQL's is not. */
  time: 'integer' | 'bigint';
  /** A Yjs client id: an unsigned 32-bit number. */
  clientId: 'integer' | 'bigint';
  bytes: 'blob' | 'bytea';
  /** An integer key the database numbers. */
  generatedKey(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Makes the database itself refuse to change or delete any row of `table`, saying `message`. */
  refuseChanges(db: Kysely<any>, table: string, message: string): Promise<void>;
  /** Fills `update_sections` from each logged update's `sections` (a JSON array) in the same INSERT. */
  indexUpdateSections(db: Kysely<any>): Promise<void>;
  /** Stores the update log and its section index in their keys' order, where the engine can (0007). */
  keyOrderedLog(db: Kysely<any>): Promise<void>;
}

const sqliteDdl: Ddl = {
  time: 'integer',
  clientId: 'integer',
  bytes: 'blob',
  generatedKey: (column) => column.primaryKey().autoIncrement(),
  async refuseChanges(db, table, message) {
    for (const event of ['update', 'delete']) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_immutable_${event}`)} BEFORE ${sql.raw(event.toUpperCase())} ON ${sql.table(table)} BEGIN SELECT RAISE(ABORT, ${sql.lit(message)}); END`.execute(db);
    }
  },
  async indexUpdateSections(db) {
    await sql`
      CREATE TRIGGER update_log_index_sections AFTER INSERT ON update_log
      WHEN NEW.sections IS NOT NULL
      BEGIN
        INSERT INTO update_sections (report_id, section_id, seq)
        SELECT NEW.report_id, value, NEW.seq FROM json_each(NEW.sections);
      END`.execute(db);
  },
  /**
   * As rowid tables, each logged keystroke wrote four pages (the log's table and its key index,
   * the section index's table and its key index): about 16 KiB into the WAL for a 30-byte update,
   * and a checkpoint, which stalls the event loop on the disk, every ~230 keystrokes. WITHOUT
   * ROWID keeps each table in its key's B-tree alone: two pages per keystroke. The section index
   * is derived from the log's `sections`, so it is rebuilt from them rather than copied.
   */
  async keyOrderedLog(db) {
    await sql`DROP TRIGGER update_log_index_sections`.execute(db);
    await sql`DROP TABLE update_sections`.execute(db);
    await sql`
      CREATE TABLE update_log_by_key (
        report_id text NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        data blob NOT NULL,
        user_id integer REFERENCES users (id),
        created_at integer NOT NULL,
        sections text,
        CONSTRAINT update_log_pk PRIMARY KEY (report_id, seq)
      ) WITHOUT ROWID`.execute(db);
    await sql`INSERT INTO update_log_by_key SELECT report_id, seq, data, user_id, created_at, sections FROM update_log`.execute(db);
    await sql`DROP TABLE update_log`.execute(db);
    await sql`ALTER TABLE update_log_by_key RENAME TO update_log`.execute(db);
    await sql`
      CREATE TABLE update_sections (
        report_id text NOT NULL,
        section_id text NOT NULL,
        seq integer NOT NULL,
        CONSTRAINT update_sections_pk PRIMARY KEY (report_id, section_id, seq),
        CONSTRAINT update_sections_update FOREIGN KEY (report_id, seq) REFERENCES update_log (report_id, seq) ON DELETE CASCADE
      ) WITHOUT ROWID`.execute(db);
    await sql`
      INSERT INTO update_sections (report_id, section_id, seq)
      SELECT DISTINCT update_log.report_id, value, update_log.seq FROM update_log, json_each(update_log.sections)
      WHERE update_log.sections IS NOT NULL`.execute(db);
    await sqliteDdl.indexUpdateSections(db);
  },
};

const postgresDdl: Ddl = {
  time: 'bigint',
  clientId: 'bigint',
  bytes: 'bytea',
  generatedKey: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
  async refuseChanges(db, table, message) {
    await sql`
      CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%', TG_ARGV[0];
      END $$`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_immutable`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION refuse_change(${sql.lit(message)})`.execute(db);
  },
  async indexUpdateSections(db) {
    await sql`
      CREATE FUNCTION update_log_index_sections() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO update_sections (report_id, section_id, seq)
        SELECT NEW.report_id, value, NEW.seq FROM json_array_elements_text(NEW.sections::json) AS value;
        RETURN NULL;
      END $$`.execute(db);
    await sql`
      CREATE TRIGGER update_log_index_sections AFTER INSERT ON update_log
      FOR EACH ROW WHEN (NEW.sections IS NOT NULL)
      EXECUTE FUNCTION update_log_index_sections()`.execute(db);
  },
  // A PostgreSQL table is a heap with its key index beside it; there is no other layout to choose.
  async keyOrderedLog() {},
};

/**
 * Migrations live in code so the server binary carries them. Each is frozen once released:
 * typed against `Kysely<any>`, never against today's table interfaces.
 */
const migrations = (ddl: Ddl): Record<string, Migration> => ({
  '2026-11-22-0001-core': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('districts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('departments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('color', 'text', (c) => c.notNull())
        .addColumn('is_lead', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'integer', (c) => ddl.generatedKey(c))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead', 'editor', 'viewer')`))
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .addColumn('expires_at', ddl.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_by_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sections')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('department_id', 'text', (c) => c.references('departments.id'))
        .addColumn('state', 'text', (c) =>
          c.notNull().defaultTo('draft').check(sql`state in ('draft', 'submitted', 'approved', 'returned')`),
        )
        .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('deadline', ddl.time)
        .addPrimaryKeyConstraint('sections_pk', ['report_id', 'section_id'])
        .execute();
      await db.schema
        .createTable('update_log')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('data', ddl.bytes, (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('update_log_pk', ['report_id', 'seq'])
        .execute();
      await db.schema
        .createTable('snapshots')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('data', ddl.bytes, (c) => c.notNull())
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('snapshots_pk', ['report_id', 'seq'])
        .execute();
    },
  },
  '2026-11-22-0002-workflow': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('update_sections')
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('update_sections_pk', ['report_id', 'section_id', 'seq'])
        .addForeignKeyConstraint('update_sections_update', ['report_id', 'seq'], 'update_log', ['report_id', 'seq'], (fk) => fk.onDelete('cascade'))
        .execute();
      // The sections an update touched travel with it in one INSERT; the index is filled here, in
      // the same statement, so logging stays a single cheap write per keystroke.
      await db.schema.alterTable('update_log').addColumn('sections', 'text').execute();
      await ddl.indexUpdateSections(db);
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'integer', (c) => ddl.generatedKey(c))
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('section_id', 'text')
        .addColumn('user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_by_report').on('audit_log').columns(['report_id', 'id']).execute();
      await db.schema
        .createTable('comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('thread_id', 'text')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('comment').check(sql`kind in ('comment', 'return')`))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('anchor', 'text')
        .addColumn('quote', 'text')
        .addColumn('resolved_at', ddl.time)
        .addColumn('resolved_by', 'integer', (c) => c.references('users.id'))
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('comments_by_report').on('comments').columns(['report_id', 'created_at']).execute();
    },
  },
  '2026-11-22-0003-annex': {
    async up(db: Kysely<any>) {
      // Last year's figures typed in by hand, when last year's report is not in the system.
      await db.schema.alterTable('reports').addColumn('previous_annex', 'text').execute();
      await db.schema
        .createTable('report_units')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('government', 'department', 'township')`))
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('report_units_pk', ['report_id', 'unit_id'])
        .execute();
    },
  },
  '2026-11-22-0004-publications': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('publications')
        // A random slug: the public URL of a version, never a guessable sequence.
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addColumn('annex', 'text', (c) => c.notNull())
        .addColumn('published_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('published_at', ddl.time, (c) => c.notNull())
        .addUniqueConstraint('publications_version', ['report_id', 'version'])
        .execute();
      // Published versions are immutable: the database itself refuses to change or delete one.
      await ddl.refuseChanges(db, 'publications', 'publications are immutable');
    },
  },
  '2026-11-22-0005-publication-files-and-webhook': {
    async up(db: Kysely<any>) {
      // The section texts as published, so the next pre-flight can say what changed since.
      await db.schema.alterTable('publications').addColumn('sections', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema
        .createTable('publication_files')
        .addColumn('publication_id', 'text', (c) => c.notNull().references('publications.id'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('docx', 'pdf')`))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('bytes', ddl.bytes, (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('publication_files_pk', ['publication_id', 'kind'])
        .execute();
      await ddl.refuseChanges(db, 'publication_files', 'published files are immutable');
      // The outbox: a delivery is written in the same transaction as its publication, so a
      // publication is never left without its push even if the process dies right after.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'integer', (c) => ddl.generatedKey(c))
        .addColumn('publication_id', 'text', (c) => c.notNull().references('publications.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', ddl.time)
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', ddl.time)
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    },
  },
  '2026-12-01-0001-client-ids': {
    async up(db: Kysely<any>) {
      // Who writes under each Yjs client id of a report: a socket may write only under ids that no
      // other user owns (user_id null: the server's own edits, which no user may imitate).
      await db.schema
        .createTable('client_ids')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('client_id', ddl.clientId, (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('users.id'))
        .addPrimaryKeyConstraint('client_ids_pk', ['report_id', 'client_id'])
        .execute();
      // Reports written before: the first logged writer of each id owns it.
      const rows = await db.selectFrom('update_log').select(['report_id', 'seq', 'data', 'user_id']).orderBy('report_id').orderBy('seq').execute();
      const owners = new Map<string, { report_id: string; client_id: number; user_id: number | null }>();
      for (const row of rows as Array<{ report_id: string; data: Uint8Array; user_id: number | null }>) {
        let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
        try {
          structs = Y.decodeUpdate(row.data).structs;
        } catch {
          // An unreadable row quarantines its report when it is opened; it owns nothing here.
          continue;
        }
        for (const struct of structs) {
          const key = `${row.report_id}:${struct.id.client}`;
          if (!owners.has(key)) owners.set(key, { report_id: row.report_id, client_id: struct.id.client, user_id: row.user_id });
        }
      }
      const values = [...owners.values()];
      for (let i = 0; i < values.length; i += 200) await db.insertInto('client_ids').values(values.slice(i, i + 200)).execute();
    },
  },
  '2026-12-01-0002-skipped-rows': {
    async up(db: Kysely<any>) {
      // Logged updates and snapshots the operator left out of every replay because they cannot be
      // read (npm run report-admin). The rows themselves stay: the log is the audit trail.
      await db.schema
        .createTable('skipped_rows')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('update', 'snapshot')`))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('skipped_at', ddl.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('skipped_rows_pk', ['report_id', 'kind', 'seq'])
        .execute();
    },
  },
  '2026-12-01-0003-publication-seq': {
    async up(db: Kysely<any>) {
      // The logged update a publication was made from: its checks and its pages read the report at
      // that one moment. Null for versions published before it was recorded.
      await db.schema.alterTable('publications').addColumn('seq', 'integer').execute();
    },
  },
  '2026-12-01-0004-accounts': {
    async up(db: Kysely<any>) {
      // A deactivated user keeps their name on everything they wrote, but can no longer log in.
      await db.schema.alterTable('users').addColumn('deactivated_at', ddl.time).execute();
      // What administrators did to departments and users (the command line: no user).
      await db.schema
        .createTable('admin_log')
        .addColumn('id', 'integer', (c) => ddl.generatedKey(c))
        .addColumn('user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .execute();
    },
  },
  '2026-12-01-0005-must-change-password': {
    async up(db: Kysely<any>) {
      // Set when an administrator resets a password or hands out a generated one: its user chooses
      // their own before doing anything else.
      await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  '2026-12-01-0006-report-leases': {
    async up(db: Kysely<any>) {
      // Which server process decides a report's edits while several share the database: the one
      // whose lease has not run out (milliseconds on the database's clock). Unused by one process.
      await db.schema
        .createTable('report_leases')
        .addColumn('report_id', 'text', (c) => c.primaryKey().references('reports.id').onDelete('cascade'))
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('expires_at', ddl.time, (c) => c.notNull())
        .execute();
    },
  },
  '2026-12-01-0007-key-ordered-log': {
    async up(db: Kysely<any>) {
      // Fewer pages written per keystroke; see the engine's `keyOrderedLog`.
      await ddl.keyOrderedLog(db);
    },
  },
  '2026-12-01-0008-report-level': {
    async up(db: Kysely<any>) {
      // Who writes the report: a province, a city divided into districts, or a county or district
      // (blocks/annex/body-level.ts). Reports made before were all districts'.
      await db.schema
        .alterTable('reports')
        .addColumn('level', 'text', (c) => c.notNull().defaultTo('county').check(sql`level in ('province', 'city', 'county')`))
        .execute();
    },
  },
  '2026-12-01-0009-archived-reports': {
    async up(db: Kysely<any>) {
      // A report imported from what a district published in an earlier year: kept to be read (and
      // as last year for the cross-year rules), never edited or published again.
      await db.schema.alterTable('reports').addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  '2026-12-02-0010-notifications': {
    async up(db: Kysely<any>) {
      // What each user is told about (assignments, deadlines, returns, mentions, reminders …),
      // kept until read and after; and the lead office's reminders, for who has read them.
      await db.schema
        .createTable('reminders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('sent_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('departments', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('section_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('dedupe', 'text', (c) => c.notNull())
        .addColumn('reminder_id', 'text', (c) => c.references('reminders.id').onDelete('cascade'))
        .addColumn('created_at', ddl.time, (c) => c.notNull())
        .addColumn('read_at', ddl.time)
        .execute();
      await db.schema.createIndex('notifications_by_user').on('notifications').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('notifications_once').on('notifications').columns(['user_id', 'dedupe']).unique().execute();
      await db.schema.createIndex('notifications_by_reminder').on('notifications').columns(['reminder_id']).execute();
    },
  },
});

export function migrationProvider(kind: DatabaseKind): MigrationProvider {
  const all = migrations(kind === 'postgres' ? postgresDdl : sqliteDdl);
  return {
    async getMigrations() {
      return all;
    },
  };
}
