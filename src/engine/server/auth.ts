// Authentication without ACL users (acl.c's parts that requirepass uses): the only user is
// "default"; requirepass is its password, and an empty requirepass makes it "nopass".
import type { Client } from './client.ts';
import type { RedisServer } from './redisServer.ts';

export const WRONGPASS = '-WRONGPASS invalid username-password pair or user is disabled.';

/** ACLCheckUserCredentials for the default user: a nopass user takes any password. */
export function checkCredentials(server: RedisServer, user: string, password: string): boolean {
  if (user !== 'default') return false;
  const required = server.config.get('requirepass');
  return required === '' || password === required;
}

/** ACLAuthenticateUser: on success the connection is authenticated as the default user. */
export function authenticateUser(c: Client, user: string, password: string): boolean {
  if (!checkCredentials(c.server, user, password)) return false;
  c.authenticated = true;
  return true;
}

/**
 * authRequired: the default user has a password and this connection has not authenticated. A
 * connection made while there was no password counts as authenticated (clientSetDefaultAuth), and
 * clearing requirepass lets unauthenticated connections in without AUTH.
 */
export function authRequired(c: Client): boolean {
  return !c.authenticated && c.server.requiresPassword;
}

/** redactClientCommandArgument: the slow log and MONITOR show "(redacted)" for this argument. */
export function redactArgument(c: Client, index: number): void {
  c.originalArgv ??= [...c.argv];
  c.originalArgv[index] = '(redacted)';
}
