// The images a Dockerfile builds on, read from its text: FROM lines with their ARG-substituted
// names, COPY --from and RUN --mount from= of images, minus build stages, `scratch` and names
// that a build context replaces. Pure; the registry lookups are in src/fingerprint/index.ts.

/** One Dockerfile instruction, continuation lines joined, heredoc bodies left out. */
export interface Instruction {
  keyword: string;
  /** The text after the keyword. */
  args: string;
}

/**
 * Splits a Dockerfile into instructions as BuildKit's parser does: the `escape` parser
 * directive, line continuations, comment lines (also inside a continuation) and heredocs
 * (`RUN <<EOF ... EOF`, whose body is not instructions). Pure.
 */
export function instructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: `# key=value` lines at the very top.
  for (; i < lines.length; i++) {
    const directive = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/.exec(lines[i]);
    if (!directive) break;
    if (directive[1].toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\'))
      escape = directive[2];
  }
  const result: Instruction[] = [];
  while (i < lines.length) {
    let line = lines[i++];
    if (/^\s*(#|$)/.test(line)) continue;
    let joined = '';
    while (line.trimEnd().endsWith(escape)) {
      joined += line.trimEnd().slice(0, -1);
      // Comment and empty lines inside a continuation are dropped.
      while (i < lines.length && /^\s*(#|$)/.test(lines[i])) i++;
      if (i >= lines.length) {
        line = '';
        break;
      }
      line = lines[i++];
    }
    joined += line;
    const match = /^\s*(\S+)\s*(.*)$/.exec(joined);
    if (!match) continue;
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    result.push({ keyword, args });
    if (['RUN', 'COPY', 'ADD'].includes(keyword)) {
      // Heredoc bodies, one after the other: `<<EOF`, `<<-"EOF"`, `<<'EOF'`.
      for (const [, word] of args.matchAll(/<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)) {
        while (i < lines.length && lines[i].replace(/^\t+/, '') !== word) i++;
        i++;
      }
    }
  }
  return result;
}

/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}` and
 * `${NAME+alt}` as the Dockerfile frontend does; an unknown name is empty. Pure.
 */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (
      whole: string,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      if (whole === '\\$') return '$';
      const name = braced ?? bare ?? '';
      const set = vars.has(name);
      const value = vars.get(name) ?? '';
      if (op === ':-') return value !== '' ? value : substitute(word ?? '', vars);
      if (op === '-') return set ? value : substitute(word ?? '', vars);
      if (op === ':+') return value !== '' ? substitute(word ?? '', vars) : '';
      if (op === '+') return set ? substitute(word ?? '', vars) : '';
      return value;
    },
  );
}

/** `NAME=value` build arguments, the last of a name winning. Pure. */
export function buildArgMap(buildArgs: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const arg of buildArgs) {
    const eq = arg.indexOf('=');
    // `NAME` alone takes the value from the environment, as buildx does.
    if (eq < 0) map.set(arg.trim(), process.env[arg.trim()] ?? '');
    else map.set(arg.slice(0, eq).trim(), arg.slice(eq + 1));
  }
  return map;
}

/** `ARG a=1 b c="x y"`: names with their defaults (undefined: none). Pure. */
export function argDeclarations(args: string): [string, string | undefined][] {
  const declared: [string, string | undefined][] = [];
  for (const [, name, value] of args.matchAll(
    /([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g,
  )) {
    declared.push([name, value === undefined ? undefined : unquote(value)]);
  }
  return declared;
}

function unquote(value: string): string {
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1);
  return value;
}

/** The platform arguments (`TARGETARCH`, `BUILDPLATFORM`, ...) of one target platform. Pure. */
export function platformArgs(target: string, build: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const [prefix, platform] of [
    ['TARGET', target],
    ['BUILD', build],
  ] as const) {
    const [os = '', arch = '', variant = ''] = platform.split('/');
    vars.set(`${prefix}PLATFORM`, platform);
    vars.set(`${prefix}OS`, os);
    vars.set(`${prefix}ARCH`, arch);
    vars.set(`${prefix}VARIANT`, variant);
  }
  return vars;
}

export interface BaseImageOptions {
  /** `--build-arg` values. */
  buildArgs: string[];
  /** Target platforms; one pass per platform (names may use `$TARGETARCH`). */
  platforms: string[];
  /** The platform the build runs on. */
  buildPlatform: string;
  /** Names given by `--build-context NAME=...`: a FROM of that name uses the context. */
  contextNames: string[];
}

/**
 * The external images the Dockerfile uses, in order of appearance, each once: FROM images,
 * COPY/ADD --from images and RUN --mount from= images. Build stages (by name or index),
 * `scratch` and names a build context replaces are left out. Pure.
 */
export function baseImages(dockerfile: string, options: BaseImageOptions): string[] {
  const all = instructions(dockerfile);
  const images: string[] = [];
  const add = (name: string): void => {
    if (name && !images.includes(name)) images.push(name);
  };
  const overrides = buildArgMap(options.buildArgs);
  const contexts = new Set(options.contextNames);
  const platforms = options.platforms.length > 0 ? options.platforms : [options.buildPlatform];

  for (const platform of platforms) {
    // Before the first FROM: the global ARGs, which FROM lines see.
    const global = platformArgs(platform, options.buildPlatform);
    const stages: string[] = [];
    let scope = new Map<string, string>();
    let index = 0;
    for (; index < all.length && all[index].keyword !== 'FROM'; index++) {
      if (all[index].keyword !== 'ARG') continue;
      for (const [name, value] of argDeclarations(all[index].args)) {
        global.set(name, overrides.get(name) ?? substitute(value ?? '', global));
      }
    }
    const external = (name: string): boolean => {
      const lower = name.toLowerCase();
      return (
        name !== '' &&
        lower !== 'scratch' &&
        !stages.includes(lower) &&
        !contexts.has(name) &&
        !/^\d+$/.test(name)
      );
    };
    for (; index < all.length; index++) {
      const { keyword, args } = all[index];
      if (keyword === 'FROM') {
        const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
        const name = substitute(words[0] ?? '', global);
        if (external(name)) add(name);
        stages.push((words[2] ?? '').toLowerCase(), String(stages.length));
        // A stage sees only the global ARGs (platform ones included) it declares again.
        scope = new Map();
      } else if (keyword === 'ARG') {
        for (const [name, value] of argDeclarations(args)) {
          const fallback = value === undefined ? global.get(name) : substitute(value, scope);
          scope.set(name, overrides.get(name) ?? fallback ?? '');
        }
      } else if (keyword === 'COPY' || keyword === 'ADD') {
        const from = /(?:^|\s)--from=(\S+)/.exec(args)?.[1];
        if (from) {
          const name = substitute(unquote(from), scope);
          if (external(name)) add(name);
        }
      } else if (keyword === 'RUN') {
        for (const [, mount] of args.matchAll(/(?:^|\s)--mount=(\S+)/g)) {
          const from = /(?:^|,)from=([^,]+)/.exec(mount)?.[1];
          if (!from) continue;
          const name = substitute(unquote(from), scope);
          if (external(name)) add(name);
        }
      }
    }
  }
  return images;
}

/** An image reference split into name, tag and digest. Pure. */
export function splitImageRef(ref: string): { name: string; tag: string; digest: string } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : '';
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, tag: digest ? '' : 'latest', digest };
}
