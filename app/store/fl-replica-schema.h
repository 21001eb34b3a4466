/* fl-replica-schema.h: the change log of booth sync (schema step 8 → 9)
 *
 * Every write to a replicated table, by any code or any SQLite client,
 * is logged by the triggers below as one row of `changes`:
 *
 *   device   the uuid of the device that made the change (meta.device_id)
 *   seq      1, 2, 3… per device, without gaps: the version vector
 *   hlc      hybrid logical clock: max (physical ms << 16, highest held + 1)
 *   tbl      the replicated table
 *   row_key  the row's key that means the same on every kiosk (uuids,
 *            names, "lead uuid|question id"…, never a local integer id)
 *   data     a JSON object: the fields written (an update logs only the
 *            fields it changed), {"_deleted": 1} for a deletion
 *
 * The triggers and the clock are plain SQL (no function of ours), so any
 * SQLite client that writes the database still logs its changes. Changes
 * applied from another kiosk are stored with their original device, seq
 * and hlc by app/booth/fl-replica.c, which sets meta 'replica.applying'
 * inside its transaction so that writing them logs nothing new. Holding
 * the highest hlc of the log (the one row of replica_clock, kept by the
 * triggers on changes), receiving changes advances the local clock.
 *
 * Not replicated: connectors (and their secrets, in the keyring), the
 * outbox's local progress (only "delivered" replicates), the sync log,
 * scores (every kiosk computes them with the event's model), card photos,
 * meta.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define FL_REPLICA_LOCAL " NOT EXISTS (SELECT 1 FROM meta WHERE key = 'replica.applying') "
#define FL_REPLICA_HELD_HLC "(SELECT hlc FROM replica_clock)"
#define FL_REPLICA_NOW_HLC "(CAST ((julianday ('now') - 2440587.5) * 86400000.0 AS INTEGER) * 65536)"

/* Logs one change of the local device; @key and @cond may use d.dev and
 * x.j (the data). */
#define FL_REPLICA_LOG(tbl, key, data, cond)                                                       \
  "INSERT INTO changes (device, seq, hlc, tbl, row_key, data)"                                     \
  " SELECT d.dev, (SELECT coalesce (max (seq), 0) + 1 FROM changes WHERE device = d.dev),"        \
  "  max (" FL_REPLICA_NOW_HLC ", " FL_REPLICA_HELD_HLC " + 1),"                                    \
  "  '" tbl "', " key ", x.j"                                                                      \
  " FROM (SELECT value AS dev FROM meta WHERE key = 'device_id') d, (SELECT " data " AS j) x"      \
  " WHERE " cond ";"

/* The same for schema 11, where changes is a view (FL_REPLICA_COMPACT_LOG):
 * the next sequence number is read from replica_log, where max() is one
 * seek of its key instead of a scan of the device's changes. */
#define FL_REPLICA_NEXT_SEQ(dev)                                                                   \
  "(SELECT coalesce (max (seq), 0) + 1 FROM replica_log"                                           \
  " WHERE device = (SELECT id FROM replica_devices WHERE uuid = " dev "))"
#define FL_REPLICA_LOG_11(tbl, key, data, cond)                                                    \
  "INSERT INTO changes (device, seq, hlc, tbl, row_key, data)"                                     \
  " SELECT d.dev, " FL_REPLICA_NEXT_SEQ ("d.dev") ","                                              \
  "  max (" FL_REPLICA_NOW_HLC ", " FL_REPLICA_HELD_HLC " + 1),"                                    \
  "  '" tbl "', " key ", x.j"                                                                      \
  " FROM (SELECT value AS dev FROM meta WHERE key = 'device_id') d, (SELECT " data " AS j) x"      \
  " WHERE " cond ";"

#define FL_REPLICA_LEAD_REST(X)                                                                    \
  X (created_at) X (updated_at) X (captured_by) X (device) X (source) X (raw_payload) X (badge_id) \
  X (first_name) X (last_name) X (full_name) X (email) X (phone) X (mobile) X (company) X (title)  \
  X (department) X (street) X (city) X (postal_code) X (region) X (country) X (website) X (notes)  \
  X (override_status) X (override_by) X (override_reason)
#define FL_REPLICA_ATTENDEE_REST(X)                                                                \
  X (last_name) X (full_name) X (email) X (phone) X (mobile) X (company) X (title) X (department)  \
  X (street) X (city) X (postal_code) X (region) X (country) X (website) X (extra) X (imported_at)
