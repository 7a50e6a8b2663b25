\set ON_ERROR_STOP on
\set schema_name 'app'
\unset schema_name
\set QUIET 1
\timing on
\pset null '(null)'
\x auto
\echo 'Running migration' :DBNAME
\connect analytics
\c analytics postgres
\i sql/001_init.sql
\ir ./shared/functions.sql
\dt+ public.*
\d "Users"
\! ls -la
\copy users (id, email) TO 'users.csv' WITH (FORMAT csv, HEADER true)
\copy users FROM stdin WITH (FORMAT csv)
1,alice@example.com
2,bob@example.com
\.
\if :{?schema_name}
  \echo defined
\elif :is_prod
  \echo production
\else
  \echo not defined
\endif
SELECT :'schema_name' AS schema_literal, :"schema_name" AS schema_ident;
SELECT * FROM :"schema_name".users WHERE id = :user_id;
SELECT count(*) AS n FROM users \gset
SELECT :n::int + 1;
SELECT format('CREATE INDEX ON %I (id)', tablename) FROM pg_tables \gexec
\prompt 'Name? ' answer
\setenv PAGER less
\q
