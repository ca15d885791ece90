// Runs Neo4j's own Cypher parser and semantic checker over every file in cypher/ (or the files
// given as arguments). Parameters are declared by the application at run time, so the notice
// that a parameter is not defined is the one diagnostic that does not count.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

function cypherFiles(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return cypherFiles(path);
    return name.endsWith('.cypher') ? [path] : [];
  });
}

const files = process.argv.length > 2 ? process.argv.slice(2) : cypherFiles('cypher');
let problems = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  if (!/^\/\/ \S/.test(text)) {
    console.log(`${file}: must start with a one-line comment saying what it returns`);
    problems += 1;
  }
  const { diagnostics } = lintCypherQuery(text, {});
  for (const d of diagnostics) {
    if (/^Parameter \$\w+ is not defined\.$/.test(d.message)) continue;
    const severity = d.severity === 1 ? 'error' : 'warning';
    console.log(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity}: ${d.message}`);
    problems += 1;
  }
}
console.log(`${files.length} Cypher files checked, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