#define FL_REPLICA_EVENT_REST(X)                                                                   \
  X (starts_on) X (ends_on) X (venue) X (booth) X (created_at) X (settings)

#define FL_REPLICA_NEW_PAIR(c) ", '" #c "', new." #c
#define FL_REPLICA_ROW_PAIR(c) ", '" #c "', t." #c
#define FL_REPLICA_CHANGED(c) " UNION ALL SELECT '" #c "', new." #c " WHERE old." #c " IS NOT new." #c
#define FL_REPLICA_COLUMN(c) ", " #c

/* The fields an UPDATE changed, as a JSON object. */
#define FL_REPLICA_CHANGED_OBJECT(first, REST)                                                     \
  "(SELECT json_group_object (k, v) FROM (SELECT '" first "' AS k, new." first " AS v"             \
  " WHERE old." first " IS NOT new." first REST (FL_REPLICA_CHANGED) "))"

#define FL_REPLICA_LEAD_UUID(id) "(SELECT uuid FROM leads WHERE id = " id ")"
#define FL_REPLICA_ANSWER_KEY(r, lead) lead " || '|' || " r ".question_id"
#define FL_REPLICA_INTERACTION_KEY(r, lead) lead " || '|' || " r ".kind || '|' || " r ".at"
#define FL_REPLICA_CONSENT_KEY(r, lead)                                                            \
  lead " || '|' || " r ".at || '|' || " r ".given || '|' || coalesce (" r ".text_version, '')"
#define FL_REPLICA_CONSENT_OBJECT(r)                                                               \
  "json_object ('text_version', " r ".text_version, 'text_sha256', " r ".text_sha256,"             \
  " 'text_source', " r ".text_source, 'language', " r ".language, 'given', " r ".given,"          \
  " 'method', " r ".method, 'staff', " r ".staff, 'at', " r ".at)"
#define FL_REPLICA_AUDIT_OBJECT(r)                                                                 \
  "json_object ('lead_uuid', " r ".lead_uuid, 'at', " r ".at, 'actor', " r ".actor,"              \
  " 'action', " r ".action, 'detail', " r ".detail)"
#define FL_REPLICA_MODEL_SHA(id) "(SELECT sha256 FROM models WHERE id = " id ")"
/* A lead's revision: the clock of the last change to it or its answers,
 * interactions and consents, the same on every kiosk that holds the same
 * changes. Deliveries and Idempotency-Keys (fl-outbox.c) go by it. */
#define FL_REPLICA_REVISION(uuid)                                                                  \
  "(SELECT max (c.hlc) FROM changes c WHERE c.tbl IN ('leads', 'answers', 'interactions',"         \
  " 'consents') AND c.row_key >= " uuid " AND c.row_key < " uuid " || '}')"
#define FL_REPLICA_DONE_OBJECT(r)                                                                  \
  "json_object ('remote_id', " r ".remote_id, 'done_at', " r ".done_at, 'revision',"              \
  " " FL_REPLICA_REVISION ("(SELECT uuid FROM leads WHERE id = " r ".lead_id)") ")"

/* Is the latest change logged for (tbl, x.k-expression) already this data? */
#define FL_REPLICA_UNCHANGED(tbl, key)                                                             \
  "EXISTS (SELECT 1 FROM changes c WHERE c.tbl = '" tbl "' AND c.row_key = " key                  \
  " AND c.data = x.j AND c.hlc = (SELECT max (hlc) FROM changes WHERE tbl = '" tbl "'"           \
  " AND row_key = " key "))"
#define FL_REPLICA_KNOWN(tbl, key)                                                                 \
  "EXISTS (SELECT 1 FROM changes c WHERE c.tbl = '" tbl "' AND c.row_key = " key ")"

/* The consent gate of step 4 reads the latest consent entry by time, not
 * by local row id: entries applied from another kiosk arrive in any order.
 * A refusal wins over a consent of the same instant. */
#define FL_REPLICA_LATEST_CONSENT(l)                                                               \
  "(SELECT c.given FROM consents c WHERE c.lead_id = " l " ORDER BY c.at DESC, c.given ASC,"      \
  " c.id DESC LIMIT 1)"
#define FL_REPLICA_NOT_ALLOWED(id)                                                                 \
  " NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = " id " AND ("                                  \
  "  NOT coalesce ((SELECT json_extract (e.settings, '$.consent_required') FROM events e"          \
  "                 WHERE e.uuid = l.event), 1)"                                                   \
  "  OR coalesce (" FL_REPLICA_LATEST_CONSENT ("l.id") ", 0) = 1)) "
