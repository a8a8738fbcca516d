// How much of Redis 7.0's command set the engine implements: counts of commands and subcommands,
// then what is missing, grouped by Redis's command groups.
// Usage: npm run coverage:commands
import commandFacts from '../src/engine/server/commandFacts.json' with { type: 'json' };
import { allCommands } from '../src/engine/commands/index.ts';

interface Facts {
  name: string;
  subcommands: Record<string, Facts>;
  docs: { group: string };
}

const facts = commandFacts.commands as unknown as Record<string, Facts>;
const implemented = new Set(Object.keys(allCommands));

let commands = 0;
let commandsDone = 0;
let subcommands = 0;
let subcommandsDone = 0;
const missingByGroup = new Map<string, string[]>();
const doneByGroup = new Map<string, number>();
const totalByGroup = new Map<string, number>();

for (const cmd of Object.values(facts)) {
  const group = cmd.docs.group;
  const subs = Object.values(cmd.subcommands);
  const subsDone = subs.filter((s) => implemented.has(s.name));
  // A container counts as implemented when any of its subcommands is.
  const done = implemented.has(cmd.name) || subsDone.length > 0;
  commands++;
  totalByGroup.set(group, (totalByGroup.get(group) ?? 0) + 1);
  if (done) {
    commandsDone++;
    doneByGroup.set(group, (doneByGroup.get(group) ?? 0) + 1);
  }
  subcommands += subs.length;
  subcommandsDone += subsDone.length;
  const missing = missingByGroup.get(group) ?? [];
  if (!done) missing.push(cmd.name.toUpperCase());
  for (const s of subs) if (!implemented.has(s.name)) missing.push(s.name.toUpperCase().replace('|', ' '));
  missingByGroup.set(group, missing);
}

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '0.0');
console.log(`Redis 7.0 commands implemented: ${commandsDone}/${commands} (${pct(commandsDone, commands)}%)`);
console.log(`Subcommands implemented:        ${subcommandsDone}/${subcommands} (${pct(subcommandsDone, subcommands)}%)`);
console.log('');
for (const group of [...totalByGroup.keys()].sort()) {
  const missing = missingByGroup.get(group) ?? [];
  const done = doneByGroup.get(group) ?? 0;
  const total = totalByGroup.get(group)!;
  console.log(`${group}: ${done}/${total} commands${missing.length ? '' : ' (complete)'}`);
  if (missing.length) console.log(`  missing: ${missing.join(', ')}`);
}
