// A three-level chain of bake targets (base <- mid <- app, each FROM the one before through a
// `target:` context), each in a context of its own, for the chain tests on every builder.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeContext } from './build-context.js';

/** The bake file of the chain, releasing each target to `<registry>/<prefix>/<target>`. */
export function chainBakeFile(registry: string, prefix: string): string {
  return `
group "default" {
  targets = ["base", "mid", "app"]
}
target "base" {
  context = "base"
  tags = ["${registry}/${prefix}/base"]
}
target "mid" {
  context = "mid"
  contexts = { base = "target:base" }
  tags = ["${registry}/${prefix}/mid"]
}
target "app" {
  context = "app"
  contexts = { mid = "target:mid" }
  tags = ["${registry}/${prefix}/app"]
}
`;
}

/** A workspace holding the chain's contexts and its docker-bake.hcl; returns its directory. */
export async function chainWorkspace(registry: string, prefix: string): Promise<string> {
  const workspace = (
    await makeContext({
      'base/Dockerfile':
        'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\nCOPY base.txt /base.txt\n',
      'mid/Dockerfile': 'FROM base\nCOPY mid.txt /mid.txt\n',
      'app/Dockerfile': 'FROM mid\nCOPY app.txt /app.txt\n',
      'base/base.txt': 'base 1\n',
      'mid/mid.txt': 'mid 1\n',
      'app/app.txt': 'app 1\n',
    })
  ).dir;
  await copyFile(join(workspace, 'busybox'), join(workspace, 'base', 'busybox'));
  await writeFile(join(workspace, 'docker-bake.hcl'), chainBakeFile(registry, prefix));
  return workspace;
}