#define FL_REPLICA_WITHHOLD(where, actor)                                                          \
  "INSERT INTO audit (lead_uuid, at, actor, action, detail)"                                      \
  "  SELECT l.uuid, strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'), " actor ", 'upload-withheld',"        \
  "    'consent not given; not sent to ' || o.connector"                                         \
  "  FROM outbox o JOIN leads l ON l.id = o.lead_id WHERE " where ";"                             \
  "DELETE FROM outbox WHERE rowid IN (SELECT o.rowid FROM outbox o WHERE " where ");"

/* An answer written (inserted or changed): its value, unless the log
 * holds that value for it already. */
#define FL_REPLICA_ANSWER_LOG(LOG)                                                                 \
  LOG ("answers", FL_REPLICA_ANSWER_KEY ("new", FL_REPLICA_LEAD_UUID ("new.lead_id")),  \
                  "json_object ('value', new.value)",                                              \
                  "NOT " FL_REPLICA_UNCHANGED ("answers", FL_REPLICA_ANSWER_KEY ("new",            \
                                               FL_REPLICA_LEAD_UUID ("new.lead_id"))))

/* The triggers that log the changes of this device with @LOG (one of the
 * FL_REPLICA_LOG macros). @live is the WHEN of
 * the triggers on inserts and updates; deletions log whenever a change is
 * not being applied, under @staff_gone and @attendee_gone for staff and
 * roster rows (a lead's tombstone is always logged). */
