/**
 * The user's input cannot be used as given: a path that does not exist, a bad pglens.json, a
 * schema source that is not a URL, file or folder, a git ref git does not know. The message says
 * what to change; each adapter shows it as it is (the CLI exits 2, the editor shows a message).
 */
export class InputError extends Error {}
