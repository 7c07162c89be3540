-- switchboard_commit_group(commits jsonb): group commit (GroupCommit.ts). Commits that were
-- waiting while other statements ran, in one transaction (one round trip, one WAL flush). Each
-- runs in its own subtransaction, its check (switchboard_first_contact) first: one that fails
-- (SB409, SB303, SB208) is rolled back alone and reported in its rows' out_sqlstate, out_message
-- and out_detail; the others land, in order (out_commit: the index in the array).
-- History: migration 4 (first body), 6 (the check before each commit), 18 (loaded from this file).
CREATE OR REPLACE FUNCTION switchboard_commit_group(commits jsonb)
RETURNS TABLE (out_commit integer, out_position bigint, out_stream_id text, out_version integer, out_sqlstate text, out_message text, out_detail text)
LANGUAGE plpgsql AS $fn$
DECLARE
  c record;
  err_code text;
  err_message text;
  err_detail text;
BEGIN
  PERFORM pg_advisory_xact_lock(7301226002);
  FOR c IN SELECT (e.n - 1)::integer AS i, e.body FROM jsonb_array_elements(commits) WITH ORDINALITY AS e(body, n) LOOP
    BEGIN
      RETURN QUERY SELECT c.i, r.out_position, r.out_stream_id, r.out_version, NULL::text, NULL::text, NULL::text
        FROM switchboard_commit(switchboard_first_contact(c.body)) r;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS err_code = RETURNED_SQLSTATE, err_message = MESSAGE_TEXT, err_detail = PG_EXCEPTION_DETAIL;
      RETURN QUERY SELECT c.i, NULL::bigint, NULL::text, NULL::integer, err_code, err_message, err_detail;
    END;
  END LOOP;
END
$fn$