#define FL_REPLICA_TRIGGERS(LOG, live, staff_gone, attendee_gone)                                  \
  "CREATE TRIGGER models_replica_insert AFTER INSERT ON models WHEN" live "BEGIN "                 \
  LOG ("models", "new.sha256", "json_object ('name', new.name, 'version', new.version," \
                  " 'json', new.json, 'loaded_at', new.loaded_at)", "1")                           \
  "END;"                                                                                           \
  "CREATE TRIGGER events_replica_insert AFTER INSERT ON events WHEN" live "BEGIN "                 \
  LOG ("events", "new.uuid", "json_object ('name', new.name"                            \
                  FL_REPLICA_EVENT_REST (FL_REPLICA_NEW_PAIR) ", 'model', "                        \
                  FL_REPLICA_MODEL_SHA ("new.model_id") ")", "1")                                  \
  "END;"                                                                                           \
  "CREATE TRIGGER events_replica_update AFTER UPDATE ON events WHEN" live "BEGIN "                 \
  LOG ("events", "new.uuid",                                                            \
                  "(SELECT json_group_object (k, v) FROM (SELECT 'name' AS k, new.name AS v"       \
                  " WHERE old.name IS NOT new.name" FL_REPLICA_EVENT_REST (FL_REPLICA_CHANGED)     \
                  " UNION ALL SELECT 'model', " FL_REPLICA_MODEL_SHA ("new.model_id")              \
                  " WHERE old.model_id IS NOT new.model_id))", "x.j <> '{}'")                      \
  "END;"                                                                                           \
  "CREATE TRIGGER staff_replica_insert AFTER INSERT ON staff WHEN" live "BEGIN "                   \
  LOG ("staff", "new.name", "json_object ('pin_hash', new.pin_hash, 'created_at',"      \
                  " new.created_at)", "1")                                                         \
  "END;"                                                                                           \
  "CREATE TRIGGER staff_replica_update AFTER UPDATE ON staff WHEN" live "BEGIN "                   \
  LOG ("staff", "new.name", "json_object ('pin_hash', new.pin_hash, 'created_at',"      \
                  " new.created_at)", "NOT " FL_REPLICA_UNCHANGED ("staff", "new.name"))           \
  "END;"                                                                                           \
  "CREATE TRIGGER staff_replica_delete AFTER DELETE ON staff WHEN" FL_REPLICA_LOCAL "BEGIN "       \
  "UPDATE changes SET data = '{}' WHERE tbl = 'staff' AND row_key = old.name;"                     \
  LOG ("staff", "old.name", "json_object ('_deleted', 1)", staff_gone)                  \
  "END;"                                                                                           \
  "CREATE TRIGGER attendees_replica_insert AFTER INSERT ON attendees WHEN" live "BEGIN "           \
  LOG ("attendees", "new.event || '|' || new.badge_id",                                 \
                  "json_object ('first_name', new.first_name"                                      \
                  FL_REPLICA_ATTENDEE_REST (FL_REPLICA_NEW_PAIR) ")", "1")                         \
  "END;"                                                                                           \
  "CREATE TRIGGER attendees_replica_update AFTER UPDATE ON attendees WHEN" live "BEGIN "           \
  LOG ("attendees", "new.event || '|' || new.badge_id",                                 \
                  FL_REPLICA_CHANGED_OBJECT ("first_name", FL_REPLICA_ATTENDEE_REST), "x.j <> '{}'") \
  "END;"                                                                                           \
  "CREATE TRIGGER attendees_replica_delete AFTER DELETE ON attendees WHEN" FL_REPLICA_LOCAL "BEGIN " \
  "UPDATE changes SET data = '{}' WHERE tbl = 'attendees' AND row_key = old.event || '|' || old.badge_id;" \
  LOG ("attendees", "old.event || '|' || old.badge_id", "json_object ('_deleted', 1)", attendee_gone) \
  "END;"                                                                                           \
  "CREATE TRIGGER leads_replica_insert AFTER INSERT ON leads WHEN" live "BEGIN "                   \
  /* A new lead's fields without the empty ones (json_patch drops nulls):                          \
   * a field a lead's first change does not name is NULL on every kiosk. */                        \
  LOG ("leads", "new.uuid", "json_patch ('{}', json_object ('event', new.event"         \
                  FL_REPLICA_LEAD_REST (FL_REPLICA_NEW_PAIR) "))", "1")                            \
  "END;"                                                                                           \
  "CREATE TRIGGER leads_replica_update AFTER UPDATE OF event" FL_REPLICA_LEAD_REST (FL_REPLICA_COLUMN) \
  " ON leads WHEN" live "BEGIN "                                                                   \
  LOG ("leads", "new.uuid", FL_REPLICA_CHANGED_OBJECT ("event", FL_REPLICA_LEAD_REST),  \
                  "x.j <> '{}'")                                                                   \
  "END;"                                                                                           \
  /* Erasing a lead erases what the log held of it (and of the uuids                               \
   * merged into it) everywhere: the tombstone travels, the data does not. */                      \
  "CREATE TRIGGER leads_replica_delete AFTER DELETE ON leads WHEN" FL_REPLICA_LOCAL "BEGIN "       \
  "UPDATE changes SET data = '{}' WHERE tbl IN ('leads', 'answers', 'interactions', 'consents',"   \
  "  'outbox') AND EXISTS (SELECT 1 FROM (SELECT old.uuid AS u UNION ALL SELECT alias FROM"        \
  "  lead_aliases WHERE lead = old.uuid) WHERE row_key = u OR (row_key >= u || '|'"                \
  "  AND row_key < u || '}'));"                                                                    \
  "UPDATE changes SET data = json_set (data, '$.detail', NULL) WHERE tbl = 'audit'"                \
  "  AND json_extract (data, '$.lead_uuid') = old.uuid;"                                           \
  LOG ("leads", "old.uuid", "json_object ('_deleted', 1)", "1")                         \
  "END;"                                                                                           \
  "CREATE TRIGGER answers_replica_insert AFTER INSERT ON answers WHEN" live "BEGIN "               \
  FL_REPLICA_ANSWER_LOG (LOG)                                                                      \
  "END;"                                                                                           \
  "CREATE TRIGGER answers_replica_update AFTER UPDATE OF value ON answers WHEN" live "BEGIN "      \
  FL_REPLICA_ANSWER_LOG (LOG)                                                                      \
  "END;"                                                                                           \
  "CREATE TRIGGER interactions_replica_insert AFTER INSERT ON interactions WHEN" live "BEGIN "     \
  LOG ("interactions", FL_REPLICA_INTERACTION_KEY ("new", FL_REPLICA_LEAD_UUID ("new.lead_id")), \
                  "json_object ('kind', new.kind, 'at', new.at)",                                  \
                  "NOT " FL_REPLICA_KNOWN ("interactions", FL_REPLICA_INTERACTION_KEY ("new",      \
                                           FL_REPLICA_LEAD_UUID ("new.lead_id"))))                 \
  "END;"                                                                                           \
  "CREATE TRIGGER consents_replica_insert AFTER INSERT ON consents WHEN" live "BEGIN "             \
  LOG ("consents", FL_REPLICA_CONSENT_KEY ("new", FL_REPLICA_LEAD_UUID ("new.lead_id")), \
                  FL_REPLICA_CONSENT_OBJECT ("new"),                                               \
                  "NOT " FL_REPLICA_KNOWN ("consents", FL_REPLICA_CONSENT_KEY ("new",              \
                                           FL_REPLICA_LEAD_UUID ("new.lead_id"))))                 \
  "END;"                                                                                           \
  "CREATE TRIGGER audit_replica_insert AFTER INSERT ON audit WHEN" live "BEGIN "                   \
  LOG ("audit", "d.dev || '|' || new.id", FL_REPLICA_AUDIT_OBJECT ("new"), "1")         \
  "END;"                                                                                           \
  "CREATE TRIGGER outbox_replica_insert AFTER INSERT ON outbox"                                    \
  "  WHEN new.state = 'done' AND" live "BEGIN "                                                    \
  LOG ("outbox", FL_REPLICA_LEAD_UUID ("new.lead_id") " || '|' || new.connector",       \
                  FL_REPLICA_DONE_OBJECT ("new"), "1")                                             \
  "END;"                                                                                           \
  "CREATE TRIGGER outbox_replica_done AFTER UPDATE OF state ON outbox"                             \
  "  WHEN new.state = 'done' AND old.state <> 'done' AND" live "BEGIN "                            \
  LOG ("outbox", FL_REPLICA_LEAD_UUID ("new.lead_id") " || '|' || new.connector",       \
                  FL_REPLICA_DONE_OBJECT ("new"), "1")                                             \
  "END;"                                                                                           \
  "CREATE TRIGGER lead_aliases_replica_insert AFTER INSERT ON lead_aliases WHEN" live "BEGIN "     \
  LOG ("lead_aliases", "new.alias", "json_object ('lead', new.lead)", "1")              \
  "END;"                                                                                           \


