-- a line comment
SELECT 1; -- trailing comment with 'quotes' and $$dollars$$
/* a block comment */ SELECT 2;
/* outer /* inner */ still the outer comment */ SELECT 3;
/*
 * multi-line
 * /* nested
 *    /* twice */
 * */
 * still a comment; SELECT 4;
 */
SELECT 5 /* inline */ + 6;
SELECT 7 - -8; SELECT 9--comment right after a number
;
-- region Setup
CREATE TABLE t (id int);
-- endregion
--#region another
--#endregion
SELECT '-- not a comment', '/* not a comment */';
