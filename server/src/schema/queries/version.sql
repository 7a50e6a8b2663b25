SELECT
  pg_catalog.current_setting('server_version_num')::integer AS server_version_num,
  pg_catalog.version() AS server_version