#define FL_REPLICA_MIGRATION                                                                       \
  "CREATE TABLE changes ("                                                                         \
  "  device TEXT NOT NULL,"                                                                        \
  "  seq INTEGER NOT NULL,"                                                                        \
  "  hlc INTEGER NOT NULL,"                                                                        \
  "  tbl TEXT NOT NULL,"                                                                           \
  "  row_key TEXT NOT NULL,"                                                                       \
  "  data TEXT NOT NULL,"                                                                          \
  "  PRIMARY KEY (device, seq)"                                                                    \
  ");"                                                                                             \
  "CREATE INDEX changes_row ON changes (tbl, row_key, hlc);"                                       \
  /* The highest hlc the log holds, kept by a trigger instead of an index \
   * on hlc (which only served max (hlc) and cost ~15 B a change). */    \
  "CREATE TABLE replica_clock (id INTEGER PRIMARY KEY CHECK (id = 1), hlc INTEGER NOT NULL);"     \
  "INSERT INTO replica_clock (id, hlc) VALUES (1, 0);"                                             \
  "CREATE TRIGGER changes_clock AFTER INSERT ON changes BEGIN "                                    \
  "UPDATE replica_clock SET hlc = new.hlc WHERE hlc < new.hlc;"                                    \
  "END;"                                                                                           \
  "CREATE TRIGGER changes_clock_update AFTER UPDATE OF hlc ON changes BEGIN "                      \
  "UPDATE replica_clock SET hlc = new.hlc WHERE hlc < new.hlc;"                                    \
  "END;"                                                                                           \
  /* The uuids of leads merged into another lead of the same visitor. */                          \
  "CREATE TABLE lead_aliases ("                                                                    \
  "  alias TEXT PRIMARY KEY,"                                                                      \
  "  lead TEXT NOT NULL"                                                                           \
  ");"                                                                                             \
  "CREATE INDEX lead_aliases_lead ON lead_aliases (lead);"                                         \
  "INSERT OR IGNORE INTO meta (key, value) SELECT 'device_id', substr (h, 1, 8) || '-' ||"         \
  "  substr (h, 9, 4) || '-4' || substr (h, 14, 3) || '-a' || substr (h, 18, 3) || '-' ||"         \
  "  substr (h, 21, 12) FROM (SELECT lower (hex (randomblob (16))) AS h);"                         \
                                                                                                   \
  /* What the database holds already: changes of this device. */                                  \
  "CREATE TEMP TABLE backfill (tbl TEXT, row_key TEXT, data TEXT);"                               \
  "INSERT INTO backfill SELECT 'models', t.sha256, json_object ('name', t.name, 'version',"        \
  "  t.version, 'json', t.json, 'loaded_at', t.loaded_at) FROM models t ORDER BY t.id;"            \
  "INSERT INTO backfill SELECT 'events', t.uuid, json_object ('name', t.name"                      \
  FL_REPLICA_EVENT_REST (FL_REPLICA_ROW_PAIR) ", 'model', " FL_REPLICA_MODEL_SHA ("t.model_id")   \
  ") FROM events t ORDER BY t.created_at;"                                                         \
  "INSERT INTO backfill SELECT 'staff', t.name, json_object ('pin_hash', t.pin_hash,"              \
  "  'created_at', t.created_at) FROM staff t ORDER BY t.rowid;"                                   \
  "INSERT INTO backfill SELECT 'attendees', t.event || '|' || t.badge_id,"                         \
  "  json_object ('first_name', t.first_name" FL_REPLICA_ATTENDEE_REST (FL_REPLICA_ROW_PAIR) ")"  \
  "  FROM attendees t ORDER BY t.id;"                                                              \
  "INSERT INTO backfill SELECT 'leads', t.uuid, json_patch ('{}', json_object ('event', t.event"   \
  FL_REPLICA_LEAD_REST (FL_REPLICA_ROW_PAIR) ")) FROM leads t ORDER BY t.id;"                      \
  "INSERT INTO backfill SELECT 'answers', " FL_REPLICA_ANSWER_KEY ("t", "l.uuid") ","              \
  "  json_object ('value', t.value) FROM answers t JOIN leads l ON l.id = t.lead_id;"              \
  "INSERT INTO backfill SELECT DISTINCT 'interactions', " FL_REPLICA_INTERACTION_KEY ("t", "l.uuid") "," \
  "  json_object ('kind', t.kind, 'at', t.at) FROM interactions t JOIN leads l ON l.id = t.lead_id;" \
  "INSERT INTO backfill SELECT 'consents', " FL_REPLICA_CONSENT_KEY ("t", "l.uuid") ","            \
  "  " FL_REPLICA_CONSENT_OBJECT ("t") " FROM consents t JOIN leads l ON l.id = t.lead_id"          \
  "  GROUP BY 2 ORDER BY min (t.id);"                                                              \
  "INSERT INTO backfill SELECT 'audit', (SELECT value FROM meta WHERE key = 'device_id') || '|' ||" \
  "  t.id, " FL_REPLICA_AUDIT_OBJECT ("t") " FROM audit t ORDER BY t.id;"                          \
  "INSERT INTO backfill SELECT 'outbox', l.uuid || '|' || t.connector, " FL_REPLICA_DONE_OBJECT ("t") \
  "  FROM outbox t JOIN leads l ON l.id = t.lead_id WHERE t.state = 'done';"                       \
  "INSERT INTO changes (device, seq, hlc, tbl, row_key, data)"                                     \
  "  SELECT (SELECT value FROM meta WHERE key = 'device_id'), b.rowid,"                            \
  "    " FL_REPLICA_NOW_HLC " + b.rowid, b.tbl, b.row_key, b.data FROM backfill b ORDER BY b.rowid;" \
  "DROP TABLE backfill;"                                                                           \
                                                                                                   \
  FL_REPLICA_TRIGGERS (FL_REPLICA_LOG, FL_REPLICA_LOCAL, "1", "1")                                 \
                                                                                                   \
  "DROP TRIGGER outbox_consent_insert;"                                                            \
  "DROP TRIGGER outbox_consent_reopen;"                                                            \
  "DROP TRIGGER outbox_consent_return;"                                                            \
  "DROP TRIGGER consents_gate_insert;"                                                             \
  "DROP TRIGGER consents_gate_update;"                                                             \
  "DROP TRIGGER leads_gate_event;"                                                                 \
  "DROP TRIGGER events_gate_settings;"                                                             \
  "CREATE TRIGGER outbox_consent_insert BEFORE INSERT ON outbox"                                   \
  "  WHEN new.state <> 'done' AND" FL_REPLICA_NOT_ALLOWED ("new.lead_id") "BEGIN"                  \
  "  SELECT RAISE (IGNORE);"                                                                       \
  "END;"                                                                                           \
  "CREATE TRIGGER outbox_consent_reopen BEFORE UPDATE OF state ON outbox"                          \
  "  WHEN old.state = 'done' AND new.state <> 'done' AND" FL_REPLICA_NOT_ALLOWED ("new.lead_id") "BEGIN" \
  "  SELECT RAISE (IGNORE);"                                                                       \
  "END;"                                                                                           \
  "CREATE TRIGGER outbox_consent_return AFTER UPDATE OF state ON outbox"                           \
  "  WHEN old.state = 'sending' AND new.state IN ('pending', 'failed') AND"                        \
  FL_REPLICA_NOT_ALLOWED ("new.lead_id") "BEGIN "                                                  \
  FL_REPLICA_WITHHOLD ("o.lead_id = new.lead_id AND o.connector = new.connector", "NULL")          \
  "END;"                                                                                           \
  "CREATE TRIGGER consents_gate_insert AFTER INSERT ON consents"                                   \
  "  WHEN" FL_REPLICA_NOT_ALLOWED ("new.lead_id") "BEGIN "                                         \
  FL_REPLICA_WITHHOLD ("o.lead_id = new.lead_id AND o.state IN ('pending', 'failed')", "new.staff") \
  "END;"                                                                                           \
  "CREATE TRIGGER consents_gate_update AFTER UPDATE ON consents"                                   \
  "  WHEN" FL_REPLICA_NOT_ALLOWED ("new.lead_id") "BEGIN "                                         \
  FL_REPLICA_WITHHOLD ("o.lead_id = new.lead_id AND o.state IN ('pending', 'failed')", "new.staff") \
  "END;"                                                                                           \
  "CREATE TRIGGER leads_gate_event AFTER UPDATE OF event ON leads"                                 \
  "  WHEN" FL_REPLICA_NOT_ALLOWED ("new.id") "BEGIN "                                              \
  FL_REPLICA_WITHHOLD ("o.lead_id = new.id AND o.state IN ('pending', 'failed')", "NULL")          \
  "END;"                                                                                           \
  "CREATE TRIGGER events_gate_settings AFTER UPDATE OF settings ON events BEGIN "                  \
  FL_REPLICA_WITHHOLD ("o.state IN ('pending', 'failed') AND o.lead_id IN (SELECT id FROM leads"   \
                       "  WHERE event = new.uuid) AND" FL_REPLICA_NOT_ALLOWED ("o.lead_id"), "NULL") \
  "END;"

