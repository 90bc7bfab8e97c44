import { RegistryClient } from '../../src/registry/client.js';
import { attestationsMarkdown, signingMarkdown } from '../../src/report/summary.js';
import { logUntrusted, oneLine } from '../../src/untrusted.js';

// Text from a registry or cosign reaches the log and the summary as text: no line of it starts a
// workflow command, and no HTML or Markdown of it renders.

const hostile =
  'denied\n::add-mask::x\r\n::set-output name=digest::sha256:0 <img src=x onerror=alert(1)> [link](https://evil.example)';

test('oneLine: line breaks and control characters become spaces', () => {
  expect(oneLine(hostile)).not.toMatch(/[\r\n]/);
  expect(oneLine('a\u2028b\u0000c\u001b[31md')).toBe('a b c [31md');
});

test('logUntrusted: the lines are printed with workflow commands stopped around them', () => {
  const out: string[] = [];
  logUntrusted(hostile.split('\n'), (s) => out.push(s));
  const text = out.join('');
  const token = /^::stop-commands::([0-9a-f]{32})\n/.exec(text)?.[1];
  expect(token).toBeDefined();
  expect(text.endsWith(`::${token}::\n`)).toBe(true);
  expect(text).toContain('  ::add-mask::x\n');
  logUntrusted(['', '  '], (s) => out.push(s));
  expect(out.join('')).toBe(text);
});

test('a registry error body of several lines is one line in the error', async () => {
  const client = new RegistryClient({
    fetch: () => Promise.resolve(new Response(hostile, { status: 400 })),
  });
  const error = await client.manifestDigest('r.example/a', '1').then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toContain('denied ::add-mask::x ::set-output');
  expect(error?.message).not.toMatch(/\n/);
});

test('signing and attestation failures in the summary: one line, HTML and Markdown escaped', () => {
  const signing = signingMarkdown({
    results: [{ image: 'r.example/a', failure: hostile } as never],
    skipped: '',
    publicKey: '',
  });
  const row = signing.find((line) => line.startsWith('| `r.example/a`'));
  expect(row).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
  expect(row).toContain('\\[link\\]\\(https://evil.example\\)');
  expect(signing.join('\n')).not.toMatch(/^::/m);
  const attest = attestationsMarkdown([
    { image: 'r.example/a', reference: '', listedBy: '', failure: hostile },
  ]);
  expect(attest[1]).toContain('&lt;img');
  expect(attest).toHaveLength(2);
});
