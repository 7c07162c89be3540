-- switchboard_first_contact(batch jsonb): the check before a checked commit (EventStore
-- commitFirstContact, commitUnseen); it hands the batch on to switchboard_commit.
-- - `absent` = [channel, external id]: a new client's first message needs no read before it. If a
--   client is already reachable there, raise SQLSTATE SB303 with DETAIL
--   {"client": {version, state}, "dialog": {version, state} | null} and write nothing; the engine
--   decides again for that client. A client created at the same address after this check is still
--   caught by the identity check of switchboard_commit.
-- - `unseen` = [dialog, external id]: a client's message the dialog's memory of recent external ids
--   cannot vouch for. If a message of the dialog carries it (index messages_external), raise
--   SQLSTATE SB208 with DETAIL {"messageId": id} and write nothing. The stream version check of
--   the commit keeps two servers from both storing it.
-- History: migration 6 (first body, `absent`), 11 (`unseen`), 18 (loaded from this file).
CREATE OR REPLACE FUNCTION switchboard_first_contact(batch jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  known record;
  seen text;
BEGIN
  IF batch ? 'unseen' THEN
    SELECT m.id INTO seen FROM messages m
    WHERE m.dialog_id = (batch -> 'unseen' ->> 0) COLLATE "C" AND m.payload ->> 'externalId' = batch -> 'unseen' ->> 1
    LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'dialog % has message % already', batch -> 'unseen' ->> 0, batch -> 'unseen' ->> 1 USING
        ERRCODE = 'SB208',
        DETAIL = jsonb_build_object('messageId', seen)::text;
    END IF;
  END IF;
  IF NOT batch ? 'absent' THEN
    RETURN batch;
  END IF;
  SELECT c.version AS client_version, c.state AS client_state, d.version AS dialog_version, d.state AS dialog_state INTO known
  FROM client_identities ci
  JOIN clients c ON c.id = ci.client_id COLLATE "C"
  LEFT JOIN dialogs d ON d.id = (c.state -> 'dialogs' ->> ci.channel_id) COLLATE "C"
  WHERE ci.channel_id = batch -> 'absent' ->> 0 AND ci.external_id = batch -> 'absent' ->> 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a client is already reachable at %:%', batch -> 'absent' ->> 0, batch -> 'absent' ->> 1 USING
      ERRCODE = 'SB303',
      DETAIL = jsonb_build_object(
        'client', jsonb_build_object('version', known.client_version, 'state', known.client_state),
        'dialog', CASE WHEN known.dialog_version IS NULL THEN NULL ELSE jsonb_build_object('version', known.dialog_version, 'state', known.dialog_state) END
      )::text;
  END IF;
  RETURN batch;
END
$fn$
