/**
 * The one redaction function: `redactSecrets(text, secrets?)`.
 *
 * Everything pglens may print (CLI messages, LSP logs and statuses, file headers, cached data) goes
 * through it when it can hold a connection string. It hides, wherever they occur in the text:
 * - the password of a `postgres://` / `postgresql://` URL, also with an empty user (`postgres://:pw@h`)
 *   and an unencoded `@` in the password;
 * - `password=…` in a URL's query;
 * - keyword forms `password=pw`, `password = pw`, `password='a b\' c'`, and environment dumps such as
 *   `PGPASSWORD=pw` or `DB_PASSWORD="pw"`, and JSON's `"password": "pw"`;
 * - any of `secrets` (the passwords pglens knows: the resolved one) verbatim or percent-encoded, so a
 *   driver or server message that echoes one hides it too.
 * Pure (no Node, no vscode): the client and the server may both import it.
 */

const MASK = '***';
/** Secrets shorter than this are not searched for verbatim: masking every `a` would garble the text. */
const MIN_SECRET_LENGTH = 3;

/** `postgres://` + userinfo (greedy up to the last `@` before the path) + `@`. */
const URL_USERINFO = /(postgres(?:ql)?:\/\/)([^\s/?#]*)@/gi;
/** `?password=…` or `&password=…` inside a URL. */
const URL_PASSWORD_PARAMETER = /([?&]password=)[^&#\s]*/gi;
/** `password = value`, `PGPASSWORD=value` (not a URL's `?password=`, done above): the value quoted (libpq's '…' with backslash escapes, or "…") or up to white space. */
const KEYWORD_PASSWORD = /(?<![?&\w])([A-Za-z_]*password[A-Za-z_]*\s*=\s*)('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|(?:[^\s\\'"]|\\.)+)/gi;
/** `"password": "value"` (JSON, e.g. a config dumped into a message). */
const JSON_PASSWORD = /("[A-Za-z_]*password[A-Za-z_]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** `text` with every password it may hold replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text
    .replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
    })
    .replace(URL_PASSWORD_PARAMETER, `$1${MASK}`)
    .replace(KEYWORD_PASSWORD, (_match, key: string) => `${key}${MASK}`)
    .replace(JSON_PASSWORD, `$1"${MASK}"`);
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(MASK);
  }
  return out;
}
