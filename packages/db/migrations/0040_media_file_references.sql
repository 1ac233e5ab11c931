-- Media outputs are stored under the hash of their bytes, so two uploads
-- whose processing makes the same bytes (the same pixels in two different
-- files, by two accounts) share one stored file. Each stored file has a row
-- in media_files, and each media row a reference to every file it stored:
-- a file is removed only once no media row references it.
--
-- The locking that makes this safe against a concurrent upload is in
-- packages/server/src/media/sql.ts: a reference is inserted while holding
-- the file's row, and a file is removed while holding that row FOR UPDATE,
-- after seeing no reference.
CREATE TABLE media_files (
  key text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{2,4}$')
);

CREATE TABLE media_file_refs (
  media_id uuid NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  -- No cascade: a file's row goes only once nothing references it.
  key text NOT NULL REFERENCES media_files (key),
  PRIMARY KEY (media_id, key)
);
-- Is a file still referenced? Asked before every removal.
CREATE INDEX idx_media_file_refs_key ON media_file_refs (key);

-- The storage keys of the stored files a media row's variants point at (its
-- URLs end in the key; the inline preview is a data: URI and has none).
CREATE FUNCTION media_variant_keys(variants jsonb) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT substring(url FROM '([0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{2,4})$')
  FROM (
    SELECT variants ->> field AS url FROM unnest(ARRAY['previewUrl', 'thumbnailUrl', 'url']) field
    UNION ALL
    SELECT level ->> 'url'
    FROM jsonb_array_elements(CASE jsonb_typeof(variants -> 'levels') WHEN 'array' THEN variants -> 'levels' ELSE '[]' END) level
  ) urls
  WHERE url ~ '/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{2,4}$'
$$;

-- Media stored before this migration: a row references what its variants
-- show, and a row still in processing what its attempts wrote so far (so a
-- failure removes them). A failed row's outputs were removed when it failed.
CREATE TEMPORARY TABLE stored_before ON COMMIT DROP AS
  SELECT id AS media_id, media_variant_keys(variants) AS key FROM media
  UNION
  SELECT id, unnest(written_keys) FROM media WHERE status IN ('pending', 'processing');
DELETE FROM stored_before WHERE key IS NULL OR key !~ '^[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{2,4}$';
INSERT INTO media_files (key) SELECT DISTINCT key FROM stored_before;
INSERT INTO media_file_refs (media_id, key) SELECT media_id, key FROM stored_before;

-- The references replace the list of keys written during processing.
ALTER TABLE media DROP COLUMN written_keys;

-- A row written ready, without processing (the demo seed, an imported
-- tour), references the files its variants show, as a processed row does.
-- Its files are stored before the row is written.
CREATE FUNCTION media_reference_variants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- DO UPDATE rather than DO NOTHING: it waits for a removal of the same file in progress, then re-creates its row.
  INSERT INTO media_files (key) SELECT media_variant_keys(NEW.variants)
    ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key;
  INSERT INTO media_file_refs (media_id, key) SELECT NEW.id, media_variant_keys(NEW.variants);
  RETURN NULL;
END $$;
CREATE TRIGGER media_reference_variants AFTER INSERT ON media FOR EACH ROW WHEN (NEW.status = 'ready')
  EXECUTE FUNCTION media_reference_variants();
