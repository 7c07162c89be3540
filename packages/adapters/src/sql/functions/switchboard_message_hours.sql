-- switchboard_message_hours(): trigger of `messages` keeping `message_hours`, the hours each dialog
-- had correspondence in (DLG-21's period filter, DialogListStore.probePeriod). A message that starts
-- to count adds its hour; one that stops (deleted) takes it away unless another message of the
-- dialog still counts in that hour. The messages that count are those of `messages_written` and of
-- Listing.correspondedWithin: not system notices, not deleted ones.
-- History: migration 14 (first body), 18 (loaded from this file).
CREATE OR REPLACE FUNCTION switchboard_message_hours() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' AND NOT OLD.deleted AND (OLD.payload->'author'->>'_tag') <> 'System' THEN
    DELETE FROM message_hours h
    WHERE h.hour = (OLD.created_at / 3600000)::integer AND h.dialog_id = OLD.dialog_id
      AND NOT EXISTS (
        SELECT 1 FROM messages m
        WHERE m.dialog_id = OLD.dialog_id AND NOT m.deleted AND (m.payload->'author'->>'_tag') <> 'System'
          AND m.created_at >= (OLD.created_at / 3600000) * 3600000 AND m.created_at < (OLD.created_at / 3600000 + 1) * 3600000
      );
  END IF;
  IF NOT NEW.deleted AND (NEW.payload->'author'->>'_tag') <> 'System' THEN
    INSERT INTO message_hours (hour, dialog_id) VALUES ((NEW.created_at / 3600000)::integer, NEW.dialog_id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$fn$
