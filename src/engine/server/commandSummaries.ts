// One-line summaries of commands, written by us (shown by COMMAND DOCS, help and hints).
export const COMMAND_SUMMARIES: Readonly<Record<string, string>> = {
  ping: 'Checks that the server is alive: replies PONG, or echoes the given message.',
  echo: 'Replies with the given message.',
};
