/** Written in place of the user name of a home-directory path. */
export const USER_PLACEHOLDER = '{user}';

/**
 * A home directory at the root of a path (`/home/<user>`, `/Users/<user>`, `C:\Users\<user>`, `/var/home/<user>`,
 * `/export/home/<user>`), at the start of the text, after `:`, `=`, whitespace or `//` (`file:///Users/<user>`,
 * `unknown_service:/home/<user>/.nvm/…/node`). Group 1 is everything up to the user name, group 2 the user name.
 */
const HOME_DIRECTORY =
  /((?:^|[\s:=]|\/\/)(?:[A-Za-z]:)?[/\\](?:(?:var|export)[/\\])?(?:home|users)[/\\])([^/\\\s:]+)/gi;

/**
 * `text` with the user name of each home-directory path written `{user}` (`/home/jane/app/tracing.js` →
 * `/home/{user}/app/tracing.js`); `text` itself when it holds none. For names the SDK or a developer builds from
 * paths (an instrumentation scope named `__filename`, the SDK's `unknown_service:<argv0>` service name), where the
 * rest of the path says which program it is and the user name says who runs it.
 */
export function maskHomeDirectories(text: string): string {
  if (text.indexOf('/') === -1 && text.indexOf('\\') === -1) return text;
  return text.replace(HOME_DIRECTORY, (match: string, prefix: string, user: string) =>
    user === USER_PLACEHOLDER ? match : prefix + USER_PLACEHOLDER,
  );
}
