// GITHUB_OUTPUT / GITHUB_STATE as the runner reads them: name=value lines and name<<DELIMITER
// blocks. Shared by the scripts that run dist/ the way the runner does (bench, run-example).
export function parseFileCommand(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const eq = line.indexOf('=');
    const hd = line.indexOf('<<');
    if (eq >= 0 && (hd < 0 || eq < hd)) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
      continue;
    }
    const delimiter = line.slice(hd + 2);
    const value = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
    out[line.slice(0, hd)] = value.join('\n');
  }
  return out;
}
