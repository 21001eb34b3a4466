/* fl-store-schema.c: the database schema, one forward-only step a version
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-fts-fold.h"
#include "fl-replica-schema.h"
#include "fl-store-private.h"

/* Each entry takes the schema from version i to i + 1 and runs in one
 * transaction together with the PRAGMA user_version bump. Released steps
 * are never edited; a change is a new step at the end. */
static const char *const migrations[] = {
  /* 0 → 1: the data model of DESIGN.md */
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT"
  ");"
  "CREATE TABLE models ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  json TEXT NOT NULL,"
  "  loaded_at TEXT NOT NULL"
  ");"
  "CREATE TABLE events ("
  "  uuid TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  starts_on TEXT,"
  "  ends_on TEXT,"
  "  venue TEXT,"
  "  booth TEXT,"
  "  created_at TEXT NOT NULL,"
  "  model_id INTEGER REFERENCES models (id),"
  "  settings TEXT NOT NULL DEFAULT '{}'"
  ");"
  "CREATE TABLE attendees ("
  "  id INTEGER PRIMARY KEY,"
  "  event TEXT NOT NULL REFERENCES events (uuid) ON DELETE CASCADE,"
  "  badge_id TEXT NOT NULL,"
  "  first_name TEXT, last_name TEXT, full_name TEXT, email TEXT, phone TEXT,"
  "  mobile TEXT, company TEXT, title TEXT, department TEXT, street TEXT, city TEXT,"
  "  postal_code TEXT, region TEXT, country TEXT, website TEXT,"
  "  extra TEXT,"
  "  imported_at TEXT NOT NULL,"
  "  UNIQUE (event, badge_id)"
  ");"
  "CREATE TABLE leads ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  event TEXT REFERENCES events (uuid),"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  captured_by TEXT,"
  "  device TEXT,"
  "  source TEXT NOT NULL CHECK (source IN ('badge', 'card-qr', 'card-ocr', 'manual')),"
  "  raw_payload TEXT,"
  "  badge_id TEXT,"
  "  first_name TEXT, last_name TEXT, full_name TEXT, email TEXT, phone TEXT,"
  "  mobile TEXT, company TEXT, title TEXT, department TEXT, street TEXT, city TEXT,"
  "  postal_code TEXT, region TEXT, country TEXT, website TEXT,"
  "  notes TEXT,"
  "  score INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL DEFAULT 'MQL' CHECK (status IN ('MQL', 'SAL', 'DISQUALIFIED')),"
  "  model_name TEXT,"
  "  model_version INTEGER,"
  "  model_sha256 TEXT,"
  "  override_status TEXT CHECK (override_status IN ('MQL', 'SAL', 'DISQUALIFIED')),"
  "  override_by TEXT,"
  "  override_reason TEXT,"
  "  upload_state INTEGER NOT NULL DEFAULT 1,"  /* FlUploadState, kept by triggers on outbox */
  "  sort_name TEXT GENERATED ALWAYS AS (coalesce (full_name, trim (coalesce (first_name, '') || ' ' || coalesce (last_name, '')))) VIRTUAL"
  ");"
  "CREATE TABLE answers ("
  "  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,"
  "  question_id TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (lead_id, question_id)"
  ");"
  /* The score breakdown (a JSON array, a few KB) lives beside the lead
   * rather than in its row: in the row it would fill a page per lead, and
   * every scan of leads (lists, filters, rescore) would read it. */
  "CREATE TABLE lead_breakdowns ("
  "  lead_id INTEGER PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,"
  "  breakdown TEXT NOT NULL"
  ");"
  "CREATE TABLE interactions ("
  "  id INTEGER PRIMARY KEY,"
  "  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  at TEXT NOT NULL"
  ");"
  "CREATE TABLE consents ("
  "  id INTEGER PRIMARY KEY,"
  "  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,"
  "  text_version TEXT,"
  "  text_sha256 TEXT,"
  "  text_source TEXT,"
  "  language TEXT,"
  "  given INTEGER NOT NULL,"
  "  method TEXT,"
  "  staff TEXT,"
  "  at TEXT NOT NULL"
  ");"
  "CREATE TABLE card_photos ("
  "  lead_id INTEGER PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,"
  "  jpeg BLOB NOT NULL,"
  "  taken_at TEXT NOT NULL"
  ");"
  "CREATE TABLE connectors ("
  "  name TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  url TEXT,"
  "  options TEXT NOT NULL DEFAULT '{}',"
  "  enabled INTEGER NOT NULL DEFAULT 1,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE outbox ("
  "  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,"
  "  connector TEXT NOT NULL REFERENCES connectors (name) ON DELETE CASCADE,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'sending', 'done', 'failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at TEXT,"
  "  last_error TEXT,"
  "  remote_id TEXT,"
  "  batch_key TEXT,"
  "  queued_at TEXT NOT NULL,"
  "  done_at TEXT,"
  "  PRIMARY KEY (lead_id, connector)"
  ");"
  "CREATE TABLE staff ("
  "  name TEXT PRIMARY KEY,"
  "  pin_hash TEXT NOT NULL,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  lead_uuid TEXT,"
  "  at TEXT NOT NULL,"
  "  actor TEXT,"
  "  action TEXT NOT NULL,"
  "  detail TEXT"
  ");",

  /* 1 → 2: full-text search over person fields and notes. remove_diacritics
   * makes "muller" find "Müller". */
  "CREATE VIRTUAL TABLE leads_fts USING fts5 ("
  "  full_name, first_name, last_name, email, company, title, notes,"
  "  content = 'leads', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN"
  "  INSERT INTO leads_fts (rowid, full_name, first_name, last_name, email, company, title, notes)"
  "  VALUES (new.id, new.full_name, new.first_name, new.last_name, new.email, new.company,"
  "          new.title, new.notes);"
  "END;"
  "CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN"
  "  INSERT INTO leads_fts (leads_fts, rowid, full_name, first_name, last_name, email, company,"
  "                         title, notes)"
  "  VALUES ('delete', old.id, old.full_name, old.first_name, old.last_name, old.email,"
  "          old.company, old.title, old.notes);"
  "END;"
  "CREATE TRIGGER leads_fts_update AFTER UPDATE OF full_name, first_name, last_name, email,"
  "  company, title, notes ON leads BEGIN"
  "  INSERT INTO leads_fts (leads_fts, rowid, full_name, first_name, last_name, email, company,"
  "                         title, notes)"
  "  VALUES ('delete', old.id, old.full_name, old.first_name, old.last_name, old.email,"
  "          old.company, old.title, old.notes);"
  "  INSERT INTO leads_fts (rowid, full_name, first_name, last_name, email, company, title, notes)"
  "  VALUES (new.id, new.full_name, new.first_name, new.last_name, new.email, new.company,"
  "          new.title, new.notes);"
  "END;"
  "INSERT INTO leads_fts (leads_fts) VALUES ('rebuild');",

  /* 2 → 3: indexes for lists, filters, de-duplication and the outbox at
   * 100,000 leads. */
  "CREATE INDEX leads_event_created ON leads (event, created_at);"
  "CREATE INDEX leads_event_status ON leads (event, status, created_at);"
  "CREATE INDEX leads_event_email ON leads (event, lower (email));"
  "CREATE INDEX leads_event_badge ON leads (event, badge_id);"
  "CREATE INDEX interactions_lead ON interactions (lead_id);"
  "CREATE INDEX consents_lead ON consents (lead_id);"
  "CREATE INDEX outbox_due ON outbox (connector, state, next_attempt_at);"
  "CREATE INDEX audit_lead ON audit (lead_uuid);"
  "CREATE INDEX leads_event_name ON leads (event, sort_name COLLATE NOCASE);"
  "CREATE INDEX leads_event_company ON leads (event, company IS NULL, company COLLATE NOCASE);"
  "CREATE INDEX leads_event_score ON leads (event, score);"
  "CREATE INDEX leads_event_status_score ON leads (event, status, score);"
  "CREATE INDEX leads_event_staff ON leads (event, captured_by IS NULL, captured_by COLLATE NOCASE);"
  "CREATE INDEX leads_event_captured_by ON leads (event, captured_by, created_at);"
  "CREATE INDEX leads_event_upload ON leads (event, upload_state, created_at);"
  /* A lead's upload state over all its connectors, kept with the outbox so
   * filtering and sorting by it needs no aggregate per row. */
  "CREATE TRIGGER outbox_state_insert AFTER INSERT ON outbox BEGIN"
  "  UPDATE leads SET upload_state = (SELECT CASE WHEN count(*) = 0 THEN 1"
  "    WHEN sum (state = 'failed') > 0 THEN 3 WHEN sum (state IN ('pending', 'sending')) > 0 THEN 2"
  "    ELSE 4 END FROM outbox WHERE lead_id = new.lead_id) WHERE id = new.lead_id;"
  "END;"
  "CREATE TRIGGER outbox_state_update AFTER UPDATE OF state ON outbox BEGIN"
  "  UPDATE leads SET upload_state = (SELECT CASE WHEN count(*) = 0 THEN 1"
  "    WHEN sum (state = 'failed') > 0 THEN 3 WHEN sum (state IN ('pending', 'sending')) > 0 THEN 2"
  "    ELSE 4 END FROM outbox WHERE lead_id = new.lead_id) WHERE id = new.lead_id;"
  "END;"
  "CREATE TRIGGER outbox_state_delete AFTER DELETE ON outbox BEGIN"
  "  UPDATE leads SET upload_state = (SELECT CASE WHEN count(*) = 0 THEN 1"
  "    WHEN sum (state = 'failed') > 0 THEN 3 WHEN sum (state IN ('pending', 'sending')) > 0 THEN 2"
  "    ELSE 4 END FROM outbox WHERE lead_id = old.lead_id) WHERE id = old.lead_id;"
  "END;",

  /* 3 → 4: the consent gate (DESIGN.md: one gate that every path passes).
   * A lead whose event requires consent (settings.consent_required, true
   * when absent) and whose latest consent entry is not "given" is never
   * pending or failed in the outbox, whichever code writes it: a new row is
   * ignored, a delivered row is not reopened, and rows waiting when consent
   * goes away are removed with an audit entry. Delivered rows stay: they
   * record what the CRM already has. A row in flight is left to the
   * uploader, which checks consent again right before it sends. A writer
   * that brings a lead in (import, merge) writes its consent ledger before
   * its outbox rows, as fl_store_save_lead() does.
   * The condition is FL_STORE_SQL_UPLOAD_ALLOWED of fl-store.h, written out
   * because a released step never changes. */
#define NOT_ALLOWED(id)                                                                            \
  " NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = " id " AND ("                                  \
  "  NOT coalesce ((SELECT json_extract (e.settings, '$.consent_required') FROM events e"          \
  "                 WHERE e.uuid = l.event), 1)"                                                   \
  "  OR coalesce ((SELECT c.given FROM consents c WHERE c.lead_id = l.id"                         \
  "                ORDER BY c.id DESC LIMIT 1), 0) = 1)) "
#define WITHHOLD(where, actor)                                                                     \
  "INSERT INTO audit (lead_uuid, at, actor, action, detail)"                                      \
  "  SELECT l.uuid, strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'), " actor ", 'upload-withheld',"        \
  "    'consent not given; not sent to ' || o.connector"                                         \
  "  FROM outbox o JOIN leads l ON l.id = o.lead_id WHERE " where ";"                             \
  "DELETE FROM outbox WHERE rowid IN (SELECT o.rowid FROM outbox o WHERE " where ");"
  "CREATE TRIGGER outbox_consent_insert BEFORE INSERT ON outbox"
  "  WHEN new.state <> 'done' AND" NOT_ALLOWED ("new.lead_id") "BEGIN"
  "  SELECT RAISE (IGNORE);"
  "END;"
  "CREATE TRIGGER outbox_consent_reopen BEFORE UPDATE OF state ON outbox"
  "  WHEN old.state = 'done' AND new.state <> 'done' AND" NOT_ALLOWED ("new.lead_id") "BEGIN"
  "  SELECT RAISE (IGNORE);"
  "END;"
  /* Pending and failed rows always have consent (the triggers below keep
   * it so); a row in flight may have lost it meanwhile. */
  "CREATE TRIGGER outbox_consent_return AFTER UPDATE OF state ON outbox"
  "  WHEN old.state = 'sending' AND new.state IN ('pending', 'failed') AND"
  NOT_ALLOWED ("new.lead_id") "BEGIN "
  WITHHOLD ("o.lead_id = new.lead_id AND o.connector = new.connector", "NULL")
  "END;"
  "CREATE TRIGGER consents_gate_insert AFTER INSERT ON consents"
  "  WHEN" NOT_ALLOWED ("new.lead_id") "BEGIN "
  WITHHOLD ("o.lead_id = new.lead_id AND o.state IN ('pending', 'failed')", "new.staff")
  "END;"
  "CREATE TRIGGER consents_gate_update AFTER UPDATE ON consents"
  "  WHEN" NOT_ALLOWED ("new.lead_id") "BEGIN "
  WITHHOLD ("o.lead_id = new.lead_id AND o.state IN ('pending', 'failed')", "new.staff")
  "END;"
  "CREATE TRIGGER leads_gate_event AFTER UPDATE OF event ON leads"
  "  WHEN" NOT_ALLOWED ("new.id") "BEGIN "
  WITHHOLD ("o.lead_id = new.id AND o.state IN ('pending', 'failed')", "NULL")
  "END;"
  "CREATE TRIGGER events_gate_settings AFTER UPDATE OF settings ON events BEGIN "
  WITHHOLD ("o.state IN ('pending', 'failed') AND o.lead_id IN (SELECT id FROM leads"
            "  WHERE event = new.uuid) AND" NOT_ALLOWED ("o.lead_id"), "NULL")
  "END;"
  /* What older versions queued without consent. */
  WITHHOLD ("o.state IN ('pending', 'sending', 'failed') AND" NOT_ALLOWED ("o.lead_id"), "NULL"),
#undef WITHHOLD
#undef NOT_ALLOWED

  /* 4 → 5: the sync log, one row per lead and request that carried it:
   * when, the answer's HTTP status, what became of the lead and the CRM's
   * id. Erasing a lead erases its rows. */
  "CREATE TABLE sync_log ("
  "  id INTEGER PRIMARY KEY,"
  "  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,"
  "  connector TEXT NOT NULL,"
  "  at TEXT NOT NULL,"
  "  batch_key TEXT,"
  "  http_status INTEGER,"
  "  result TEXT NOT NULL CHECK (result IN ('delivered', 'failed', 'retry', 'stopped')),"
  "  remote_id TEXT,"
  "  message TEXT"
  ");"
  "CREATE INDEX sync_log_lead ON sync_log (lead_id, id);",

  /* 5 → 6: search folds the spellings of a name together: "weiss" finds
   * "Weiß", "mueller" finds "Müller" and back, "lukasz" finds "Łukasz"
   * (fl-fts-fold.h). The triggers fold with SQLite's own functions, so any
   * SQLite client can still write leads; the index holds the folded text
   * only (contentless), searches fold the same way before they reach it. */
  "DROP TRIGGER leads_fts_insert;"
  "DROP TRIGGER leads_fts_delete;"
  "DROP TRIGGER leads_fts_update;"
  "DROP TABLE leads_fts;"
  "CREATE VIRTUAL TABLE leads_fts USING fts5 ("
  "  " FL_FTS_COLUMNS ","
  "  content = '',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN"
  "  INSERT INTO leads_fts (rowid, " FL_FTS_COLUMNS ") VALUES (new.id, " FL_FTS_FOLDED ("new") ");"
  "END;"
  "CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN"
  "  INSERT INTO leads_fts (leads_fts, rowid, " FL_FTS_COLUMNS ")"
  "  VALUES ('delete', old.id, " FL_FTS_FOLDED ("old") ");"
  "END;"
  "CREATE TRIGGER leads_fts_update AFTER UPDATE OF " FL_FTS_COLUMNS " ON leads BEGIN"
  "  INSERT INTO leads_fts (leads_fts, rowid, " FL_FTS_COLUMNS ")"
  "  VALUES ('delete', old.id, " FL_FTS_FOLDED ("old") ");"
  "  INSERT INTO leads_fts (rowid, " FL_FTS_COLUMNS ") VALUES (new.id, " FL_FTS_FOLDED ("new") ");"
  "END;"
  FL_FTS_REFILL,

  /* 6 → 7: score, status and model live in a narrow table of their own,
   * so a rescore of 100,000 leads rewrites small rows and the indexes over
   * them, never the wide lead rows (person fields, payload, notes) nor the
   * lead indexes. Every lead has its row (the trigger adds it, whichever
   * code inserts the lead); erasing the lead erases it. The manual status
   * (override_*) stays on leads: people write it, rescores only read it. */
  "CREATE TABLE lead_scores ("
  "  lead_id INTEGER PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,"
  "  score INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL DEFAULT 'MQL' CHECK (status IN ('MQL', 'SAL', 'DISQUALIFIED')),"
  "  model_name TEXT,"
  "  model_version INTEGER,"
  "  model_sha256 TEXT"
  ");"
  "INSERT INTO lead_scores (lead_id, score, status, model_name, model_version, model_sha256)"
  "  SELECT id, score, status, model_name, model_version, model_sha256 FROM leads;"
  "CREATE INDEX lead_scores_status_score ON lead_scores (status, score);"
  "CREATE INDEX lead_scores_score ON lead_scores (score);"
  "CREATE TRIGGER lead_scores_insert AFTER INSERT ON leads BEGIN"
  "  INSERT INTO lead_scores (lead_id) VALUES (new.id);"
  "END;"
  "DROP INDEX leads_event_status;"
  "DROP INDEX leads_event_score;"
  "DROP INDEX leads_event_status_score;"
  "ALTER TABLE leads DROP COLUMN score;"
  "ALTER TABLE leads DROP COLUMN status;"
  "ALTER TABLE leads DROP COLUMN model_name;"
  "ALTER TABLE leads DROP COLUMN model_version;"
  "ALTER TABLE leads DROP COLUMN model_sha256;",

  /* 7 → 8: a row going between pending and sending (the uploader claims
   * every lead it sends, and gives back what it did not send) leaves the
   * lead's upload state as it was: both count as waiting. The trigger no
   * longer rewrites the lead's row and its index for it. */
  "DROP TRIGGER outbox_state_update;"
  "CREATE TRIGGER outbox_state_update AFTER UPDATE OF state ON outbox"
  "  WHEN NOT (old.state IN ('pending', 'sending') AND new.state IN ('pending', 'sending')) BEGIN"
  "  UPDATE leads SET upload_state = (SELECT CASE WHEN count(*) = 0 THEN 1"
  "    WHEN sum (state = 'failed') > 0 THEN 3 WHEN sum (state IN ('pending', 'sending')) > 0 THEN 2"
  "    ELSE 4 END FROM outbox WHERE lead_id = new.lead_id) WHERE id = new.lead_id;"
  "END;",

  /* 8 → 9: booth sync's change log (fl-replica-schema.h): every write to
   * a replicated table is logged by triggers with this device's id, a
   * sequence number and a hybrid logical clock; what the database holds
   * already is logged as this device's changes; merged leads keep their
   * uuids as aliases; the consent gate reads the latest consent by time. */
  FL_REPLICA_MIGRATION,

  /* 9 → 10: the lead indexes begin with a small integer for the event
   * instead of its 36-character uuid (~30 MB of 162 at 100,000 leads).
   * The integer is local: event_keys numbers every event uuid this file
   * has seen (events.rowid would do, but VACUUM may renumber it), and
   * leads.event_key holds its lead's number. leads.event, the uuid, stays
   * what replicates and what a file means elsewhere; the change log's
   * triggers never name event_key, so setting it logs nothing. Triggers
   * keep the key right whoever writes the lead (any SQLite client):
   * a lead inserted or moved without its key, or with a wrong one, gets
   * the key of its event. Queries find an event's leads with
   * FL_STORE_SQL_EVENT_KEY (fl-store-private.h). */
  "CREATE TABLE event_keys ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE"
  ");"
  "INSERT INTO event_keys (uuid) SELECT uuid FROM events ORDER BY created_at, uuid;"
  "INSERT INTO event_keys (uuid) SELECT DISTINCT event FROM leads"
  "  WHERE event IS NOT NULL AND event NOT IN (SELECT uuid FROM event_keys);"
  "CREATE TRIGGER events_key_insert AFTER INSERT ON events"
  "  WHEN NOT EXISTS (SELECT 1 FROM event_keys WHERE uuid = new.uuid) BEGIN"
  "  INSERT INTO event_keys (uuid) VALUES (new.uuid);"
  "END;"
  "DROP INDEX leads_event_created;"
  "DROP INDEX leads_event_email;"
  "DROP INDEX leads_event_badge;"
  "DROP INDEX leads_event_name;"
  "DROP INDEX leads_event_company;"
  "DROP INDEX leads_event_staff;"
  "DROP INDEX leads_event_captured_by;"
  "DROP INDEX IF EXISTS leads_event_upload;"
  "ALTER TABLE leads ADD COLUMN event_key INTEGER;"
  "UPDATE leads SET event_key = (SELECT k.id FROM event_keys k WHERE k.uuid = leads.event)"
  "  WHERE event IS NOT NULL;"
  "CREATE INDEX leads_event_created ON leads (event_key, created_at);"
  "CREATE INDEX leads_event_email ON leads (event_key, lower (email));"
  "CREATE INDEX leads_event_badge ON leads (event_key, badge_id);"
  "CREATE INDEX leads_event_name ON leads (event_key, sort_name COLLATE NOCASE);"
  "CREATE INDEX leads_event_company ON leads (event_key, company IS NULL, company COLLATE NOCASE);"
  "CREATE INDEX leads_event_staff ON leads (event_key, captured_by IS NULL, captured_by COLLATE NOCASE);"
  "CREATE INDEX leads_event_captured_by ON leads (event_key, captured_by, created_at);"
  "CREATE INDEX leads_event_upload ON leads (event_key, upload_state, created_at);"
#define FIX_EVENT_KEY                                                                              \
  " WHEN new.event_key IS NOT (SELECT id FROM event_keys WHERE uuid = new.event)"                  \
  "  OR (new.event_key IS NULL AND new.event IS NOT NULL) BEGIN"                                   \
  "  INSERT INTO event_keys (uuid) SELECT new.event WHERE new.event IS NOT NULL"                   \
  "    AND NOT EXISTS (SELECT 1 FROM event_keys WHERE uuid = new.event);"                          \
  "  UPDATE leads SET event_key = (SELECT id FROM event_keys WHERE uuid = new.event)"              \
  "    WHERE id = new.id;"                                                                         \
  "END;"
  "CREATE TRIGGER leads_event_key_insert AFTER INSERT ON leads" FIX_EVENT_KEY
  "CREATE TRIGGER leads_event_key_update AFTER UPDATE OF event, event_key ON leads" FIX_EVENT_KEY
#undef FIX_EVENT_KEY
  /* The consent gate's trigger on an event's settings finds its leads by
   * the key (step 8 → 9 wrote it with the uuid, whose indexes are gone). */
  "DROP TRIGGER events_gate_settings;"
  "CREATE TRIGGER events_gate_settings AFTER UPDATE OF settings ON events BEGIN "
  FL_REPLICA_WITHHOLD ("o.state IN ('pending', 'failed') AND o.lead_id IN (SELECT id FROM leads"
                       "  WHERE event_key = (SELECT id FROM event_keys WHERE uuid = new.uuid))"
                       " AND" FL_REPLICA_NOT_ALLOWED ("o.lead_id"), "NULL")
  "END;",

  /* 10 → 11: the change log costs only in a booth: outside one, inserts
   * and updates log nothing (fl-replica-schema.h); joining a booth or
   * merging a file logs what the log does not cover first. */
  FL_REPLICA_MIGRATION_11,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == FL_STORE_SCHEMA_VERSION);

const char *
_fl_store_migration (int from_version)
{
  g_assert (from_version >= 0 && from_version < FL_STORE_SCHEMA_VERSION);
  return migrations[from_version];
}
