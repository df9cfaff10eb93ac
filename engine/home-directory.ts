/** Written in place of the user name of a home-directory path. */
export const USER_PLACEHOLDER = '{user}';

/**
 * A path under a home directory: `/home/<user>/`, `/var/home/<user>/`, `/export/home/<user>/`, `/Users/<user>/`,
 * `C:\Users\<user>\` (also `C:/Users/`, `\Users\`, `/c/Users/` and JSON's doubled `\\`), at the start of the text or
 * after whitespace, `:`, `=`, `//` (`file:///Users/<user>/…`, `unknown_service:/home/<user>/…`) or punctuation a path
 * stands in (`(`, `[`, `{`, `,`, `;`, quotes: a stack frame `at f (/home/<user>/app.js:1:2)`, a JSON value). The user
 * name must be followed by a separator: a path below the home directory, not a web route (`/users/4711`, lower-case,
 * and `/home/dashboard` stay). Also WSL's `/mnt/<drive>/Users/<user>/` (any case: a Windows path) and the shell's and
 * web servers' `~<user>/` (at those places or after `/`: `https://host/~<user>/`; a letter or `_` first, so `~5/10`
 * stays). Group 1 is everything up to the user name, group 2 the user name.
 *
 * After a `~` at the start or after whitespace or punctuation, the name holds no further `~` (`=~ja~ne/` stays): that
 * lookahead stops at the next `~`, so text of many `=~a`, `,~a` or `(~a` without a separator is read once, not once
 * from every `~` to its end (quadratic: 64 KB took 10 s).
 */
const HOME_DIRECTORY =
  /((?:^|[\s:=,;([{'"`]|\/\/)(?:(?:\/(?:var|export))?\/home\/|\/(?:[A-Za-z]\/)?Users\/|\/mnt\/[A-Za-z]\/[Uu]sers\/|[A-Za-z]:\/[Uu]sers\/|(?:[A-Za-z]:)?\\\\?(?:[Uu]sers|home)\\\\?|~(?=[A-Za-z_][^/\\\s:'"`~]*[/\\]))|\/~(?=[A-Za-z_]))([^/\\\s:'"`]+)(?=[/\\])/g;

/**
 * `text` with the user name of each path under a home directory written `{user}` (`/home/jane/app/tracing.js` →
 * `/home/{user}/app/tracing.js`); `text` itself when it holds none. Every value the value scanner reads goes through
 * it (attributes, log bodies, event names, status messages, stack traces, a `db.namespace` that is a file), and so do
 * names the SDK or a developer builds from paths (an instrumentation scope named `__filename`, the SDK's
 * `unknown_service:<argv0>` service name): the rest of the path says which program or file it is, the user name says
 * who runs it.
 */
export function maskHomeDirectories(text: string): string {
  // Every value goes through here: the literals every match holds (`/home/`; `Users/`; `:/users/`, the one lower-case
  // form without a backslash outside WSL's `/mnt/`; a backslash; `~`) are looked for first, so a route, URL or log
  // line with `/` but no home directory costs no regex search, a web route's lower-case `/users/<id>/` included
  // (`sers/` is looked for once, and what stands before each one read).
  if (
    text.indexOf('/home/') === -1 &&
    text.indexOf('\\') === -1 &&
    text.indexOf('~') === -1 &&
    text.indexOf('/mnt/') === -1 &&
    !hasUsersDirectory(text)
  )
    return text;
  return replaceHomeDirectories(text);
}

/** Whether `text` holds `Users/` or `:/users/`. */
function hasUsersDirectory(text: string): boolean {
  for (let at = text.indexOf('sers/'); at !== -1; at = text.indexOf('sers/', at + 5)) {
    const before = text.charCodeAt(at - 1);
    if (before === 85 /* U */) return true;
    if (before === 117 /* u */ && text.charCodeAt(at - 2) === 47 /* / */ && text.charCodeAt(at - 3) === 58 /* : */)
      return true;
  }
  return false;
}

/** `maskHomeDirectories` without its literal check: the regex over the whole text (the check's oracle in tests). */
export function replaceHomeDirectories(text: string): string {
  return text.replace(HOME_DIRECTORY, (match: string, prefix: string, user: string) =>
    user === USER_PLACEHOLDER ? match : prefix + USER_PLACEHOLDER,
  );
}
