// Error replies shared by many commands (Redis's `shared` object). Texts are Redis 7.0's exactly.
// A leading "-" means the text carries its own error code; otherwise "ERR " is prepended.

export const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value';
export const SYNTAX_ERR = 'syntax error';
export const NO_SUCH_KEY = 'no such key';
export const OUT_OF_RANGE = 'index out of range';
export const NOT_INTEGER = 'value is not an integer or out of range';
export const NOT_FLOAT = 'value is not a valid float';
export const SAME_OBJECT = 'source and destination objects are the same';
export const INVALID_DB_INDEX = 'DB index is out of range';
