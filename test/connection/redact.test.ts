import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../server/src/connection/redact';

// Every form a password takes in what pglens may print; none of the secrets may survive.
const CASES: Array<[input: string, expected: string]> = [
  ['postgres://u:pw1x@h/d', 'postgres://u:***@h/d'],
  ['postgres://:pw2x@h:5432/d', 'postgres://:***@h:5432/d'],
  ['postgresql://u:p@w3x@[::1]:5432/d', 'postgresql://u:***@[::1]:5432/d'],
  ['cannot use postgres://u:pw4x@h/d: refused', 'cannot use postgres://u:***@h/d: refused'],
  ['postgres://u@h/d?sslmode=require&password=pw5x', 'postgres://u@h/d?sslmode=require&password=***'],
  ['host=h password=pw6x user=u', 'host=h password=*** user=u'],
  ['host=h password = pw7x user=u', 'host=h password = *** user=u'],
  ["host=h password='a b pw8x' user=u", 'host=h password=*** user=u'],
  ["host=h password='it\\'s pw9x' dbname=d", 'host=h password=*** dbname=d'],
  ['host=h password=pw\\ 10x dbname=d', 'host=h password=*** dbname=d'],
  ['env: PGPASSWORD=pw11x PGHOST=h', 'env: PGPASSWORD=*** PGHOST=h'],
  ['DB_PASSWORD="pw 12x" next', 'DB_PASSWORD=*** next'],
  ['{"user":"u","password":"pw13x"}', '{"user":"u","password":"***"}'],
  ['PASSWORD=pw14x', 'PASSWORD=***'],
];

describe('redactSecrets', () => {
  it.each(CASES)('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves text without a password alone', () => {
    for (const text of ['postgres://h/d', 'postgres://u@h:5432/d?sslmode=verify-full', 'password authentication failed for user "u"', 'host=h user=u'])
      expect(redactSecrets(text)).toBe(text);
  });

  it('hides known secrets wherever a message echoes them, verbatim or percent-encoded', () => {
    expect(redactSecrets('database "s3cr et/x" does not exist', ['s3cr et/x'])).toBe('database "***" does not exist');
    expect(redactSecrets('dsn s3cr%20et%2Fx', ['s3cr et/x'])).toBe('dsn ***');
  });
});