/* Schema step 10 → 11: the log costs only in a booth. A kiosk in no booth
 * (no "booth" in meta, app/booth/fl-booth.c) has no peer to send its
 * changes to: its inserts and updates log nothing. Joining or creating a
 * booth, and merging a file, first log what the log does not cover yet
 * (fl_replica_snapshot(), app/booth/fl-replica.c). Deletions are still
 * logged: a lead's always (an erased lead must stay erased in whatever
 * database it reaches later, a merged backup included), a staff member's
 * or a roster row's when the log knows the row. */
#define FL_REPLICA_IN_BOOTH " EXISTS (SELECT 1 FROM meta WHERE key = 'booth' AND value <> '') "
#define FL_REPLICA_LIVE FL_REPLICA_LOCAL "AND" FL_REPLICA_IN_BOOTH
#define FL_REPLICA_DROP_TRIGGERS                                                                   \
  "DROP TRIGGER models_replica_insert;"                                                            \
  "DROP TRIGGER events_replica_insert;"                                                            \
  "DROP TRIGGER events_replica_update;"                                                            \
  "DROP TRIGGER staff_replica_insert;"                                                             \
  "DROP TRIGGER staff_replica_update;"                                                             \
  "DROP TRIGGER staff_replica_delete;"                                                             \
  "DROP TRIGGER attendees_replica_insert;"                                                         \
  "DROP TRIGGER attendees_replica_update;"                                                         \
  "DROP TRIGGER attendees_replica_delete;"                                                         \
  "DROP TRIGGER leads_replica_insert;"                                                             \
  "DROP TRIGGER leads_replica_update;"                                                             \
  "DROP TRIGGER leads_replica_delete;"                                                             \
  "DROP TRIGGER answers_replica_insert;"                                                           \
  "DROP TRIGGER answers_replica_update;"                                                           \
  "DROP TRIGGER interactions_replica_insert;"                                                      \
  "DROP TRIGGER consents_replica_insert;"                                                          \
  "DROP TRIGGER audit_replica_insert;"                                                             \
  "DROP TRIGGER outbox_replica_insert;"                                                            \
  "DROP TRIGGER outbox_replica_done;"                                                              \
  "DROP TRIGGER lead_aliases_replica_insert;"
