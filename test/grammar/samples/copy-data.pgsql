COPY public.users (id, email, note) FROM stdin;
1	alice@example.com	\N
2	bob@example.com	tab\there
\.
SELECT count(*) FROM users;
COPY public.users TO stdout WITH (FORMAT csv, HEADER);
COPY (SELECT 1) TO '/tmp/out.csv' (FORMAT csv);
