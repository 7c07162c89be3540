-- switchboard_lookup(lookups jsonb): the store's point reads (PointReads.ts: settings, channel,
-- client, dialog, operator, an inbound message's client and dialog), any number in one call:
-- `lookups` is a JSON array of [kind, key, key2]; row `i` answers the i-th (absent when nothing
-- matches). A UNION ALL built per call was planned on every call (~0.5 ms on PostgreSQL, more on
-- PGlite); the function's queries are planned once per connection.
-- History: migration 5 (first body), 18 (loaded from this file).
CREATE OR REPLACE FUNCTION switchboard_lookup(lookups jsonb)
RETURNS TABLE (i integer, version integer, payload jsonb)
LANGUAGE plpgsql STABLE AS $fn$
#variable_conflict use_column
DECLARE
  l record;
BEGIN
  FOR l IN SELECT (e.n - 1)::integer AS n, e.v ->> 0 AS kind, e.v ->> 1 AS k, e.v ->> 2 AS k2
           FROM jsonb_array_elements(lookups) WITH ORDINALITY AS e(v, n) LOOP
    CASE l.kind
      WHEN 'settings' THEN
        RETURN QUERY SELECT l.n, NULL::integer, s.payload FROM settings s WHERE s.id = 1;
      WHEN 'channel' THEN
        RETURN QUERY SELECT l.n, NULL::integer, c.payload FROM channels c WHERE c.id = l.k COLLATE "C";
      WHEN 'identity' THEN
        RETURN QUERY SELECT l.n, NULL::integer, to_jsonb(ci.client_id) FROM client_identities ci WHERE ci.channel_id = l.k AND ci.external_id = l.k2;
      WHEN 'client' THEN
        RETURN QUERY SELECT l.n, c.version, c.state FROM clients c WHERE c.id = l.k COLLATE "C";
      WHEN 'dialog' THEN
        RETURN QUERY SELECT l.n, d.version, d.state FROM dialogs d WHERE d.id = l.k COLLATE "C";
      WHEN 'operator' THEN
        RETURN QUERY SELECT l.n, o.version, o.state FROM operators o WHERE o.id = l.k COLLATE "C";
      WHEN 'inboundClient' THEN
        RETURN QUERY SELECT l.n, c.version, c.state FROM client_identities ci JOIN clients c ON c.id = ci.client_id COLLATE "C"
          WHERE ci.channel_id = l.k AND ci.external_id = l.k2;
      WHEN 'inboundDialog' THEN
        RETURN QUERY SELECT l.n, d.version, d.state FROM client_identities ci
          JOIN clients c ON c.id = ci.client_id COLLATE "C"
          JOIN dialogs d ON d.id = (c.state -> 'dialogs' ->> l.k) COLLATE "C"
          WHERE ci.channel_id = l.k AND ci.external_id = l.k2;
      ELSE
        RAISE EXCEPTION 'unknown lookup kind %', l.kind;
    END CASE;
  END LOOP;
END
$fn$
