SELECT "id", "Mixed Case", "has ""quotes"" inside", "select" FROM "Weird Table";
SELECT u."Email", s.name FROM app."Users" AS u JOIN public.sessions s ON s.user_id = u.id;
SELECT col$with$dollars, a$$ FROM t;
PREPARE by_id(int, text) AS SELECT * FROM users WHERE id = $1 AND name = $2;
EXECUTE by_id(1, 'x');
SELECT my_schema.my_func(1), "QuotedFunc"(2), lower(name), count(*), coalesce(a, b);
SELECT left('abc', 1), right('abc', 1), replace('a', 'b', 'c') FROM t LEFT JOIN u ON true;
SELECT t.select, t.from FROM t;
