// A dependency chain of images from a bake definition: which target is built FROM which
// (`contexts = { name = "target:parent" }`), in what order, and where each is released. Pure.
import { repositoryOf } from '../oci/reference.js';

/** One target of `docker buildx bake --print`, as far as the chain needs it. */
export interface BakeTarget {
  context?: string;
  dockerfile?: string;
  contexts?: Record<string, string>;
  tags?: string[];
  target?: string;
  args?: Record<string, string | null>;
  platforms?: string[];
  labels?: Record<string, string | null>;
  [key: string]: unknown;
}

/** `docker buildx bake --print`: the groups and every target the requested ones need. */
export interface BakeDefinition {
  group?: Record<string, { targets?: string[] }>;
  target?: Record<string, BakeTarget>;
}

/** One image of the chain. */
export interface ChainTarget {
  name: string;
  /** The targets it is built FROM (its `target:` contexts), by name. */
  parents: string[];
  /** The repositories it is released to ('' entries never); empty: built only as a parent. */
  repositories: string[];
  definition: BakeTarget;
}

/** The chain in build order: every parent before its children. */
export interface Chain {
  targets: ChainTarget[];
  /** The targets that are released (those with repositories), in build order. */
  released: ChainTarget[];
}

/**
 * The chain of the definition. `requested` are the `targets` input (targets or groups; bake's
 * `default` group when empty); `overrides` the `images` lines `target=repository`, which replace
 * the repositories of the bake tags. Throws an error naming the input when a requested target
 * has no repository, an override names no target of the chain, or the parents form a cycle.
 */
export function chainOf(
  definition: BakeDefinition,
  requested: string[],
  overrides: Map<string, string[]>,
): Chain {
  const all = definition.target ?? {};
  const names = Object.keys(all);
  if (names.length === 0) {
    throw new Error('targets: the bake definition has no target to build');
  }
  for (const name of overrides.keys()) {
    if (!all[name]) {
      throw new Error(
        `images: "${name}=..." names no target of the bake definition; expected one of ${names.join(', ')}`,
      );
    }
  }
  const targets = new Map<string, ChainTarget>();
  for (const name of names) {
    const definitionOf = all[name];
    targets.set(name, {
      name,
      parents: parentsOf(definitionOf),
      repositories: overrides.get(name) ?? unique((definitionOf.tags ?? []).map(repositoryOf)),
      definition: definitionOf,
    });
  }
  for (const target of targets.values()) {
    const unknown = target.parents.filter((p) => !targets.has(p));
    if (unknown.length > 0) {
      throw new Error(
        `targets: "${target.name}" is built FROM target:${unknown[0]}, which the bake definition does not define`,
      );
    }
  }
  const ordered = buildOrder([...targets.values()], targets);
  const wanted = new Set(expand(definition, requested.length > 0 ? requested : ['default']));
  for (const name of wanted) {
    const target = targets.get(name);
    if (target && target.repositories.length === 0) {
      throw new Error(
        `targets: "${name}" has no repository to release to; give it tags in the bake file (tags = ["ghcr.io/acme/${name}"]) or an images line "${name}=ghcr.io/acme/${name}"`,
      );
    }
  }
  const owners = new Map<string, string>();
  for (const target of ordered) {
    for (const repository of target.repositories) {
      const owner = owners.get(repository);
      if (owner) {
        throw new Error(
          `targets: "${owner}" and "${target.name}" are both released to ${repository}; each target needs a repository of its own (their tags would take each other's place)`,
        );
      }
      owners.set(repository, target.name);
    }
  }
  return { targets: ordered, released: ordered.filter((t) => t.repositories.length > 0) };
}

/** Every repository the chain releases to, in build order. */
export function chainImages(chain: Chain): string[] {
  return chain.released.flatMap((t) => t.repositories);
}

/** The targets a target is built FROM: the values `target:NAME` of its contexts. */
export function parentsOf(target: BakeTarget): string[] {
  return unique(
    Object.values(target.contexts ?? {})
      .filter((value) => value.startsWith('target:'))
      .map((value) => value.slice('target:'.length)),
  );
}

/** `images` lines of the form `target=repository` (several per target allowed). */
export function imageOverrides(lines: string[]): Map<string, string[]> {
  const overrides = new Map<string, string[]>();
  for (const line of lines) {
    const equals = line.indexOf('=');
    const name = line.slice(0, equals).trim();
    const repository = line.slice(equals + 1).trim();
    if (equals < 1 || !repository || !/^[A-Za-z0-9_-]+$/.test(name)) {
      throw new Error(
        `images: "${line}" is not a target's repository; with files or targets, expected target=repository such as app=ghcr.io/acme/app`,
      );
    }
    overrides.set(name, [...(overrides.get(name) ?? []), repository]);
  }
  return overrides;
}

/** Groups expanded to their targets, recursively; target names kept as they are. */
function expand(definition: BakeDefinition, names: string[], seen = new Set<string>()): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const group = definition.group?.[name];
    if (group && !definition.target?.[name])
      out.push(...expand(definition, group.targets ?? [], seen));
    else out.push(name);
  }
  return out;
}

/** Parents before children; a cycle is an error that names it. */
function buildOrder(targets: ChainTarget[], byName: Map<string, ChainTarget>): ChainTarget[] {
  const ordered: ChainTarget[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (target: ChainTarget, path: string[]): void => {
    if (state.get(target.name) === 'done') return;
    if (state.get(target.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(target.name)), target.name];
      throw new Error(
        `targets: the bake targets are built FROM each other in a cycle (${cycle.join(' -> ')}); a chain must end at a target with no target: context`,
      );
    }
    state.set(target.name, 'visiting');
    for (const parent of target.parents) visit(byName.get(parent)!, [...path, target.name]);
    state.set(target.name, 'done');
    ordered.push(target);
  };
  for (const target of [...targets].sort((a, b) => a.name.localeCompare(b.name))) {
    visit(target, []);
  }
  return ordered;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
