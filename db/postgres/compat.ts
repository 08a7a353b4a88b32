/**
 * The few SQLite functions the store's queries use, defined on PostgreSQL with SQLite's results, so that one query
 * text runs on both backends. Each is defined for the forms irpscope uses (listed in docs/postgres.md); a printf
 * format outside them is an error, never a silent NULL.
 *
 * SQLite facts mirrored here (sqlite.org/printf.html, sqlite.org/json1.html, sqlite.org/lang_aggfunc.html):
 * printf's missing or NULL argument prints as 0; json_extract('$.a.b') returns the value at that path (text here:
 * every use compares it with text); group_concat joins non-NULL values with ','; json_group_array keeps NULLs and
 * gives '[]' over no rows; json_array builds an array from its arguments.
 */
export const POSTGRES_COMPAT_SQL = `
CREATE FUNCTION irpscope_unsupported(what text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $body$
BEGIN
  RAISE EXCEPTION 'irpscope: % has no PostgreSQL equivalent in db/postgres/compat.ts', what;
END
$body$;

CREATE FUNCTION printf(format text, value bigint) RETURNS text LANGUAGE SQL IMMUTABLE PARALLEL SAFE
  RETURN CASE format
    WHEN '0x%08X' THEN '0x' || upper(lpad(to_hex(coalesce(value, 0)), 8, '0'))
    WHEN '%020d' THEN lpad(coalesce(value, 0)::text, 20, '0')
    ELSE irpscope_unsupported('printf format ' || format) END;

CREATE FUNCTION printf(format text, first bigint, second bigint) RETURNS text LANGUAGE SQL IMMUTABLE PARALLEL SAFE
  RETURN CASE format
    WHEN '%020d%020d' THEN lpad(coalesce(first, 0)::text, 20, '0') || lpad(coalesce(second, 0)::text, 20, '0')
    ELSE irpscope_unsupported('printf format ' || format) END;

CREATE FUNCTION json_extract(document text, path text) RETURNS text LANGUAGE SQL IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN path LIKE '$.%' THEN (document::jsonb) #>> string_to_array(substr(path, 3), '.')
    ELSE irpscope_unsupported('json_extract path ' || path) END;

CREATE FUNCTION json_array(VARIADIC items anyarray) RETURNS jsonb LANGUAGE SQL IMMUTABLE PARALLEL SAFE
  AS $body$ SELECT to_jsonb(items) $body$;

CREATE FUNCTION irpscope_group_concat_step(list text, value text) RETURNS text LANGUAGE SQL IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN value IS NULL THEN list WHEN list IS NULL THEN value ELSE list || ',' || value END;
CREATE AGGREGATE group_concat(text) (SFUNC = irpscope_group_concat_step, STYPE = text);

CREATE FUNCTION irpscope_json_group_array_step(list jsonb, value anyelement) RETURNS jsonb LANGUAGE SQL IMMUTABLE PARALLEL SAFE
  AS $body$ SELECT list || jsonb_build_array(value) $body$;
CREATE FUNCTION irpscope_json_text(list jsonb) RETURNS text LANGUAGE SQL IMMUTABLE PARALLEL SAFE
  RETURN list::text;
CREATE AGGREGATE json_group_array(anyelement) (SFUNC = irpscope_json_group_array_step, STYPE = jsonb, INITCOND = '[]', FINALFUNC = irpscope_json_text);
`;
