-- String literals of every kind
SELECT 'plain', 'it''s', '', '''';
SELECT 'backslash \n is literal here';
SELECT E'tab\tnew line\n quote \' and \\ backslash', e'\x41\101\u00e9\U0001F600';
SELECT E'doubled '' quote';
SELECT U&'d\0061t\+000061 and \\', U&'caf\00e9' UESCAPE '!';
SELECT U&"d\0061ta" AS unicode_ident;
SELECT B'1010', b'0011', B'10201';
SELECT X'1FAB', x'dead', X'XYZ';
SELECT N'national';
SELECT 'multi-line
string with -- no comment
and /* no comment */ inside';
SELECT 'first' 'second';
SELECT date '2024-01-31', interval '1 day', timestamptz '2024-01-01 00:00+00';
SELECT 'a' || 'b' AS joined;