/* The log's rows name their device by a small number of this database
 * (replica_devices) instead of its uuid: 36 bytes less a change in the
 * table, and the (device, seq) key ~45 bytes less. "changes" is a view
 * with the uuids, writable through INSTEAD OF triggers, so every reader
 * and writer (the triggers, the engine, the sqlite3 shell) still speaks
 * uuids, and so does the wire. */
#define FL_REPLICA_COMPACT_LOG                                                                     \
  "CREATE TABLE replica_devices (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE);"             \
  "INSERT INTO replica_devices (uuid) SELECT device FROM changes GROUP BY device"                   \
  "  ORDER BY min (rowid);"                                                                        \
  "INSERT OR IGNORE INTO replica_devices (uuid) SELECT value FROM meta WHERE key = 'device_id';"   \
  "CREATE TABLE replica_log ("                                                                     \
  "  device INTEGER NOT NULL,"                                                                     \
  "  seq INTEGER NOT NULL,"                                                                        \
  "  hlc INTEGER NOT NULL,"                                                                        \
  "  tbl TEXT NOT NULL,"                                                                           \
  "  row_key TEXT NOT NULL,"                                                                       \
  "  data TEXT NOT NULL,"                                                                          \
  "  PRIMARY KEY (device, seq)"                                                                    \
  ");"                                                                                             \
  "INSERT INTO replica_log (device, seq, hlc, tbl, row_key, data)"                                 \
  "  SELECT d.id, c.seq, c.hlc, c.tbl, c.row_key, c.data FROM changes c"                           \
  "  JOIN replica_devices d ON d.uuid = c.device ORDER BY c.rowid;"                                \
  "DROP TABLE changes;"                                                                            \
  "CREATE INDEX replica_log_row ON replica_log (tbl, row_key, hlc);"                               \
  "CREATE VIEW changes AS SELECT d.uuid AS device, l.seq AS seq, l.hlc AS hlc, l.tbl AS tbl,"      \
  "  l.row_key AS row_key, l.data AS data FROM replica_log l JOIN replica_devices d"               \
  "  ON d.id = l.device;"                                                                          \
  "CREATE TRIGGER changes_insert INSTEAD OF INSERT ON changes BEGIN "                              \
  /* Not OR IGNORE: the statement that fired the trigger (an upsert) \
   * would impose its own conflict handling. */                           \
  "INSERT INTO replica_devices (uuid) SELECT new.device"                                           \
  "  WHERE NOT EXISTS (SELECT 1 FROM replica_devices WHERE uuid = new.device);"                    \
  "INSERT INTO replica_log (device, seq, hlc, tbl, row_key, data) VALUES ("                        \
  "  (SELECT id FROM replica_devices WHERE uuid = new.device), new.seq, new.hlc, new.tbl,"         \
  "  new.row_key, new.data);"                                                                      \
  "END;"                                                                                           \
  "CREATE TRIGGER changes_update INSTEAD OF UPDATE ON changes BEGIN "                              \
  "UPDATE replica_log SET hlc = new.hlc, data = new.data"                                          \
  "  WHERE device = (SELECT id FROM replica_devices WHERE uuid = old.device) AND seq = old.seq;"   \
  "END;"                                                                                           \
  "CREATE TRIGGER replica_log_clock AFTER INSERT ON replica_log BEGIN "                            \
  "UPDATE replica_clock SET hlc = new.hlc WHERE hlc < new.hlc;"                                    \
  "END;"                                                                                           \
  "CREATE TRIGGER replica_log_clock_update AFTER UPDATE OF hlc ON replica_log BEGIN "              \
  "UPDATE replica_clock SET hlc = new.hlc WHERE hlc < new.hlc;"                                    \
  "END;"
#define FL_REPLICA_MIGRATION_11                                                                    \
  FL_REPLICA_DROP_TRIGGERS                                                                         \
  FL_REPLICA_COMPACT_LOG                                                                           \
  FL_REPLICA_TRIGGERS (FL_REPLICA_LOG_11, FL_REPLICA_LIVE,                                         \
                       "(" FL_REPLICA_IN_BOOTH "OR " FL_REPLICA_KNOWN ("staff", "old.name") ")",   \
                       "(" FL_REPLICA_IN_BOOTH "OR " FL_REPLICA_KNOWN ("attendees",                \
                       "old.event || '|' || old.badge_id") ")")
