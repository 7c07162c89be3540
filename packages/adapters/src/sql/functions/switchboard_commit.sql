-- switchboard_commit(batch jsonb): every write of one commit in one statement (EventStore.commit).
-- The argument is built by CommitBody.ts: rows shaped like their tables, streams sorted by id.
-- - `streams` holds writes (`next` = the new version) and checks (`next` NULL: a stream the
--   decision read but does not write), together, sorted by id (one lock order). A checked
--   stream is taken FOR SHARE, so a commit that writes it waits for this one and the two can
--   never each rely on what the other changes (no write skew); an absent one gets a version-0
--   row to lock (a concurrent creator waits, then finds it at 0). A check with `share` false
--   (the configuration, checked by nearly every commit) is a plain read: no lock on a hot row.
-- - The append lock is taken first, before any row lock: commits with events run one at a
--   time, so neither single commits nor groups of them (whose row locks follow no global
--   order) can deadlock, and positions stay in commit order.
-- - `owner_resets` lists the dialogs whose owners may have changed: only they are deleted and
--   re-inserted (a message to a dialog nobody owns touches no owner row).
-- A stale version or a taken identity raises SQLSTATE SB409, DETAIL {streamId, expectedVersion,
-- actualVersion} (SqlErrors.ts). No business rule lives here: the decision was made in TypeScript.
-- - `outbox` lists the outgoing messages the commit queues for delivery (OutboxStore, MSG-02): a
--   reply is stored and queued together or not at all.
-- - `released` lists clients merged into another by this commit (CLI-01): their identity rows are
--   deleted before `identities` (the survivor's, theirs among them) are inserted. The stream
--   version checks above guard it: the merged client's stream is written by this commit.
-- History: migration 3 (first body), 4 (checks, append lock, owner resets), 18 (loaded from this
-- file), 20 (outbox rows), 25 (released identities).
CREATE OR REPLACE FUNCTION switchboard_commit(batch jsonb)
RETURNS TABLE (out_position bigint, out_stream_id text, out_version integer)
LANGUAGE plpgsql AS $fn$
DECLARE
  s record;
  actual integer;
  taken record;
  resets text[];
BEGIN
  IF jsonb_array_length(batch->'events') > 0 THEN
    PERFORM pg_advisory_xact_lock(7301226002);
  END IF;

  FOR s IN SELECT r.id, r.expected, r.next, r.share FROM jsonb_to_recordset(batch->'streams') AS r(id text, expected integer, next integer, share boolean) LOOP
    IF s.next IS NULL THEN
      actual := NULL;
      IF s.share THEN
        SELECT st.version INTO actual FROM streams st WHERE st.id = s.id FOR SHARE;
        IF NOT FOUND THEN
          INSERT INTO streams (id, version) VALUES (s.id, 0) ON CONFLICT (id) DO NOTHING;
          SELECT st.version INTO actual FROM streams st WHERE st.id = s.id FOR SHARE;
        END IF;
      ELSE
        SELECT st.version INTO actual FROM streams st WHERE st.id = s.id;
      END IF;
      IF COALESCE(actual, 0) <> s.expected THEN
        RAISE EXCEPTION 'stream % is not at version %', s.id, s.expected USING
          ERRCODE = 'SB409',
          DETAIL = jsonb_build_object('streamId', s.id, 'expectedVersion', s.expected, 'actualVersion', COALESCE(actual, 0))::text;
      END IF;
    ELSE
      IF s.expected = 0 THEN
        INSERT INTO streams AS st (id, version) VALUES (s.id, s.next) ON CONFLICT (id) DO UPDATE SET version = excluded.version WHERE st.version = 0;
      ELSE
        UPDATE streams SET version = s.next WHERE id = s.id AND version = s.expected;
      END IF;
      IF NOT FOUND THEN
        SELECT st.version INTO actual FROM streams st WHERE st.id = s.id;
        RAISE EXCEPTION 'stream % is not at version %', s.id, s.expected USING
          ERRCODE = 'SB409',
          DETAIL = jsonb_build_object('streamId', s.id, 'expectedVersion', s.expected, 'actualVersion', COALESCE(actual, 0))::text;
      END IF;
    END IF;
  END LOOP;

  IF jsonb_array_length(batch->'dialogs') > 0 THEN
    INSERT INTO dialogs (id, version, status, deleted, assignee_id, bot_id, channel_id, client_id, queue_id, enqueued_at,
                         offer_operator_id, last_activity_at, processing_rank, last_writer, client_message_count, state)
    SELECT r.id, r.version, r.status, r.deleted, r.assignee_id, r.bot_id, r.channel_id, r.client_id, r.queue_id, r.enqueued_at,
           r.offer_operator_id, r.last_activity_at, r.processing_rank, r.last_writer, r.client_message_count, r.state
    FROM jsonb_populate_recordset(NULL::dialogs, batch->'dialogs') r
    ON CONFLICT (id) DO UPDATE SET
      version = excluded.version, status = excluded.status, deleted = excluded.deleted, assignee_id = excluded.assignee_id,
      bot_id = excluded.bot_id, channel_id = excluded.channel_id, client_id = excluded.client_id, queue_id = excluded.queue_id,
      enqueued_at = excluded.enqueued_at, offer_operator_id = excluded.offer_operator_id, last_activity_at = excluded.last_activity_at,
      processing_rank = excluded.processing_rank, last_writer = excluded.last_writer,
      client_message_count = excluded.client_message_count, state = excluded.state;
  END IF;
  -- ROUTING INV-3 stays with the partial unique indexes of dialog_owners (the OR lets both serve the delete).
  IF jsonb_array_length(batch->'owner_resets') > 0 THEN
    resets := ARRAY(SELECT jsonb_array_elements_text(batch->'owner_resets'));
    DELETE FROM dialog_owners o
    WHERE (o.kind = 'assigned' AND o.dialog_id = ANY (resets)) OR (o.kind = 'offered' AND o.dialog_id = ANY (resets));
  END IF;
  IF jsonb_array_length(batch->'owners') > 0 THEN
    INSERT INTO dialog_owners (dialog_id, kind, operator_id, channel_id, on_hold)
    SELECT r.dialog_id, r.kind, r.operator_id, r.channel_id, r.on_hold FROM jsonb_populate_recordset(NULL::dialog_owners, batch->'owners') r;
  END IF;

  IF jsonb_array_length(batch->'clients') > 0 THEN
    INSERT INTO clients (id, version, display_name, tag_ids, has_pinned_tag, blocked, state)
    SELECT r.id, r.version, r.display_name, r.tag_ids, r.has_pinned_tag, r.blocked, r.state
    FROM jsonb_populate_recordset(NULL::clients, batch->'clients') r
    ON CONFLICT (id) DO UPDATE SET
      version = excluded.version, display_name = excluded.display_name, tag_ids = excluded.tag_ids,
      has_pinned_tag = excluded.has_pinned_tag, blocked = excluded.blocked, state = excluded.state;
  END IF;

  IF jsonb_array_length(COALESCE(batch->'released', '[]'::jsonb)) > 0 THEN
    DELETE FROM client_identities WHERE client_id IN (SELECT jsonb_array_elements_text(batch->'released'));
  END IF;

  IF jsonb_array_length(batch->'identities') > 0 THEN
    INSERT INTO client_identities (channel_id, external_id, client_id)
    SELECT r.channel_id, r.external_id, r.client_id FROM jsonb_populate_recordset(NULL::client_identities, batch->'identities') r
    ON CONFLICT (channel_id, external_id) DO NOTHING;
    SELECT ci.channel_id, ci.external_id INTO taken
    FROM jsonb_populate_recordset(NULL::client_identities, batch->'identities') r
    JOIN client_identities ci ON ci.channel_id = r.channel_id AND ci.external_id = r.external_id
    WHERE ci.client_id <> r.client_id
    LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'identity %:% belongs to another client', taken.channel_id, taken.external_id USING
        ERRCODE = 'SB409',
        DETAIL = jsonb_build_object('streamId', 'identity:' || taken.channel_id || ':' || taken.external_id, 'expectedVersion', 0)::text;
    END IF;
  END IF;

  IF jsonb_array_length(batch->'operators') > 0 THEN
    INSERT INTO operators (id, version, state)
    SELECT r.id, r.version, r.state FROM jsonb_populate_recordset(NULL::operators, batch->'operators') r
    ON CONFLICT (id) DO UPDATE SET version = excluded.version, state = excluded.state;
  END IF;

  IF jsonb_array_length(batch->'messages') > 0 THEN
    INSERT INTO messages (dialog_id, seq, id, internal, deleted, text, payload)
    SELECT r.dialog_id, r.seq, r.id, r.internal, r.deleted, r.text, r.payload FROM jsonb_populate_recordset(NULL::messages, batch->'messages') r
    ON CONFLICT (dialog_id, seq) DO UPDATE SET
      id = excluded.id, internal = excluded.internal, deleted = excluded.deleted, text = excluded.text, payload = excluded.payload;
  END IF;

  IF jsonb_array_length(batch->'outbox') > 0 THEN
    INSERT INTO outbox (message_id, dialog_id, channel_id, recipient, message, updated_at)
    SELECT r.message_id, r.dialog_id, r.channel_id, r.recipient, r.message, r.updated_at
    FROM jsonb_to_recordset(batch->'outbox') AS r(message_id text, dialog_id text, channel_id text, recipient text, message jsonb, updated_at bigint)
    ON CONFLICT (message_id) DO NOTHING;
  END IF;

  IF jsonb_array_length(batch->'cancels') > 0 THEN
    DELETE FROM timers WHERE key IN (SELECT jsonb_array_elements_text(batch->'cancels'));
  END IF;
  IF jsonb_array_length(batch->'timers') > 0 THEN
    INSERT INTO timers (key, kind, subject, due_at, token, leased_until)
    SELECT r.key, r.kind, r.subject, r.due_at, r.token, 0 FROM jsonb_populate_recordset(NULL::timers, batch->'timers') r
    ON CONFLICT (key) DO UPDATE SET
      kind = excluded.kind, subject = excluded.subject, due_at = excluded.due_at, token = excluded.token, leased_until = 0;
  END IF;

  IF jsonb_array_length(batch->'events') > 0 THEN
    RETURN QUERY
      WITH appended AS (
        INSERT INTO events (stream_id, version, type, payload)
        SELECT r.stream_id, r.version, r.type, r.payload FROM jsonb_populate_recordset(NULL::events, batch->'events') r
        RETURNING events.position, events.stream_id, events.version
      )
      SELECT a.position, a.stream_id::text, a.version FROM appended a;
  END IF;
END
$fn$
